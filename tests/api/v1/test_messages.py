"""The thread: customer replies, agent replies, internal notes (never shown to clients)."""

from typing import Any

import pytest

from supportdesk.tickets.models import EventKind, Ticket, TicketEvent
from tests.api.v1.conftest import assert_conforms, create_ticket, payload
from tests.conftest import ClientPrincipal, StaffPrincipal

pytestmark = pytest.mark.django_db


def _thread(client: Any, ticket_id: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/tickets/{ticket_id}/messages/")
    assert response.status_code == 200
    assert_conforms(response, path="/api/v1/tickets/{id}/messages/", method="get")
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def test_the_thread_begins_with_the_ticket_body(
    client_a: ClientPrincipal, ticket_of_a: dict[str, Any]
) -> None:
    thread = _thread(client_a.client, ticket_of_a["id"])
    assert [(m["author_kind"], m["body"]) for m in thread] == [("customer", payload()["body"])]


def test_internal_notes_are_never_shown_to_clients(
    client_a: ClientPrincipal, agent_principal: StaffPrincipal, ticket_of_a: dict[str, Any]
) -> None:
    # given a public reply and an internal note by an agent
    url = f"/api/v1/tickets/{ticket_of_a['id']}/replies/"
    public = agent_principal.client.post(url, {"body": "We are on it."}, format="json")
    note = agent_principal.client.post(
        url, {"body": "Carrier says: lost.", "internal": True}, format="json"
    )
    assert (public.status_code, note.status_code) == (201, 201)
    assert_conforms(note, path="/api/v1/tickets/{id}/replies/", method="post")
    assert public.json()["author_name"] == "agent-anna"
    # then the client sees the public thread only, staff see everything
    client_bodies = [m["body"] for m in _thread(client_a.client, ticket_of_a["id"])]
    staff_bodies = [m["body"] for m in _thread(agent_principal.client, ticket_of_a["id"])]
    assert "Carrier says: lost." not in client_bodies
    assert client_bodies == [payload()["body"], "We are on it."]
    assert staff_bodies == [payload()["body"], "We are on it.", "Carrier says: lost."]


def test_the_first_public_reply_is_the_first_response(
    agent_principal: StaffPrincipal, ticket_of_a: dict[str, Any]
) -> None:
    url = f"/api/v1/tickets/{ticket_of_a['id']}/replies/"
    agent_principal.client.post(url, {"body": "note", "internal": True}, format="json")
    ticket = Ticket.objects.get(public_id=ticket_of_a["id"])
    assert ticket.first_response_at is None

    first = agent_principal.client.post(url, {"body": "Hello!"}, format="json").json()
    agent_principal.client.post(url, {"body": "Again"}, format="json")

    ticket.refresh_from_db()
    assert ticket.first_response_at is not None
    assert ticket.first_response_at.isoformat().startswith(first["created_at"][:19])
    replied = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.REPLIED)
    assert replied.count() == 3
    assert replied.first() is not None


def test_a_customer_reply_answers_201_and_appends(
    client_a: ClientPrincipal, ticket_of_a: dict[str, Any]
) -> None:
    response = client_a.client.post(
        f"/api/v1/tickets/{ticket_of_a['id']}/messages/", {"body": "Any news?"}, format="json"
    )
    assert response.status_code == 201
    assert_conforms(response, path="/api/v1/tickets/{id}/messages/", method="post")
    assert response.json()["author_kind"] == "customer"
    assert [m["body"] for m in _thread(client_a.client, ticket_of_a["id"])][-1] == "Any news?"


@pytest.mark.parametrize("body", [{"body": ""}, {"body": "   "}, {}, {"body": None}])
def test_an_empty_body_is_a_400(
    client_a: ClientPrincipal,
    agent_principal: StaffPrincipal,
    ticket_of_a: dict[str, Any],
    body: dict[str, Any],
) -> None:
    base = f"/api/v1/tickets/{ticket_of_a['id']}"
    customer = client_a.client.post(f"{base}/messages/", body, format="json")
    agent = agent_principal.client.post(f"{base}/replies/", body, format="json")
    assert (customer.status_code, agent.status_code) == (400, 400)
    assert "body" in customer.json()


@pytest.mark.parametrize(
    ("assigned", "reopened_as"), [(True, "open"), (False, "new")], ids=["assigned", "unassigned"]
)
def test_a_customer_reply_reopens_a_solved_ticket(
    client_a: ClientPrincipal,
    manager_principal: StaffPrincipal,
    agent_principal: StaffPrincipal,
    assigned: bool,
    reopened_as: str,
) -> None:
    # given a solved ticket (assigned to the agent, or not)
    ticket = create_ticket(client_a.client)
    url = f"/api/v1/tickets/{ticket['id']}/"
    if assigned:
        manager_principal.client.patch(url, {"assignee": agent_principal.agent.id}, format="json")
    solved = manager_principal.client.patch(url, {"status": "solved"}, format="json")
    assert solved.json()["status"] == "solved"
    agent_principal.agent.refresh_from_db()
    assert agent_principal.agent.load == 0
    # when the customer writes again
    client_a.client.post(f"{url}messages/", {"body": "Still broken."}, format="json")
    # then it is back in work, and an assigned one counts against its agent again
    after = client_a.client.get(url).json()
    assert after["status"] == reopened_as
    agent_principal.agent.refresh_from_db()
    assert agent_principal.agent.load == (1 if assigned else 0)
    assert (after["assignee"] is not None) == assigned


def test_a_closed_ticket_takes_no_customer_reply(
    client_a: ClientPrincipal, manager_principal: StaffPrincipal, ticket_of_a: dict[str, Any]
) -> None:
    url = f"/api/v1/tickets/{ticket_of_a['id']}/"
    manager_principal.client.patch(url, {"status": "closed"}, format="json")
    response = client_a.client.post(f"{url}messages/", {"body": "Hello?"}, format="json")
    assert response.status_code == 400
    assert "body" in response.json()
