"""The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the
outermost trusted proxy saw (X-Forwarded-For is written by the client too: only the last
TRUSTED_PROXY_COUNT entries are the proxies' own). The rule DRF's throttles apply with
NUM_PROXIES, for the admin's login throttling too."""

from collections.abc import Mapping

from django.conf import settings
from django.http import HttpRequest


def client_ip(meta: Mapping[str, object]) -> str:
    remote = str(meta.get("REMOTE_ADDR") or "")
    proxies: int = settings.TRUSTED_PROXY_COUNT
    forwarded = str(meta.get("HTTP_X_FORWARDED_FOR") or "")
    if proxies <= 0 or not forwarded:
        return remote
    chain = [part.strip() for part in forwarded.split(",") if part.strip()]
    return chain[-min(proxies, len(chain))] if chain else remote


def axes_client_ip(request: HttpRequest) -> str:
    return client_ip(request.META)
