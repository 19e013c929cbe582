"""Client applications' webhook endpoints."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from supportdesk.clients.models import ClientApplication
from supportdesk.core.exceptions import InvalidInput
from supportdesk.notifications import addresses, webhooks
from supportdesk.notifications.models import WebhookEndpoint, WebhookEvent


def _check_url(url: str) -> None:
    """The quick checks at registration; the delivery checks the resolved addresses again."""
    if urlsplit(url).scheme not in {"http", "https"}:
        raise InvalidInput(_("A webhook URL must use http or https."), field="url")
    try:
        addresses.target_of(url)
    except addresses.UnsafeURL as exc:
        if exc.code == "credentials-in-url":
            message = _("A webhook URL may not contain a user name or password.")
        elif exc.code == "invalid-port":
            message = _("A webhook URL needs a port between 1 and 65535.")
        else:
            message = _("Enter a valid URL.")
        raise InvalidInput(message, field="url") from exc
    if webhooks.is_private_url(url) and not settings.WEBHOOK_ALLOW_PRIVATE_URLS:
        raise InvalidInput(
            _("A webhook URL may not point to a private or local address."), field="url"
        )


def _check_events(events: Sequence[str]) -> list[str]:
    unknown = sorted(set(events) - set(WebhookEvent.values))
    if unknown:
        raise InvalidInput(
            _("Unknown webhook events: {events}.").format(events=", ".join(unknown)),
            field="events",
        )
    return list(dict.fromkeys(events))


def webhook_endpoint_create(
    *, client_app: ClientApplication, url: str, events: Sequence[str]
) -> WebhookEndpoint:
    """Register an endpoint; its secret is generated here and shown to the caller once."""
    _check_url(url)
    limit = settings.WEBHOOK_MAX_ENDPOINTS_PER_APP
    with transaction.atomic():  # the application's row serialises its concurrent creates
        ClientApplication.objects.select_for_update(no_key=True).filter(pk=client_app.pk).first()
        if WebhookEndpoint.objects.filter(client_app=client_app).count() >= limit:
            raise InvalidInput(
                _("A client application may register at most {limit} webhook endpoints.").format(
                    limit=limit
                ),
                field="url",
            )
        return WebhookEndpoint.objects.create(
            client_app=client_app, url=url, events=_check_events(events)
        )


def webhook_endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    url: str | None = None,
    events: Sequence[str] | None = None,
    active: bool | None = None,
) -> WebhookEndpoint:
    """Change an endpoint. Turning it on again forgets its failures."""
    fields = ["updated_at"]
    if url is not None:
        _check_url(url)
        endpoint.url = url
        fields.append("url")
    if events is not None:
        endpoint.events = _check_events(events)
        fields.append("events")
    if active is not None and active != endpoint.active:
        endpoint.active = active
        endpoint.consecutive_failures = 0
        endpoint.disabled_at = None
        fields += ["active", "consecutive_failures", "disabled_at"]
    endpoint.save(update_fields=fields)
    return endpoint


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()
