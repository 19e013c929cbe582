"""/api/v1/dashboard/*: managers only, bad parameters are 400s, figures match the selectors,
responses conform to the OpenAPI schema, and query counts stay flat."""

from collections.abc import Iterator

import pytest
import time_machine
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from supportdesk.api import throttling
from tests.api.v1.conftest import assert_conforms
from tests.conftest import ClientPrincipal, StaffPrincipal
from tests.dashboards.conftest import NOW, Hub

pytestmark = pytest.mark.django_db

ENDPOINTS = ("queues", "hub", "agents", "sla", "trends", "staffing")


@pytest.fixture(autouse=True)
def _frozen_clock() -> Iterator[None]:
    throttling.counter().clear()  # throttle counters
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_callers_get_401_with_a_challenge(anon_client: APIClient, endpoint: str) -> None:
    response = anon_client.get(f"/api/v1/dashboard/{endpoint}/")

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_client_apps_and_agents_get_403(
    client_a: ClientPrincipal, agent_principal: StaffPrincipal, endpoint: str
) -> None:
    assert client_a.client.get(f"/api/v1/dashboard/{endpoint}/").status_code == 403
    assert agent_principal.client.get(f"/api/v1/dashboard/{endpoint}/").status_code == 403


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_managers_get_figures_that_conform_to_the_schema(
    hub: Hub, manager_principal: StaffPrincipal, endpoint: str
) -> None:
    path = f"/api/v1/dashboard/{endpoint}/"

    response = manager_principal.client.get(path)

    assert response.status_code == 200
    assert_conforms(response, path=path, method="get")


def test_queues_entries_carry_the_documented_fields(
    hub: Hub, manager_principal: StaffPrincipal
) -> None:
    entries = manager_principal.client.get("/api/v1/dashboard/queues/").json()
    nl = next(e for e in entries if e["language"] == "nl")

    assert nl["name"]
    assert {k: nl[k] for k in ("waiting", "oldest_wait_seconds", "assigned_open")} == {
        "waiting": 3,
        "oldest_wait_seconds": 600,
        "assigned_open": 2,
    }
    # a1, a2 and the manager (online, speaks nl, 5 free slots)
    assert (nl["agents_online"], nl["free_capacity"], nl["at_risk"], nl["breached"]) == (3, 8, 2, 1)
    assert (nl["arrivals_last_hour"], nl["solved_last_hour"]) == (5, 1)
    # assigned 60, 120, 600 s and still waiting 120, 240, 600 s (censored at now)
    assert nl["median_wait_seconds"] == pytest.approx(180)
    assert nl["p90_wait_seconds"] == pytest.approx(600)
    assert nl["first_response_sla_attainment"] == pytest.approx(1 / 3)


def test_window_hours_changes_the_percentile_window(
    hub: Hub, manager_principal: StaffPrincipal
) -> None:
    entries = manager_principal.client.get("/api/v1/dashboard/queues/?window_hours=1").json()
    nl = next(e for e in entries if e["language"] == "nl")

    # S1 was assigned 3 h ago: O1 600 s, O2 60 s and the three waiting 120, 240, 600 s
    assert nl["median_wait_seconds"] == pytest.approx(240)


def test_staffing_takes_the_targets_from_the_query(
    hub: Hub, manager_principal: StaffPrincipal
) -> None:
    loose = manager_principal.client.get(
        "/api/v1/dashboard/staffing/?target_seconds=3600&target_level=0.5"
    ).json()
    strict = manager_principal.client.get(
        "/api/v1/dashboard/staffing/?target_seconds=10&target_level=0.99"
    ).json()
    nl_loose = next(e for e in loose if e["language"] == "nl")
    nl_strict = next(e for e in strict if e["language"] == "nl")

    assert nl_loose["slots_needed"] < nl_strict["slots_needed"]
    assert nl_strict["service_level"] >= 0.99
    de = next(e for e in strict if e["language"] == "de")
    assert (de["slots_needed"], de["agents_needed"]) == (None, None)


@pytest.mark.parametrize(
    "query",
    [
        "target_level=1",
        "target_level=0",
        "target_level=1.5",
        "target_level=nan",
        "target_level=inf",
        "target_level=abc",
        "target_seconds=-5",
        "target_seconds=ten",
        "target_seconds=99999999999999999999999",
        "window_hours=0",
        "window_hours=%00",
    ],
)
def test_bad_staffing_parameters_are_400(manager_principal: StaffPrincipal, query: str) -> None:
    response = manager_principal.client.get(f"/api/v1/dashboard/staffing/?{query}")

    assert response.status_code == 400
    assert response.json()


@pytest.mark.parametrize("query", ["window_hours=0", "window_hours=169", "window_hours=x"])
def test_bad_window_is_400(manager_principal: StaffPrincipal, query: str) -> None:
    for endpoint in ("queues", "hub", "agents", "sla", "trends"):
        response = manager_principal.client.get(f"/api/v1/dashboard/{endpoint}/?{query}")
        assert response.status_code == 400, endpoint
        assert "window_hours" in response.json()


@pytest.mark.parametrize(
    ("endpoint", "queries"),
    [("queues", 8), ("agents", 6), ("hub", 10), ("sla", 6), ("trends", 6), ("staffing", 7)],
)
def test_query_count_does_not_grow_with_tickets_or_agents(
    hub: Hub,
    manager_principal: StaffPrincipal,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    endpoint: str,
    queries: int,
) -> None:
    # auth (token, user, manager group) + the selectors' fixed number of grouped queries
    with django_assert_max_num_queries(queries):
        response = manager_principal.client.get(f"/api/v1/dashboard/{endpoint}/")
    assert response.status_code == 200
