"""Erlang C staffing (M/M/N queue). PURE: standard library only.

The textbook model: arrivals are Poisson at `rate` per second, handle times exponential with mean
`handle_seconds`, `servers` identical servers, an infinite queue and nobody abandoning. Traffic is
A = rate x handle_seconds Erlangs.

supportdesk approximation (DESIGN §8): an agent works up to `capacity` tickets at once, so each
capacity slot is counted as one server and a slot is busy from assignment until the ticket leaves
`open`. Agents needed = slots needed / capacity per agent, rounded up. Real agents share their
attention between their tickets and customers abandon, so treat the result as advice for the
order of magnitude and the trend, not as a roster.

Numerics: the Erlang B recursion B(0) = 1, B(n) = A·B(n-1) / (n + A·B(n-1)) is stable for
thousands of servers (no factorials, no overflow); Erlang C follows from B as
C = N·B / (N - A·(1 - B)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_SERVERS = 100_000


@dataclass(frozen=True, slots=True)
class Staffing:
    servers: int
    traffic_erlangs: float
    probability_wait: float
    service_level: float
    average_speed_of_answer_seconds: float
    occupancy: float


def _check(*, traffic: float, servers: int) -> None:
    if traffic < 0 or not math.isfinite(traffic):
        raise ValueError("traffic must be a finite number >= 0")
    if servers < 0:
        raise ValueError("servers must be >= 0")


def erlang_b(*, traffic: float, servers: int) -> float:
    """Blocking probability of an M/M/N/N system (Erlang B)."""
    _check(traffic=traffic, servers=servers)
    blocking = 1.0
    for n in range(1, servers + 1):
        blocking = traffic * blocking / (n + traffic * blocking)
    return blocking


def erlang_c(*, traffic: float, servers: int) -> float:
    """Probability that an arrival waits (Erlang C). 1.0 when the queue is unstable (N <= A)."""
    _check(traffic=traffic, servers=servers)
    if traffic == 0:
        return 0.0
    if servers <= traffic:
        return 1.0
    blocking = erlang_b(traffic=traffic, servers=servers)
    return servers * blocking / (servers - traffic * (1 - blocking))


def service_level(
    *, traffic: float, servers: int, handle_seconds: float, target_seconds: float
) -> float:
    """Share of arrivals answered within `target_seconds`."""
    if handle_seconds <= 0 or target_seconds < 0:
        raise ValueError("handle_seconds must be > 0 and target_seconds >= 0")
    wait = erlang_c(traffic=traffic, servers=servers)
    if servers <= traffic:
        return 0.0 if traffic > 0 else 1.0
    return 1.0 - wait * math.exp(-(servers - traffic) * target_seconds / handle_seconds)


def average_speed_of_answer(*, traffic: float, servers: int, handle_seconds: float) -> float:
    """Mean wait over all arrivals, seconds; infinity when the queue is unstable."""
    wait = erlang_c(traffic=traffic, servers=servers)
    if traffic == 0:
        return 0.0
    if servers <= traffic:
        return math.inf
    return wait * handle_seconds / (servers - traffic)


def evaluate(
    *, rate_per_second: float, handle_seconds: float, servers: int, target_seconds: float
) -> Staffing:
    """Every Erlang C figure for `servers` servers at the given load."""
    if rate_per_second < 0 or handle_seconds <= 0:
        raise ValueError("rate must be >= 0 and handle_seconds > 0")
    traffic = rate_per_second * handle_seconds
    return Staffing(
        servers=servers,
        traffic_erlangs=traffic,
        probability_wait=erlang_c(traffic=traffic, servers=servers),
        service_level=service_level(
            traffic=traffic,
            servers=servers,
            handle_seconds=handle_seconds,
            target_seconds=target_seconds,
        ),
        average_speed_of_answer_seconds=average_speed_of_answer(
            traffic=traffic, servers=servers, handle_seconds=handle_seconds
        ),
        occupancy=min(traffic / servers, 1.0) if servers else (0.0 if traffic == 0 else 1.0),
    )


def servers_needed(
    *, rate_per_second: float, handle_seconds: float, target_seconds: float, target_level: float
) -> Staffing:
    """The smallest number of servers whose service level reaches `target_level` (0 < x < 1).

    One pass of the Erlang B recursion: O(answer), not O(answer²)."""
    if not 0 < target_level < 1:
        raise ValueError("target_level must be strictly between 0 and 1")
    if rate_per_second < 0 or handle_seconds <= 0 or target_seconds < 0:
        raise ValueError("rate must be >= 0, handle_seconds > 0 and target_seconds >= 0")
    traffic = rate_per_second * handle_seconds
    _check(traffic=traffic, servers=0)
    servers, blocking = 0, 1.0
    while traffic > 0:
        servers += 1
        if servers > MAX_SERVERS:
            raise ValueError("the target needs more than MAX_SERVERS servers")
        blocking = traffic * blocking / (servers + traffic * blocking)
        if servers <= traffic:
            continue
        waiting = servers * blocking / (servers - traffic * (1 - blocking))
        level = 1.0 - waiting * math.exp(-(servers - traffic) * target_seconds / handle_seconds)
        if level >= target_level:
            break
    return evaluate(
        rate_per_second=rate_per_second,
        handle_seconds=handle_seconds,
        servers=servers,
        target_seconds=target_seconds,
    )


def agents_for_servers(*, servers: int, capacity_per_agent: float) -> int:
    """Agents that provide `servers` capacity slots (the slot-as-server approximation)."""
    if capacity_per_agent <= 0:
        raise ValueError("capacity_per_agent must be > 0")
    return math.ceil(servers / capacity_per_agent - 1e-9)
