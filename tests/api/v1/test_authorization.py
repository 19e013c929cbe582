"""Every v1 endpoint of this issue, for every kind of caller, in one table."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.api.v1.conftest import assert_conforms, create_ticket, payload
from tests.conftest import ClientPrincipal, StaffPrincipal

pytestmark = pytest.mark.django_db

CALLERS = ("anon", "client_a", "client_b", "agent", "manager")

# (method, path template, body, expected status per caller in CALLERS order)
MATRIX: list[tuple[str, str, dict[str, Any] | None, tuple[int, ...]]] = [
    ("post", "/api/v1/tickets/", payload(), (401, 201, 201, 403, 403)),
    ("get", "/api/v1/tickets/", None, (401, 200, 200, 200, 200)),
    ("get", "/api/v1/tickets/{id}/", None, (401, 200, 404, 200, 200)),
    ("patch", "/api/v1/tickets/{id}/", {"priority": "high"}, (401, 403, 403, 200, 200)),
    ("get", "/api/v1/tickets/{id}/messages/", None, (401, 200, 404, 200, 200)),
    ("post", "/api/v1/tickets/{id}/messages/", {"body": "Any news?"}, (401, 201, 404, 403, 403)),
    ("post", "/api/v1/tickets/{id}/replies/", {"body": "On it."}, (401, 403, 403, 201, 201)),
    ("get", "/api/v1/languages/", None, (200, 200, 200, 200, 200)),
    ("get", "/api/v1/agents/me/", None, (401, 403, 403, 200, 200)),
    ("patch", "/api/v1/agents/me/", {"status": "away"}, (401, 403, 403, 200, 200)),
]

CASES = [
    pytest.param((method, path, body), caller, expected, id=f"{method}-{path}-{caller}")
    for method, path, body, statuses in MATRIX
    for caller, expected in zip(CALLERS, statuses, strict=True)
]


def _client_for(caller: str, request: pytest.FixtureRequest) -> APIClient:
    if caller == "anon":
        anon: APIClient = request.getfixturevalue("anon_client")
        return anon
    fixture = {"agent": "agent_principal", "manager": "manager_principal"}.get(caller, caller)
    principal: ClientPrincipal | StaffPrincipal = request.getfixturevalue(fixture)
    return principal.client


@pytest.mark.parametrize(("endpoint", "caller", "expected"), CASES)
def test_authorization_matrix(
    endpoint: tuple[str, str, dict[str, Any] | None],
    caller: str,
    expected: int,
    client_a: ClientPrincipal,
    request: pytest.FixtureRequest,
) -> None:
    method, path, body = endpoint
    # given a ticket of client application A
    ticket = create_ticket(client_a.client)
    client = _client_for(caller, request)
    url = path.format(id=ticket["id"])
    # when
    response = getattr(client, method)(url, body, format="json")
    # then
    assert response.status_code == expected, response.content
    if expected == 401:
        assert response.headers["WWW-Authenticate"] == "Api-Key"
    assert_conforms(response, path=path, method=method)


def test_a_client_lists_only_its_own_tickets(
    client_a: ClientPrincipal, client_b: ClientPrincipal, agent_principal: StaffPrincipal
) -> None:
    mine = create_ticket(client_a.client)
    theirs = create_ticket(client_b.client)

    seen_by_a = [t["id"] for t in client_a.client.get("/api/v1/tickets/").json()["results"]]
    seen_by_staff = [
        t["id"] for t in agent_principal.client.get("/api/v1/tickets/").json()["results"]
    ]

    assert seen_by_a == [mine["id"]]
    assert set(seen_by_staff) == {mine["id"], theirs["id"]}
