"""One rate (`API_THROTTLE_RATE`, e.g. `600/min`) per client application, per staff user, or
per IP address for anonymous calls. An empty rate turns throttling off.

A window opens with a principal's first request and lasts the rate's period; up to the rate's
count of requests pass in it, the rest get 429 with `Retry-After` = the seconds the window has
left. With Redis as the cache (`CACHE_URL=redis://…`) the count is one atomic Lua script
(INCR, PEXPIRE on the first request, PTTL), shared by every web process and exact under
concurrency. Any other cache (the embedded locmem default) counts per process.
"""

from __future__ import annotations

import math
import threading
import time
from functools import cache
from typing import TYPE_CHECKING, Protocol

import redis
from django.conf import settings
from rest_framework.throttling import BaseThrottle

from supportdesk.clients.models import ClientApplication

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# one atomic round trip: count the request, open the window with the first one, say what is left
HIT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('PTTL', KEYS[1]) < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return {count, redis.call('PTTL', KEYS[1])}
"""
REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"


def parse_rate(rate: str) -> tuple[int, int]:
    """`600/min` → (600, 60); the period is read from its first letter, as DRF does."""
    count, period = rate.split("/", 1)
    return int(count), PERIODS[period.strip()[0].lower()]


class Counter(Protocol):
    def hit(self, key: str, period: int) -> tuple[int, float]:
        """Count one request in `key`'s window: (requests so far, seconds the window has left)."""
        ...

    def clear(self) -> None:
        """Close every window (tests)."""
        ...


class RedisCounter:
    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url)
        self._hit = self.client.register_script(HIT_SCRIPT)

    def hit(self, key: str, period: int) -> tuple[int, float]:
        count, left_ms = self._hit(keys=[key], args=[period * 1000])
        return int(count), max(float(left_ms), 0.0) / 1000

    def clear(self) -> None:
        keys = list(self.client.scan_iter(match="throttle:*", count=1000))
        if keys:
            self.client.delete(*keys)


class ProcessCounter:
    def __init__(self) -> None:
        self._windows: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, period: int) -> tuple[int, float]:
        now = time.monotonic()
        with self._lock:
            ends, count = self._windows.get(key, (0.0, 0))
            if ends <= now:
                if len(self._windows) > 10_000:  # forget closed windows now and then
                    self._windows = {k: v for k, v in self._windows.items() if v[0] > now}
                ends, count = now + period, 0
            self._windows[key] = (ends, count + 1)
        return count + 1, ends - now

    def clear(self) -> None:
        with self._lock:
            self._windows = {}


@cache
def _counter_for(backend: str, location: str) -> Counter:
    if backend == REDIS_BACKEND:
        return RedisCounter(location)
    return ProcessCounter()


def counter() -> Counter:
    """The counter for the configured cache (one per process and configuration)."""
    config = settings.CACHES["default"]
    location = config.get("LOCATION", "")
    if isinstance(location, list | tuple):
        location = location[0]
    return _counter_for(config["BACKEND"], str(location))


class PrincipalRateThrottle(BaseThrottle):
    scope = "api"

    def __init__(self) -> None:
        self.retry_after: float | None = None

    def allow_request(self, request: Request, view: APIView) -> bool:
        rate: str = settings.API_THROTTLE_RATE  # read per request: settings may change in tests
        if not rate:
            return True
        limit, period = parse_rate(rate)
        count, left = counter().hit(f"throttle:{self.scope}:{self.ident_of(request)}", period)
        if count <= limit:
            return True
        self.retry_after = left
        return False

    def ident_of(self, request: Request) -> str:
        if isinstance(request.auth, ClientApplication):
            return f"app:{request.auth.pk}"
        if request.user.is_authenticated:
            return f"user:{request.user.pk}"
        return f"ip:{self.get_ident(request)}"

    def wait(self) -> float | None:
        return math.ceil(self.retry_after) if self.retry_after is not None else None
