"""The throttle's counters: exact on a real Redis under concurrent callers, and per process
without it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.test import override_settings
from rest_framework.test import APIClient

from supportdesk.api import throttling
from supportdesk.api.throttling import ProcessCounter, RedisCounter, parse_rate
from tests.conftest import ClientPrincipal

THROTTLE_REDIS = "redis://127.0.0.1:6379/5"  # this module's own Redis database
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


def test_redis_counts_every_concurrent_request_exactly_once(redis_counter: RedisCounter) -> None:
    def burst(_: int) -> list[int]:
        return [redis_counter.hit("throttle:api:app:1", 60)[0] for _ in range(50)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = [count for counts in pool.map(burst, range(8)) for count in counts]

    assert sorted(counts) == list(range(1, 401))  # no lost update, no double count
    _count, left = redis_counter.hit("throttle:api:app:1", 60)
    assert 58 < left <= 60  # the window opened with the first request


def test_redis_window_closes_after_its_period(redis_counter: RedisCounter) -> None:
    assert redis_counter.hit("throttle:api:app:2", 1)[0] == 1
    assert redis_counter.hit("throttle:api:app:2", 1)[0] == 2
    time.sleep(1.1)
    assert redis_counter.hit("throttle:api:app:2", 1)[0] == 1


def test_process_counter_counts_per_key_and_window() -> None:
    counter = ProcessCounter()
    assert [counter.hit("a", 1)[0] for _ in range(3)] == [1, 2, 3]
    assert counter.hit("b", 1)[0] == 1
    time.sleep(1.05)
    assert counter.hit("a", 1)[0] == 1


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
