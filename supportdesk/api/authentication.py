"""`Authorization: Api-Key <key>` for client applications; `principal_of(request)` for views."""

import math
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from supportdesk.agents.selectors import is_manager
from supportdesk.api import throttling
from supportdesk.clients.models import ClientApplication
from supportdesk.clients.selectors import client_app_for_key
from supportdesk.clients.services import api_key_mark_used
from supportdesk.core.client_ip import client_ip
from supportdesk.core.types import Principal

KEYWORD = "Api-Key"
MAX_TOKEN_CHARS = 64
BAD_KEY_SCOPE = "throttle:bad-key"


def _refused(request: Request, message: str | Promise) -> exceptions.APIException:
    """A failed key counts against the caller's address (API_BAD_KEY_RATE): past the rate every
    key from there is refused with 429 before it is even looked up, so keys cannot be guessed
    at speed."""
    rate: str = settings.API_BAD_KEY_RATE
    if rate:
        limit, period = throttling.parse_rate(rate)
        address = client_ip(request.META)
        tally = throttling.counter().take(f"{BAD_KEY_SCOPE}:{address}", limit, period)
        if tally.retry_after is not None:
            until = time.time() + tally.reset
            cache.set(f"{BAD_KEY_SCOPE}:blocked:{address}", until, tally.retry_after)
            return exceptions.Throttled(tally.retry_after)
    return exceptions.AuthenticationFailed(str(message))


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """A client application's key. The request's user stays anonymous; `request.auth` is the
    ClientApplication."""

    def authenticate(self, request: Request) -> tuple[AnonymousUser, ClientApplication] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        blocked_until = settings.API_BAD_KEY_RATE and cache.get(
            f"{BAD_KEY_SCOPE}:blocked:{client_ip(request.META)}"
        )
        if blocked_until:
            raise exceptions.Throttled(max(1, math.ceil(float(blocked_until) - time.time())))
        if len(header) != 2:
            raise _refused(request, _("Invalid Api-Key header."))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise _refused(request, _("Invalid Api-Key header.")) from exc
        if not key.isprintable():  # a NUL byte would reach SQL
            raise _refused(request, _("Invalid Api-Key header."))
        app = client_app_for_key(key=key)
        if app is None:
            raise _refused(request, _("Invalid or revoked API key."))
        api_key_mark_used(key=key)
        return AnonymousUser(), app

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class StaffTokenAuthentication(authentication.TokenAuthentication):
    """DRF's `Authorization: Token <key>`, refusing keys that cannot be tokens before they reach
    SQL (a NUL byte there would be a database error, not a 401)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        if len(key) > MAX_TOKEN_CHARS or not (key.isascii() and key.isprintable()):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user, token = super().authenticate_credentials(key)
        max_age = timedelta(days=settings.STAFF_TOKEN_MAX_AGE_DAYS)
        if settings.STAFF_TOKEN_MAX_AGE_DAYS and token.created < timezone.now() - max_age:
            raise exceptions.AuthenticationFailed(
                _("This token has expired; get a new one with create_agent --rotate-token.")
            )
        return user, token


def principal_of(request: Request) -> Principal:
    if isinstance(request.auth, ClientApplication):
        return Principal(client_app_id=request.auth.pk)
    user = request.user
    if user.is_authenticated and user.is_staff:
        return Principal(user_id=user.pk, is_staff=True, is_manager=is_manager(user))
    return Principal()
