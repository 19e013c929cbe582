"""One rate (`API_THROTTLE_RATE`, e.g. `600/min`) per client application, per staff user, or
per IP address for anonymous calls. Counters live in the default cache (Redis when `CACHE_URL`
points at it, so every web process shares them). An empty rate turns throttling off."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from supportdesk.clients.models import ClientApplication

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class PrincipalRateThrottle(SimpleRateThrottle):
    scope = "api"
    cache_format = "throttle:%(scope)s:%(ident)s"

    def get_rate(self) -> str | None:
        rate: str = settings.API_THROTTLE_RATE  # read per request: settings may change in tests
        return rate or None

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if isinstance(request.auth, ClientApplication):
            ident = f"app:{request.auth.pk}"
        elif request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
