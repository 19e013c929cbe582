"""Nudges published in batches by one background thread per process (ADR 0009).

A Celery publish costs a web worker about a millisecond of CPU, a sixth of a ticket's intake.
`Batcher.add(kind, item)` hands the item to a thread that publishes everything waiting for the
same kind as one message: `kind.task(items)`, followed (as its link, sent by the worker once
the task succeeded) by `kind.then(items)`. The first item of a batch waits at most
LINGER_SECONDS for company: a lone item leaves 50 ms later than it would alone; at 100
tickets/s per process about five share a message, and the cost per item falls as the rate
rises.

What is lost when a process dies before its thread published (at most LINGER_SECONDS' worth):
nudges only. The database is the truth (ADR 0002); the routing sweep routes such tickets.
With `task_always_eager` (the embedded runtime and the tests) items are published at once,
one each, in the caller's thread.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from queue import Empty, SimpleQueue

from celery import Task, current_app

from supportdesk.core.publishing import failure_frames, publish

logger = logging.getLogger(__name__)

MAX_BATCH = 500  # items per message: a bounded message, a bounded task
# how long the first item of a batch waits for company: at 100 tickets/s per web process, ~5
# tickets share a message; routing starts at most this much later
LINGER_SECONDS = 0.05


@dataclass(frozen=True)
class Kind:
    """What to publish for a batch of items: `task(items)` on `queue` (None: the task's
    route), then `then(items)` once `task` succeeded (None: nothing)."""

    task: Task[..., object]
    queue: str | None = None
    then: Task[..., object] | None = None


class Batcher:
    def __init__(self) -> None:
        self._waiting: SimpleQueue[tuple[Kind, int]] = SimpleQueue()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._unpublished = 0
        self._owner_pid = 0  # the process whose thread drains the queue (0: none yet)

    def add(self, kind: Kind, item: int) -> None:
        if current_app.conf.task_always_eager:
            self._publish(kind, [item])
            return
        with self._lock:
            self._unpublished += 1
            if self._owner_pid != os.getpid():  # first use, or a forked child: start a thread
                self._owner_pid = os.getpid()
                threading.Thread(target=self._run, name="nudge-batcher", daemon=True).start()
        self._waiting.put((kind, item))

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything added so far has been published (or given up on); False if
        `timeout` passed first."""
        with self._idle:
            return self._idle.wait_for(lambda: self._unpublished == 0, timeout=timeout)

    def _run(self) -> None:
        while True:
            batch = [self._waiting.get()]
            closes = time.monotonic() + LINGER_SECONDS
            try:
                while len(batch) < MAX_BATCH:
                    batch.append(self._waiting.get(timeout=max(closes - time.monotonic(), 0)))
            except Empty:
                pass
            self._publish_all(batch)

    def _publish_all(self, batch: list[tuple[Kind, int]]) -> None:
        grouped: dict[Kind, list[int]] = defaultdict(list)
        for kind, item in batch:
            grouped[kind].append(item)
        try:
            for kind, items in grouped.items():
                self._publish(kind, items)
        # never let the thread die: the sweep covers what was not sent
        except Exception as exc:  # noqa: BLE001 - logged (frames only), then the sweep
            logger.error(
                "publishing a batch of %d nudges failed (%s)\n%s",
                len(batch),
                type(exc).__name__,
                failure_frames(exc),
            )
        finally:
            with self._idle:
                self._unpublished -= len(batch)
                self._idle.notify_all()

    @staticmethod
    def _publish(kind: Kind, items: list[int]) -> None:
        then = kind.then.si(items) if kind.then is not None else None
        publish(kind.task, (items,), queue=kind.queue, then=then)


batcher = Batcher()
atexit.register(batcher.flush, 5.0)  # a worker that exits cleanly sends what it holds
