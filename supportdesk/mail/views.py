"""`/mail/inbound/<provider>/`: e-mail providers' inbound webhooks through django-anymail's
views and their checks (HTTP basic auth with ANYMAIL_WEBHOOK_SECRET for every provider, plus
the provider's own signature where it has one). Off — a 404 — until the secret is set, and a
provider whose signature key is missing is a 404 too. A failed check (basic auth or the
provider's signature) is a 400 that says which; a payload anymail cannot read, or one with
neither a sender nor a recipient, is a 400 too."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from anymail.exceptions import AnymailError, AnymailWebhookValidationFailure
from anymail.utils import get_request_basic_auth
from anymail.webhooks.brevo import BrevoInboundWebhookView
from anymail.webhooks.mailgun import MailgunInboundWebhookView
from anymail.webhooks.mailjet import MailjetInboundWebhookView
from anymail.webhooks.mandrill import MandrillCombinedWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView
from anymail.webhooks.sendgrid import SendGridInboundWebhookView
from anymail.webhooks.sparkpost import SparkPostInboundWebhookView
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from supportdesk.mail.receivers import NotAnEmail

logger = logging.getLogger(__name__)

# provider → (view class, the ANYMAIL key its own signature check needs, or "")
PROVIDERS: dict[str, tuple[Any, str]] = {
    "mailgun": (MailgunInboundWebhookView, "MAILGUN_WEBHOOK_SIGNING_KEY"),
    "mandrill": (MandrillCombinedWebhookView, "MANDRILL_WEBHOOK_KEY"),
    "postmark": (PostmarkInboundWebhookView, ""),
    "sendgrid": (SendGridInboundWebhookView, ""),
    "mailjet": (MailjetInboundWebhookView, ""),
    "sparkpost": (SparkPostInboundWebhookView, ""),
    "brevo": (BrevoInboundWebhookView, ""),
}
_views: dict[str, Callable[..., HttpResponse]] = {}
UNREADABLE = (AnymailError, KeyError, ValueError, TypeError, IndexError, AttributeError)


def _view(provider: str) -> Callable[..., HttpResponse]:
    configured = settings.ANYMAIL
    found = PROVIDERS.get(provider)
    if found is None or not configured.get("WEBHOOK_SECRET"):
        raise Http404
    view_class, key = found
    if key and not configured.get(key):
        raise Http404
    if provider not in _views:
        _views[provider] = view_class.as_view()
    return _views[provider]


def _basic_auth_matches(request: HttpRequest) -> bool:
    secret = settings.ANYMAIL.get("WEBHOOK_SECRET")
    allowed = [secret] if isinstance(secret, str) else list(secret or ())
    given = get_request_basic_auth(request) or ""
    return any(constant_time_compare(given, each) for each in allowed)


def _failed_check(request: HttpRequest, provider: str) -> tuple[str, str]:
    """(which check failed, for the log; what to tell the caller)"""
    key = PROVIDERS[provider][1]
    if not (key and _basic_auth_matches(request)):
        return "basic auth", _(
            "HTTP basic authentication failed: the user and password in the webhook's URL do "
            "not match ANYMAIL_WEBHOOK_SECRET."
        )
    return "signature", _(
        "The provider's signature check failed: the request is not signed with the key in "
        "%(setting)s."
    ) % {"setting": key}


@csrf_exempt
def inbound(request: HttpRequest, provider: str) -> HttpResponse:
    view = _view(provider)
    try:
        return view(request)
    except AnymailWebhookValidationFailure:
        which, detail = _failed_check(request, provider)
        logger.warning("mail webhook %s: refused, the %s check failed", provider, which)
        return JsonResponse({"detail": detail}, status=400)
    except NotAnEmail:
        logger.warning("mail webhook %s: refused, neither sender nor recipient", provider)
        detail = _("This payload holds no e-mail: it names neither a sender nor a recipient.")
        return JsonResponse({"detail": detail}, status=400)
    except UNREADABLE as exc:
        logger.warning("mail webhook %s: payload refused (%s)", provider, type(exc).__name__)
        return JsonResponse({"detail": _("This is not an inbound e-mail payload.")}, status=400)
