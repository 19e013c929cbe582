"""The throttle's counters: on a real Redis, never more than the rate under concurrent
callers and processes (leases); within one process every request of a window's leases is
spent in that window, none refused while some are held, none spent after it closed; per
process without Redis."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.test import override_settings
from rest_framework.test import APIClient

from supportdesk.api import throttling
from supportdesk.api.throttling import (
    ProcessCounter,
    RedisCounter,
    Tally,
    lease_size,
    parse_rate,
)
from tests.conftest import ClientPrincipal
from tests.redis_urls import redis_url

THROTTLE_REDIS = redis_url(5)  # this module's own Redis database
URL = "/api/v1/tickets/"


@pytest.fixture
def redis_counter() -> Iterator[RedisCounter]:
    counter = RedisCounter(THROTTLE_REDIS)
    try:
        counter.client.ping()
    except redis.ConnectionError as exc:  # make test checks Redis first: this is a real failure
        raise AssertionError(f"Redis at {THROTTLE_REDIS} does not answer: {exc}") from exc
    counter.clear()
    yield counter
    counter.clear()


def test_rates_read_like_drf() -> None:
    assert parse_rate("600/min") == (600, 60)
    assert parse_rate("5/s") == (5, 1)
    assert parse_rate("100/hour") == (100, 3600)
    assert parse_rate("1000/day") == (1000, 86400)


def test_one_process_passes_exactly_the_rate_under_concurrent_callers(
    redis_counter: RedisCounter,
) -> None:
    limit = 3000  # leases of 30 requests
    assert lease_size(limit) == 30

    def burst(_: int) -> list[Tally]:
        return [redis_counter.take("throttle:api:app:1", limit, 60) for _ in range(500)]

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = [answer for answers in pool.map(burst, range(8)) for answer in answers]
    took = time.monotonic() - started

    assert sum(answer.passed for answer in answers) == limit  # none lost, none passed twice
    refused = [answer for answer in answers if not answer.passed]
    assert len(refused) == 4000 - limit
    # the window opened with the first request (however long a busy machine made the burst)
    assert all(60 - took - 0.1 < answer.reset <= 60 for answer in refused)
    assert {answer.remaining for answer in refused} == {0}


def test_processes_sharing_redis_never_pass_more_than_the_rate(
    redis_counter: RedisCounter,
) -> None:
    # given three web processes (three counters: leases are per process) and a rate of 1000
    others = [RedisCounter(THROTTLE_REDIS) for _ in range(2)]
    counters = [redis_counter, *others]
    limit, size = 1000, lease_size(1000)
    # when they serve a caller's requests in turn
    passed = sum(
        counters[number % 3].take("throttle:api:app:3", limit, 60).passed for number in range(1500)
    )
    # then no more than the rate passes, and at most the others' unspent leases less
    assert limit - 2 * (size - 1) <= passed <= limit


def test_small_rates_count_every_request_in_redis(redis_counter: RedisCounter) -> None:
    assert lease_size(60) == 1
    answers = [redis_counter.take("throttle:api:app:4", 2, 60) for _ in range(3)]
    assert [(answer.passed, answer.remaining) for answer in answers] == [
        (True, 1),
        (True, 0),
        (False, 0),
    ]
    assert redis_counter.client.get("throttle:api:app:4") == b"3"


def test_redis_window_closes_after_its_period(redis_counter: RedisCounter) -> None:
    assert redis_counter.take("throttle:api:app:2", 2, 1).passed
    assert redis_counter.take("throttle:api:app:2", 2, 1).passed
    refused = redis_counter.take("throttle:api:app:2", 2, 1)
    assert (refused.passed, refused.retry_after) == (False, 1)
    time.sleep(1.1)
    assert redis_counter.take("throttle:api:app:2", 2, 1).passed


def test_process_counter_counts_per_key_and_window() -> None:
    counter = ProcessCounter()
    answers = [counter.take("a", 2, 1) for _ in range(3)]
    assert [(answer.passed, answer.remaining) for answer in answers] == [
        (True, 1),
        (True, 0),
        (False, 0),
    ]
    assert 0 < answers[2].reset <= 1
    assert counter.take("b", 2, 1).passed
    time.sleep(1.05)
    assert counter.take("a", 2, 1).passed


@override_settings(
    API_THROTTLE_RATE="2/min",
    CACHES={"default": {"BACKEND": throttling.REDIS_BACKEND, "LOCATION": THROTTLE_REDIS}},
)
def test_the_api_throttles_through_redis_when_the_cache_is_redis(
    client_a: ClientPrincipal, redis_counter: RedisCounter
) -> None:
    statuses = [client_a.client.get(URL).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert redis_counter.client.get(f"throttle:api:app:{client_a.app.pk}") == b"3"
    anonymous = APIClient().get(URL)
    assert anonymous.status_code == 401  # counted under its IP, not the application's budget


def test_a_lease_is_not_spent_after_its_window_closed_by_a_caller_that_waited(
    redis_counter: RedisCounter,
) -> None:
    """The flake's root cause: a caller read the clock, waited for the counter (a busy CPU),
    and then spent the old window's lease after the window had closed; that request counted in
    no window, so the next window could pass more than the rate."""
    # given a lease of 3 from a 1-second window
    key, limit = "throttle:api:app:5", 300
    assert lease_size(limit) == 3
    assert redis_counter.take(key, limit, 1).passed
    # when a caller starts while the window is open but reaches the counter only after it closed
    answers: list[bool] = []
    with redis_counter._lock:  # the caller waits here, as behind a busy CPU
        late = threading.Thread(
            target=lambda: answers.append(redis_counter.take(key, limit, 1).passed)
        )
        late.start()
        time.sleep(1.2)
    late.join(timeout=10)
    # then its request counted in the new window (a new lease taken), not in the closed one
    assert answers == [True]
    assert redis_counter.client.get(key) == b"3"
    assert 0 < redis_counter.client.pttl(key) <= 1000
