"""One rate (`API_THROTTLE_RATE`, e.g. `600/min`) per client application, per staff user, or
per IP address for anonymous calls. An empty rate turns throttling off.

A window opens with a principal's first request and lasts the rate's period; up to the rate's
count of requests pass in it, the rest get 429 with `Retry-After` = the seconds the window has
left. With Redis as the cache (`CACHE_URL=redis://…`) the count lives in Redis, shared by every
web process: a process takes a lease of a few requests at a time (1% of the rate, at most
LEASE_MAX; one for rates under 200) with one atomic Lua script and spends it locally, so most
requests make no round trip. No window ever passes more than the rate; a process's unspent
lease can make a caller hit the limit up to (processes - 1) x (lease - 1) requests early.
Any other cache (the embedded locmem default) counts per process.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
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
# one atomic round trip: count a lease of ARGV[2] requests, open the window with the first one,
# say what is left
LEASE_SCRIPT = """
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
if count == tonumber(ARGV[2]) or redis.call('PTTL', KEYS[1]) < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return {count, redis.call('PTTL', KEYS[1])}
"""
LEASE_SHARE = 100  # a lease is 1/LEASE_SHARE of the rate...
LEASE_MAX = 50  # ...and at most this many requests
REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"


def parse_rate(rate: str) -> tuple[int, int]:
    """`600/min` → (600, 60); the period is read from its first letter, as DRF does."""
    count, period = rate.split("/", 1)
    return int(count), PERIODS[period.strip()[0].lower()]


def lease_size(limit: int) -> int:
    return max(1, min(LEASE_MAX, limit // LEASE_SHARE))


class Counter(Protocol):
    def take(self, key: str, limit: int, period: int) -> float | None:
        """Count one request in `key`'s window of `period` seconds: None when it is within
        `limit`, else the seconds the window has left."""
        ...

    def clear(self) -> None:
        """Close every window (tests)."""
        ...


@dataclass
class _Lease:
    left: int  # requests this process may still pass in the window
    ends: float  # monotonic time the window closes
    refused: bool = False  # Redis said the window is spent: no new lease until it closes


class RedisCounter:
    """Exact within one process: one thread at a time fetches a key's lease (the others wait
    for it and spend it), so a lease is never fetched while another still has requests left,
    and no request is refused while this process holds some."""

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url)
        self._lease = self.client.register_script(LEASE_SCRIPT)
        self._leases: dict[str, _Lease] = {}
        self._fetching: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def _spend(self, key: str, now: float) -> tuple[bool, float | None]:
        """(decided, answer): decided False when this process holds nothing for the key."""
        with self._lock:
            lease = self._leases.get(key)
            if lease is not None and lease.ends > now:
                if lease.left > 0:
                    lease.left -= 1
                    return True, None
                if lease.refused:
                    return True, lease.ends - now
            return False, None

    def _fetch_lock(self, key: str) -> threading.Lock:
        with self._lock:
            if len(self._fetching) > 10_000:
                self._fetching = {}
            return self._fetching.setdefault(key, threading.Lock())

    def take(self, key: str, limit: int, period: int) -> float | None:
        decided, answer = self._spend(key, time.monotonic())
        if decided:
            return answer
        with self._fetch_lock(key):
            now = time.monotonic()
            decided, answer = self._spend(key, now)  # another thread may have fetched one
            if decided:
                return answer
            size = lease_size(limit)
            count, left_ms = self._lease(keys=[key], args=[period * 1000, size])
            granted = max(0, min(size, limit - (int(count) - size)))
            window_left = max(float(left_ms), 0.0) / 1000
            with self._lock:
                if len(self._leases) > 10_000:  # forget closed windows now and then
                    self._leases = {k: v for k, v in self._leases.items() if v.ends > now}
                self._leases[key] = _Lease(
                    left=max(granted - 1, 0),  # this request is the first of the lease
                    ends=now + window_left,
                    refused=granted == 0,
                )
        return None if granted else window_left

    def clear(self) -> None:
        keys = list(self.client.scan_iter(match="throttle:*", count=1000))
        if keys:
            self.client.delete(*keys)
        with self._lock:
            self._leases = {}


class ProcessCounter:
    def __init__(self) -> None:
        self._windows: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def take(self, key: str, limit: int, period: int) -> float | None:
        now = time.monotonic()
        with self._lock:
            ends, count = self._windows.get(key, (0.0, 0))
            if ends <= now:
                if len(self._windows) > 10_000:  # forget closed windows now and then
                    self._windows = {k: v for k, v in self._windows.items() if v[0] > now}
                ends, count = now + period, 0
            self._windows[key] = (ends, count + 1)
        return None if count < limit else ends - now

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
        key = f"throttle:{self.scope}:{self.ident_of(request)}"
        self.retry_after = counter().take(key, limit, period)
        return self.retry_after is None

    def ident_of(self, request: Request) -> str:
        if isinstance(request.auth, ClientApplication):
            return f"app:{request.auth.pk}"
        if request.user.is_authenticated:
            return f"user:{request.user.pk}"
        return f"ip:{self.get_ident(request)}"

    def wait(self) -> float | None:
        return math.ceil(self.retry_after) if self.retry_after is not None else None
