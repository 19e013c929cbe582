"""Delivering webhook outbox rows: in order per ticket, retried with backoff, logged."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from supportdesk.core.publishing import publish_on_commit as on_commit
from supportdesk.notifications import webhooks
from supportdesk.notifications.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from supportdesk.notifications.selectors import active_endpoints_forget

DUE_TOLERANCE = timedelta(seconds=2)  # a retry message may arrive a little early
Outcome = Literal["delivered", "retry", "failed", "waiting", "not-due", "cancelled", "skipped"]


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    status: Outcome
    retry_in: int | None = None


def _body(payload: object) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _queue_next(delivery: WebhookDelivery) -> None:
    """The next event of the same ticket for the same endpoint may go now."""
    following = (
        WebhookDelivery.objects.filter(
            endpoint_id=delivery.endpoint_id,
            ticket_id=delivery.ticket_id,
            status=DeliveryStatus.PENDING,
            id__gt=delivery.pk,
        )
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    if following is not None:
        on_commit("webhooks.deliver", following)


def _finish(delivery: WebhookDelivery, status: str, now: datetime) -> None:
    delivery.status = status
    delivery.delivered_at = now if status == DeliveryStatus.DELIVERED else None
    delivery.save(update_fields=["status", "delivered_at"])
    _queue_next(delivery)


def _endpoint_failed(endpoint: WebhookEndpoint, now: datetime) -> None:
    """One more delivery given up; at WEBHOOK_MAX_FAILURES in a row the endpoint is disabled."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    disabled = WebhookEndpoint.objects.filter(
        pk=endpoint.pk,
        active=True,
        consecutive_failures__gte=settings.WEBHOOK_MAX_FAILURES,
    ).update(active=False, disabled_at=now)
    if disabled:
        active_endpoints_forget()
        with translation.override(settings.DEFAULT_LANGUAGE):
            subject = _("Webhook endpoint disabled: {url}").format(url=endpoint.url)
            body = _(
                "The webhook endpoint {url} of {client} failed {count} deliveries in a row "
                "and was disabled. Enable it again in the admin once it answers."
            ).format(
                url=endpoint.url,
                client=endpoint.client_app.name,
                count=settings.WEBHOOK_MAX_FAILURES,
            )
        on_commit("notifications.notify_managers", subject, body)


def _attempt(delivery: WebhookDelivery, now: datetime) -> DeliveryOutcome:
    endpoint = delivery.endpoint
    body = _body(delivery.payload)
    result = webhooks.post(
        url=endpoint.url,
        body=body,
        headers={
            webhooks.SIGNATURE_HEADER: webhooks.signature_header(
                secret=endpoint.secret, timestamp=int(now.timestamp()), body=body
            ),
            "X-Supportdesk-Event": delivery.event,
            "X-Supportdesk-Delivery": str(delivery.event_id),
        },
        timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
        allow_private=settings.WEBHOOK_ALLOW_PRIVATE_URLS,
    )
    delivery.attempts += 1
    WebhookAttempt.objects.create(
        delivery=delivery,
        attempt=delivery.attempts,
        status_code=result.status_code,
        latency_ms=result.latency_ms,
        error=result.error,
    )
    delivery.status_code = result.status_code
    delivery.error = result.error
    delivery.save(update_fields=["attempts", "status_code", "error"])
    if result.ok:
        WebhookEndpoint.objects.filter(pk=endpoint.pk, consecutive_failures__gt=0).update(
            consecutive_failures=0
        )
        _finish(delivery, DeliveryStatus.DELIVERED, now)
        return DeliveryOutcome("delivered")
    if result.transient and delivery.attempts < settings.WEBHOOK_MAX_ATTEMPTS:
        delay = webhooks.retry_delay(
            attempt=delivery.attempts,
            base=settings.WEBHOOK_RETRY_BASE_SECONDS,
            cap=settings.WEBHOOK_RETRY_MAX_SECONDS,
        )
        delivery.next_attempt_at = now + timedelta(seconds=delay)
        delivery.save(update_fields=["next_attempt_at"])
        return DeliveryOutcome("retry", retry_in=delay)
    _finish(delivery, DeliveryStatus.FAILED, now)
    _endpoint_failed(endpoint, now)
    return DeliveryOutcome("failed")


def webhook_deliver(*, delivery_id: int) -> DeliveryOutcome:
    """Try one delivery if it is due and first in line for its ticket.

    The row stays locked during the HTTP call (bounded by WEBHOOK_TIMEOUT_SECONDS), so two
    workers never send it at once; a duplicate or late message finds nothing to do.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(no_key=True, skip_locked=True, of=("self",))
            .select_related("endpoint__client_app")
            .filter(id=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return DeliveryOutcome("skipped")
        now = timezone.now()
        if delivery.next_attempt_at > now + DUE_TOLERANCE:
            return DeliveryOutcome("not-due")
        if not delivery.endpoint.active:
            _finish(delivery, DeliveryStatus.CANCELLED, now)
            return DeliveryOutcome("cancelled")
        earlier = WebhookDelivery.objects.filter(
            endpoint_id=delivery.endpoint_id,
            ticket_id=delivery.ticket_id,
            status=DeliveryStatus.PENDING,
            id__lt=delivery.pk,
        )
        if earlier.exists():
            return DeliveryOutcome("waiting")
        return _attempt(delivery, now)


def webhook_sweep(*, now: datetime | None = None, limit: int = 500) -> int:
    """Beat: queue pending deliveries that no message reached (broker down, worker lost,
    retries in the embedded eager mode). Returns how many were queued."""
    now = now or timezone.now()
    grace = timedelta(seconds=settings.WEBHOOK_SWEEP_GRACE_SECONDS)
    due = list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now - grace
        )
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    for delivery_id in due:
        on_commit("webhooks.deliver", delivery_id)
    return len(due)
