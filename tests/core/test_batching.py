"""The nudge batcher (ADR 0009) against a real Redis broker: every item published exactly
once, under load in fewer messages than items, each message followed by its link."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import redis
from celery.signals import after_task_publish

from supportdesk.core.batching import Batcher, Kind
from supportdesk.notifications.tasks import acknowledge_tickets_task
from supportdesk.routing.tasks import route_tickets_task
from tests.redis_urls import redis_url
from tests.routing.conftest import publishing_to

BROKER = redis_url(6)  # this module's own Redis database


@pytest.fixture
def published() -> Iterator[list[dict[str, Any]]]:
    """What reached the broker: Celery's own after-publish signal, per message."""
    client = redis.Redis.from_url(BROKER)
    client.flushdb()
    seen: list[dict[str, Any]] = []

    def record(sender: str | None = None, headers: Any = None, body: Any = None, **_: Any) -> None:
        args, _kwargs, embed = body
        seen.append({"task": sender, "args": args[0], "links": embed.get("callbacks") or []})

    after_task_publish.connect(record, weak=False)
    with publishing_to(BROKER):
        yield seen
    after_task_publish.disconnect(record)
    client.flushdb()


ROUTE = Kind(task=route_tickets_task, queue="routing", then=acknowledge_tickets_task)
OTHER_QUEUE = Kind(task=route_tickets_task, queue="routing-apac")


def test_every_item_is_published_once_and_bursts_share_messages(
    published: list[dict[str, Any]],
) -> None:
    batcher = Batcher()

    def add(item: int) -> None:
        batcher.add(ROUTE if item % 3 else OTHER_QUEUE, item)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(add, range(600)))
    assert batcher.flush()

    items = sorted(item for message in published for item in message["args"])
    assert items == list(range(600))  # none lost, none twice
    assert len(published) < 600  # a burst goes out in batches
    for message in published:
        assert message["task"] == "routing.route_tickets"
        if message["args"][0] % 3:  # the acknowledgement link names the same tickets
            [link] = message["links"]
            assert link["task"] == "notifications.acknowledge_tickets"
            assert list(link["args"]) == [message["args"]]
        else:
            assert message["links"] == []


def test_a_lone_item_leaves_without_waiting_for_company(
    published: list[dict[str, Any]],
) -> None:
    batcher = Batcher()
    batcher.add(ROUTE, 42)

    deadline = time.monotonic() + 5
    while not published and time.monotonic() < deadline:
        time.sleep(0.01)

    assert [m["args"] for m in published] == [[42]]


@pytest.mark.django_db
def test_with_eager_tasks_items_run_at_once_in_the_callers_thread() -> None:
    # the test settings run tasks eagerly (as `make run` does): routing runs in this thread
    calls = Batcher()
    calls.add(Kind(task=route_tickets_task), 0)  # ticket 0 does not exist: "not-routable"

    assert calls.flush(timeout=0)  # nothing was left for a thread
