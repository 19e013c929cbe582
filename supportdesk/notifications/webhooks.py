"""Webhook signing and the HTTP call. Standard library only, so receivers can copy `verify`.

Signature: `X-Supportdesk-Signature: t=<unix seconds>,v1=<hex>` where hex is
HMAC-SHA256(secret, f"{t}.{body}"). A receiver recomputes it over the raw body, compares in
constant time and rejects timestamps older than its tolerance (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import logging
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from supportdesk.notifications import addresses

SIGNATURE_HEADER = "X-Supportdesk-Signature"
PAYLOAD_VERSION = 1
TRANSIENT_STATUS = frozenset({408, 425, 429})
# refused before any connection: trying again cannot help (the endpoint must be changed)
PERMANENT_ERRORS = frozenset(
    {"invalid-url", "invalid-scheme", "credentials-in-url", "invalid-port", "address-not-allowed"}
)
USER_AGENT = "supportdesk-webhooks/1"
logger = logging.getLogger(__name__)


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
    """A literal address that is not public, or a `localhost` name (no DNS lookup here: the
    delivery resolves and checks every address at send time)."""
    host = urlsplit(url).hostname or ""
    if addresses.is_local_name(host):
        return True
    literal = addresses.literal_address(host)
    return literal is not None and not addresses.is_public(literal)


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
        """Worth trying again: no answer, a timeout, 5xx, 408/425/429 (not a refused URL)."""
        code = self.status_code
        if code is None:
            return self.error not in PERMANENT_ERRORS
        return code >= 500 or code in TRANSIENT_STATUS


def _connection(
    target: addresses.Target, address: addresses.Address, timeout: float
) -> http.client.HTTPConnection:
    """A connection to `address` that speaks to `target.host` (Host header, TLS SNI and
    certificate check all use the name; the socket goes to the address that was checked)."""
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        context = ssl.create_default_context()
        connection = http.client.HTTPSConnection(
            target.host, target.port, timeout=timeout, context=context
        )
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout)

    def pinned(
        _where: tuple[str, int], timeout: float, source: tuple[str, int] | None = None
    ) -> socket.socket:
        return socket.create_connection((str(address), target.port), timeout, source)

    connection._create_connection = pinned  # type: ignore[attr-defined]  # http.client's hook
    return connection


def _send(
    target: addresses.Target,
    address: addresses.Address,
    body: bytes,
    headers: dict[str, str],
    timeout: float,
) -> int:
    connection = _connection(target, address, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(1024)
        return response.status
    finally:
        connection.close()


def post(
    *, url: str, body: bytes, headers: dict[str, str], timeout: float, allow_private: bool = False
) -> PostResult:
    """POST `body` to `url` once: no redirects followed (a 3xx is a failed delivery), every
    resolved address checked, the connection made to a checked one. Never raises; the result's
    `error` is a generic code (what the client's delivery log shows), details go to the log."""
    started = time.perf_counter()
    code: int | None = None
    error = ""
    try:
        target = addresses.target_of(url)
        checked = addresses.resolve(target, allow_private=allow_private)
        code = _send(
            target,
            checked[0],
            body,
            {"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
            timeout,
        )
    except addresses.UnsafeURL as exc:
        error = exc.code
    except TimeoutError:
        error = "timeout"
    except ssl.SSLError:
        error = "tls-error"
    except (OSError, http.client.HTTPException, ValueError, OverflowError, UnicodeError) as exc:
        logger.info("webhook to %s failed: %s", urlsplit(url).hostname, type(exc).__name__)
        error = "connection-failed"
    if code is not None and 300 <= code < 400:
        error = "redirect-not-followed"
    elif code is not None and not 200 <= code < 300:
        error = f"http-{code}"
    latency_ms = int((time.perf_counter() - started) * 1000)
    return PostResult(status_code=code, latency_ms=latency_ms, error=error)
