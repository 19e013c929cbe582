"""Per-process snapshots of the reference data every request reads (ADR 0008).

API keys, enabled languages, SLA policies and webhook endpoints change a few times a day but are
read on every ticket. A `Snapshot` keeps what a loader returned, per key, for at most
`REFERENCE_CACHE_SECONDS`; saving or deleting one of the models it depends on drops it at once in
the process that made the change (Django's model signals). Other processes see the change when
their copy expires, so a revoked API key stops working everywhere within that many seconds.

`None` results are kept only with `keep_none=True` (no SLA policy for a language is an answer
too); an unknown API key costs a lookup every time instead of a memory entry an attacker could
multiply.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db.models.signals import post_delete, post_save

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

MAX_ENTRIES = 4096  # beyond this a snapshot starts afresh (a bound, not an LRU)

_registry: list[Snapshot[Any, Any]] = []


class Snapshot(Generic[K, V]):
    def __init__(
        self,
        load: Callable[[K], V | None],
        *,
        depends_on: tuple[str, ...],
        keep_none: bool = False,
    ) -> None:
        self._load = load
        self._keep_none = keep_none
        self._entries: dict[K, tuple[float, V | None]] = {}
        self._lock = threading.Lock()
        for label in depends_on:  # "app_label.ModelName": connected lazily by Django
            post_save.connect(self._changed, sender=label, weak=False)
            post_delete.connect(self._changed, sender=label, weak=False)
        _registry.append(self)

    def get(self, key: K) -> V | None:
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]
        value = self._load(key)
        ttl: float = settings.REFERENCE_CACHE_SECONDS
        if (value is not None or self._keep_none) and ttl > 0:
            with self._lock:
                if len(self._entries) >= MAX_ENTRIES:
                    self._entries = {}
                self._entries[key] = (now + ttl, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries = {}

    def _changed(self, **_kwargs: object) -> None:
        self.clear()


def clear_all() -> None:
    """Forget every snapshot in this process (tests; after bulk changes without signals)."""
    for snapshot in _registry:
        snapshot.clear()
