"""Who has a ticket open right now: each open ticket page sends a heartbeat, kept in the cache
(Redis in production, so every web process sees it) for a short time.

One cache entry per ticket maps a viewer to the moment its heartbeat runs out. Two heartbeats
for one ticket in the same instant may both write it, and one of them is lost: that viewer is
missing for at most one heartbeat interval (the next heartbeat puts it back), which is the
price of needing nothing but the cache's get/set. Entries lapse by themselves; a page that is
closed says so, and a crashed browser simply stops beating.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache

PRESENCE_TTL_SECONDS = 30  # a viewer counts as present this long after its last heartbeat
HEARTBEAT_SECONDS = 10  # how often an open ticket page beats (well inside the TTL)


@dataclass(frozen=True, slots=True)
class Viewer:
    user_id: int
    name: str


def _key(ticket_id: int) -> str:
    return f"sd:presence:ticket:{ticket_id}"


def _live(entries: object, now: float) -> dict[str, list[object]]:
    if not isinstance(entries, dict):
        return {}
    return {
        user: entry
        for user, entry in entries.items()
        if isinstance(entry, list) and len(entry) == 2 and float(entry[1]) > now
    }


def presence_beat(*, ticket_id: int, user_id: int, name: str) -> list[Viewer]:
    """Record that `user_id` has the ticket open; answer the *other* viewers."""
    now = time.time()
    entries = _live(cache.get(_key(ticket_id)), now)
    entries[str(user_id)] = [name, now + PRESENCE_TTL_SECONDS]
    cache.set(_key(ticket_id), entries, timeout=PRESENCE_TTL_SECONDS)
    return _others(entries, user_id)


def presence_leave(*, ticket_id: int, user_id: int) -> None:
    """The page was closed: the others stop seeing this viewer at once."""
    now = time.time()
    entries = _live(cache.get(_key(ticket_id)), now)
    if entries.pop(str(user_id), None) is not None:
        cache.set(_key(ticket_id), entries, timeout=PRESENCE_TTL_SECONDS)


def ticket_viewers(*, ticket_id: int, excluding: int | None = None) -> list[Viewer]:
    """Who has the ticket open now (besides `excluding`)."""
    return _others(_live(cache.get(_key(ticket_id)), time.time()), excluding)


def _others(entries: dict[str, list[object]], user_id: int | None) -> list[Viewer]:
    return sorted(
        (
            Viewer(int(user), str(entry[0]))
            for user, entry in entries.items()
            if user_id is None or int(user) != user_id
        ),
        key=lambda viewer: viewer.name.lower(),
    )
