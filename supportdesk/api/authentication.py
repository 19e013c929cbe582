"""`Authorization: Api-Key <key>` for client applications; `principal_of(request)` for views."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from supportdesk.agents.selectors import is_manager
from supportdesk.clients.models import ClientApplication
from supportdesk.clients.selectors import client_app_for_key
from supportdesk.core.types import Principal

KEYWORD = "Api-Key"
MAX_TOKEN_CHARS = 64


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """A client application's key. The request's user stays anonymous; `request.auth` is the
    ClientApplication."""

    def authenticate(self, request: Request) -> tuple[AnonymousUser, ClientApplication] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid Api-Key header."))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid Api-Key header.")) from exc
        if not key.isprintable():  # a NUL byte would reach SQL
            raise exceptions.AuthenticationFailed(_("Invalid Api-Key header."))
        app = client_app_for_key(key=key)
        if app is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API key."))
        return AnonymousUser(), app

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class StaffTokenAuthentication(authentication.TokenAuthentication):
    """DRF's `Authorization: Token <key>`, refusing keys that cannot be tokens before they reach
    SQL (a NUL byte there would be a database error, not a 401)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        if len(key) > MAX_TOKEN_CHARS or not (key.isascii() and key.isprintable()):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(key)


def principal_of(request: Request) -> Principal:
    if isinstance(request.auth, ClientApplication):
        return Principal(client_app_id=request.auth.pk)
    user = request.user
    if user.is_authenticated and user.is_staff:
        return Principal(user_id=user.pk, is_staff=True, is_manager=is_manager(user))
    return Principal()
