"""Every v1 endpoint of this issue, for every kind of caller, in one table."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.api.v1.conftest import assert_conforms, create_ticket, payload
from tests.conftest import ClientPrincipal, StaffPrincipal

pytestmark = pytest.mark.django_db

# "agent" speaks the ticket's language (nl), "agent_de" does not: the ticket is not in its
# scope (tickets_visible_to), so it is a 404 to it, as another application's ticket is to B
CALLERS = ("anon", "client_a", "client_b", "agent", "agent_de", "manager")

# (method, path template, body, expected status per caller in CALLERS order)
MATRIX: list[tuple[str, str, dict[str, Any] | None, tuple[int, ...]]] = [
    ("post", "/api/v1/tickets/", payload(), (401, 201, 201, 403, 403, 403)),
    ("get", "/api/v1/tickets/", None, (401, 200, 200, 200, 200, 200)),
    ("get", "/api/v1/tickets/{id}/", None, (401, 200, 404, 200, 404, 200)),
    ("patch", "/api/v1/tickets/{id}/", {"priority": "high"}, (401, 403, 403, 200, 404, 200)),
    ("get", "/api/v1/tickets/{id}/messages/", None, (401, 200, 404, 200, 404, 200)),
    (
        "post",
        "/api/v1/tickets/{id}/messages/",
        {"body": "Any news?"},
        (401, 201, 404, 403, 403, 403),
    ),
    ("post", "/api/v1/tickets/{id}/replies/", {"body": "On it."}, (401, 403, 403, 201, 404, 201)),
    ("get", "/api/v1/languages/", None, (200, 200, 200, 200, 200, 200)),
    ("get", "/api/v1/agents/me/", None, (401, 403, 403, 200, 200, 200)),
    ("patch", "/api/v1/agents/me/", {"status": "away"}, (401, 403, 403, 200, 200, 200)),
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
    fixture = {
        "agent": "agent_principal",
        "agent_de": "german_agent",
        "manager": "manager_principal",
    }.get(caller, caller)
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


def _listed(client: APIClient) -> set[str]:
    return {t["reference"] for t in client.get("/api/v1/tickets/").json()["results"]}


def test_an_agent_sees_its_languages_and_its_own_tickets_a_manager_sees_all(
    client_a: ClientPrincipal,
    agent_principal: StaffPrincipal,
    german_agent: StaffPrincipal,
    manager_principal: StaffPrincipal,
) -> None:
    # given a Dutch, a German, a Brazilian ticket, and the Brazilian one assigned to the
    # German agent by a manager
    dutch = create_ticket(client_a.client, customer={"email": "a@example.nl"})
    german = create_ticket(client_a.client, language="de", customer={"email": "b@example.de"})
    brazil = create_ticket(client_a.client, language="pt-BR", customer={"email": "c@ex.br"})
    assigned = manager_principal.client.patch(
        f"/api/v1/tickets/{brazil['id']}/", {"assignee": german_agent.agent.pk}, format="json"
    )
    assert assigned.status_code == 200, assigned.content
    # when each lists the tickets, then
    assert _listed(agent_principal.client) == {dutch["reference"]}
    assert _listed(german_agent.client) == {german["reference"], brazil["reference"]}
    assert _listed(manager_principal.client) == {
        dutch["reference"],
        german["reference"],
        brazil["reference"],
    }
    # and the German agent may not reply to the Dutch ticket, nor read its thread
    thread = german_agent.client.get(f"/api/v1/tickets/{dutch['id']}/messages/")
    assert thread.status_code == 404


def test_reassigning_to_another_agent_is_a_managers_act(
    client_a: ClientPrincipal,
    agent_principal: StaffPrincipal,
    german_agent: StaffPrincipal,
    manager_principal: StaffPrincipal,
) -> None:
    # given a Dutch ticket the Dutch agent takes
    ticket = create_ticket(client_a.client)
    url = f"/api/v1/tickets/{ticket['id']}/"
    me = agent_principal.agent.pk
    taken = agent_principal.client.patch(url, {"assignee": me}, format="json")
    assert taken.status_code == 200, taken.content
    # when the agent hands it to a colleague
    handed = agent_principal.client.patch(url, {"assignee": german_agent.agent.pk}, format="json")
    # then it is refused, with a message, and nothing changed
    assert handed.status_code == 403
    assert "manager" in handed.json()["detail"]
    assert_conforms(handed, path="/api/v1/tickets/{id}/", method="patch")
    assert manager_principal.client.get(url).json()["assignee"]["id"] == me
    # when the manager does it, it is done
    moved = manager_principal.client.patch(url, {"assignee": german_agent.agent.pk}, format="json")
    assert moved.status_code == 200
    assert moved.json()["assignee"]["id"] == german_agent.agent.pk
    # and the agent cannot take it back either (it is another agent's now, and not its own
    # assignment to give back)
    back = agent_principal.client.patch(url, {"assignee": me}, format="json")
    assert back.status_code == 403
