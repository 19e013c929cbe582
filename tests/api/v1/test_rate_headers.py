"""Every throttled endpoint says where its caller stands: `RateLimit-Limit`,
`RateLimit-Remaining`, `RateLimit-Reset` on each answer, 429s included (with `Retry-After`)."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from supportdesk.api import throttling
from tests.api.v1.conftest import assert_conforms, openapi, payload
from tests.api.v1.test_throttle_counters import THROTTLE_REDIS
from tests.conftest import ClientPrincipal, StaffPrincipal

pytestmark = pytest.mark.django_db

URL = "/api/v1/tickets/"
REDIS_CACHE = {"default": {"BACKEND": throttling.REDIS_BACKEND, "LOCATION": THROTTLE_REDIS}}


def standing(response: Any) -> tuple[int, str, str]:
    """(status, RateLimit-Limit, RateLimit-Remaining); RateLimit-Reset is within the window."""
    headers = response.headers
    assert 0 < int(headers["RateLimit-Reset"]) <= 60
    return response.status_code, headers["RateLimit-Limit"], headers["RateLimit-Remaining"]


@override_settings(API_THROTTLE_RATE="3/min")
def test_the_headers_count_down_and_the_429_says_when_to_retry(client_a: ClientPrincipal) -> None:
    answers = [client_a.client.get(URL) for _ in range(4)]

    assert [standing(answer) for answer in answers] == [
        (200, "3", "2"),
        (200, "3", "1"),
        (200, "3", "0"),
        (429, "3", "0"),
    ]
    refused = answers[3]
    assert refused.headers["Retry-After"] == refused.headers["RateLimit-Reset"]
    assert_conforms(refused, path=URL, method="get")
    assert_conforms(answers[0], path=URL, method="get")


@pytest.fixture
def redis_windows() -> Iterator[None]:
    with override_settings(API_THROTTLE_RATE="3/min", CACHES=REDIS_CACHE):
        throttling.counter().clear()
        yield
        throttling.counter().clear()


def test_the_headers_count_down_with_redis_too(
    client_a: ClientPrincipal, redis_windows: None
) -> None:
    answers = [client_a.client.get(URL) for _ in range(4)]

    assert [standing(answer) for answer in answers] == [
        (200, "3", "2"),
        (200, "3", "1"),
        (200, "3", "0"),
        (429, "3", "0"),
    ]
    assert answers[3].headers["Retry-After"] == answers[3].headers["RateLimit-Reset"]


@override_settings(API_THROTTLE_RATE="5/min")
def test_every_kind_of_endpoint_carries_them(
    client_a: ClientPrincipal, manager_principal: StaffPrincipal
) -> None:
    # given one request of each principal's families (the manager's budget is its own)
    as_client = [
        client_a.client.post(URL, payload(), format="json"),
        client_a.client.get("/api/v1/languages/"),
        client_a.client.get("/api/v1/webhooks/"),
    ]
    as_manager = [
        manager_principal.client.get("/api/v1/agents/me/"),
        manager_principal.client.get("/api/v1/dashboard/queues/"),
    ]
    anonymous = APIClient().get("/api/v1/languages/")
    # then each counts down its caller's window
    assert [standing(answer) for answer in as_client] == [
        (201, "5", "4"),
        (200, "5", "3"),
        (200, "5", "2"),
    ]
    assert [standing(answer) for answer in as_manager] == [(200, "5", "4"), (200, "5", "3")]
    assert standing(anonymous) == (200, "5", "4")  # counted under its address


@override_settings(API_THROTTLE_RATE="")
def test_no_headers_when_throttling_is_off(client_a: ClientPrincipal) -> None:
    response = client_a.client.get(URL)

    assert response.status_code == 200
    assert "RateLimit-Limit" not in response.headers


def test_the_schema_documents_them_on_every_answer() -> None:
    raw: dict[str, Any] = openapi().raw_schema
    responses = [
        (status, response)
        for item in raw["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "responses" in operation
        for status, response in operation["responses"].items()
    ]
    assert len(responses) > 100
    for status, response in responses:
        documented = set(response["headers"])
        assert {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} <= documented
        assert ("Retry-After" in documented) == (status == "429")
