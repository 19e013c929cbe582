"""Webhook signing and the HTTP call. Standard library only, so receivers can copy `verify`.

Signature: `X-Supportdesk-Signature: t=<unix seconds>,v1=<hex>` where hex is
HMAC-SHA256(secret, f"{t}.{body}"). A receiver recomputes it over the raw body, compares in
constant time and rejects timestamps older than its tolerance (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

SIGNATURE_HEADER = "X-Supportdesk-Signature"
PAYLOAD_VERSION = 1
TRANSIENT_STATUS = frozenset({408, 425, 429})
USER_AGENT = "supportdesk-webhooks/1"
# no proxies from the environment: a webhook goes straight to the URL the client registered
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(*, secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={sign(secret=secret, timestamp=timestamp, body=body)}"


def verify(*, secret: str, header: str, body: bytes, now: int, tolerance: int = 300) -> bool:
    """True when `header` signs `body` with `secret` and is at most `tolerance` seconds old."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret=secret, timestamp=timestamp, body=body)
    return hmac.compare_digest(expected, parts.get("v1", ""))


def retry_delay(*, attempt: int, base: int, cap: int) -> int:
    """Seconds before try `attempt + 1`: base, 2·base, 4·base … never above cap."""
    return int(min(cap, base * 2 ** max(attempt - 1, 0)))


def is_private_url(url: str) -> bool:
    """A literal loopback/private/link-local address or `localhost` (no DNS lookup here)."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local


@dataclass(frozen=True, slots=True)
class PostResult:
    status_code: int | None
    latency_ms: int
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def transient(self) -> bool:
        """Worth trying again: no answer, a timeout, 5xx, 408/425/429."""
        code = self.status_code
        return code is None or code >= 500 or code in TRANSIENT_STATUS


def post(*, url: str, body: bytes, headers: dict[str, str], timeout: float) -> PostResult:
    """POST `body`; never raises for HTTP or network failures (they are in the result)."""
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked at registration
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
    )
    started = time.perf_counter()
    code: int | None = None
    error = ""
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            response.read(1024)
            code = response.status
    except urllib.error.HTTPError as exc:
        code = exc.code
        error = f"HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    latency_ms = int((time.perf_counter() - started) * 1000)
    return PostResult(status_code=code, latency_ms=latency_ms, error=error)
