"""One rate (`API_THROTTLE_RATE`, e.g. `600/min`) per client application, per staff user, or
per IP address for anonymous calls. An empty rate turns throttling off.

A window opens with a principal's first request and lasts the rate's period; up to the rate's
count of requests pass in it, the rest get 429 with `Retry-After` = the seconds the window has
left. With Redis as the cache (`CACHE_URL=redis://…`) the count lives in Redis, shared by every
web process: a process takes a lease of a few requests at a time (1% of the rate, at most
LEASE_MAX; one for rates under 200) with one atomic Lua script and spends it locally, so most
requests make no round trip. No window ever passes more than the rate; a process's unspent
lease can make a caller hit the limit up to (processes - 1) x (lease - 1) requests early, and a
lease taken as its window closes may leave some of its requests unspent (they are lost to that
window, never carried into the next). Any other cache (the embedded locmem default) counts per
process. Every throttled answer says where its caller stands (`RateLimit-Limit`,
`RateLimit-Remaining`, `RateLimit-Reset`: `supportdesk.api.rate_headers`).
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
TALLY_ATTRIBUTE = "throttle_tally"  # where the throttle leaves its Tally on the HttpRequest


def parse_rate(rate: str) -> tuple[int, int]:
    """`600/min` → (600, 60); the period is read from its first letter, as DRF does."""
    count, period = rate.split("/", 1)
    return int(count), PERIODS[period.strip()[0].lower()]


def lease_size(limit: int) -> int:
    return max(1, min(LEASE_MAX, limit // LEASE_SHARE))


@dataclass(frozen=True, slots=True)
class Tally:
    """One request counted in its principal's window (the `RateLimit-*` headers say it)."""

    passed: bool
    limit: int  # requests a window passes
    remaining: int  # requests still left in the window after this one, as this process knows
    reset: float  # seconds until the window closes

    @property
    def retry_after(self) -> int | None:
        """Whole seconds to wait (at least 1) when refused, else None."""
        return None if self.passed else max(1, math.ceil(self.reset))


class Counter(Protocol):
    def take(self, key: str, limit: int, period: int) -> Tally:
        """Count one request in `key`'s window of `period` seconds, which passes `limit`."""
        ...

    def clear(self) -> None:
        """Close every window (tests)."""
        ...


@dataclass
class _Lease:
    left: int  # requests this process may still pass in the window
    ends: float  # monotonic time the window closes
    unleased: int  # requests Redis had left for the other processes when this lease came
    refused: bool = False  # Redis said the window is spent: no new lease until it closes


class RedisCounter:
    """One thread at a time fetches a key's lease (the others wait for it and spend it), so a
    lease is never fetched while another still has requests left, and no request is refused
    while this process holds some. The clock is read under the lock that decides: a caller
    that waited for it (a busy CPU) never spends a lease whose window has closed meanwhile."""

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url)
        self._lease = self.client.register_script(LEASE_SCRIPT)
        self._leases: dict[str, _Lease] = {}
        self._fetching: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def _spend(self, key: str, limit: int) -> Tally | None:
        """The answer from this process's lease, or None when it holds nothing for the key."""
        with self._lock:
            now = time.monotonic()
            lease = self._leases.get(key)
            if lease is None or lease.ends <= now:
                return None
            if lease.left > 0:
                lease.left -= 1
                return Tally(True, limit, lease.left + lease.unleased, lease.ends - now)
            if lease.refused:
                return Tally(False, limit, 0, lease.ends - now)
            return None

    def _fetch_lock(self, key: str) -> threading.Lock:
        with self._lock:
            if len(self._fetching) > 10_000:
                self._fetching = {}
            return self._fetching.setdefault(key, threading.Lock())

    def take(self, key: str, limit: int, period: int) -> Tally:
        tally = self._spend(key, limit)
        if tally is not None:
            return tally
        with self._fetch_lock(key):
            tally = self._spend(key, limit)  # another thread may have fetched one
            if tally is not None:
                return tally
            now = time.monotonic()  # before the round trip: the lease never outlives the window
            size = lease_size(limit)
            count, left_ms = self._lease(keys=[key], args=[period * 1000, size])
            granted = max(0, min(size, limit - (int(count) - size)))
            lease = _Lease(
                left=max(granted - 1, 0),  # this request is the first of the lease
                ends=now + max(float(left_ms), 0.0) / 1000,
                unleased=max(limit - int(count), 0),
                refused=granted == 0,
            )
            with self._lock:
                if len(self._leases) > 10_000:  # forget closed windows now and then
                    self._leases = {k: v for k, v in self._leases.items() if v.ends > now}
                self._leases[key] = lease
        return Tally(granted > 0, limit, lease.left + lease.unleased, lease.ends - now)

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

    def take(self, key: str, limit: int, period: int) -> Tally:
        with self._lock:
            now = time.monotonic()
            ends, count = self._windows.get(key, (0.0, 0))
            if ends <= now:
                if len(self._windows) > 10_000:  # forget closed windows now and then
                    self._windows = {k: v for k, v in self._windows.items() if v[0] > now}
                ends, count = now + period, 0
            self._windows[key] = (ends, count + 1)
        return Tally(count < limit, limit, max(limit - count - 1, 0), ends - now)

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
        self.tally: Tally | None = None

    def allow_request(self, request: Request, view: APIView) -> bool:
        rate: str = settings.API_THROTTLE_RATE  # read per request: settings may change in tests
        if not rate:
            return True
        limit, period = parse_rate(rate)
        key = f"throttle:{self.scope}:{self.ident_of(request)}"
        self.tally = counter().take(key, limit, period)
        setattr(request._request, TALLY_ATTRIBUTE, self.tally)  # the RateLimit-* headers
        return self.tally.passed

    def ident_of(self, request: Request) -> str:
        if isinstance(request.auth, ClientApplication):
            return f"app:{request.auth.pk}"
        if request.user.is_authenticated:
            return f"user:{request.user.pk}"
        return f"ip:{self.get_ident(request)}"

    def wait(self) -> float | None:
        return self.tally.retry_after if self.tally is not None else None
