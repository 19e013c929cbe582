"""Staff PATCH of status, priority and assignee, and what it does to agents' capacity."""

from typing import Any

import pytest

from supportdesk.agents.models import Agent
from supportdesk.tickets.models import EventKind, Priority, Ticket, TicketEvent
from tests.api.v1.conftest import assert_conforms
from tests.conftest import ClientPrincipal, StaffPrincipal
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


def _patch(staff: StaffPrincipal, ticket: dict[str, Any], **body: Any) -> Any:
    response = staff.client.patch(f"/api/v1/tickets/{ticket['id']}/", body, format="json")
    assert_conforms(response, path="/api/v1/tickets/{id}/", method="patch")
    return response


def _load(agent: Agent) -> int:
    agent.refresh_from_db()
    return agent.load


def test_assigning_opens_the_ticket_and_claims_a_slot_even_past_capacity(
    manager_principal: StaffPrincipal, ticket_of_a: dict[str, Any]
) -> None:
    # given a full agent
    agent = AgentFactory(capacity=1, load=1)
    # when a manager assigns it anyway
    response = _patch(manager_principal, ticket_of_a, assignee=agent.id)
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "open"
    assert body["assignee"] == {"id": agent.id, "name": agent.user.username}
    assert body["assigned_at"] is not None
    assert _load(agent) == 2
    ticket = Ticket.objects.get(public_id=ticket_of_a["id"])
    assert ticket.manually_assigned is True
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.ASSIGNED).count() == 1


def test_reassigning_moves_the_slot(
    manager_principal: StaffPrincipal, ticket_of_a: dict[str, Any]
) -> None:
    first, second = AgentFactory(), AgentFactory()
    _patch(manager_principal, ticket_of_a, assignee=first.id)
    response = _patch(manager_principal, ticket_of_a, assignee=second.id)
    assert response.json()["assignee"]["id"] == second.id
    assert (_load(first), _load(second)) == (0, 1)


def test_unassigning_an_open_ticket_puts_it_back_in_the_queue(
    manager_principal: StaffPrincipal, ticket_of_a: dict[str, Any]
) -> None:
    agent = AgentFactory()
    _patch(manager_principal, ticket_of_a, assignee=agent.id)
    response = _patch(manager_principal, ticket_of_a, assignee=None)
    assert response.json()["status"] == "new"
    assert response.json()["assignee"] is None
    assert _load(agent) == 0
    assert Ticket.objects.get(public_id=ticket_of_a["id"]).manually_assigned is False


@pytest.mark.parametrize("status", ["pending", "solved", "closed"])
def test_leaving_open_frees_the_agents_slot(
    agent_principal: StaffPrincipal, ticket_of_a: dict[str, Any], status: str
) -> None:
    agent = agent_principal.agent  # an agent takes the ticket itself
    _patch(agent_principal, ticket_of_a, assignee=agent.id)
    response = _patch(agent_principal, ticket_of_a, status=status)
    assert response.status_code == 200
    assert response.json()["status"] == status
    assert response.json()["assignee"]["id"] == agent.id
    assert _load(agent) == 0
    # and coming back to open takes it again
    assert _patch(agent_principal, ticket_of_a, status="open").json()["status"] == "open"
    assert _load(agent) == 1


def test_moving_to_new_unassigns(
    agent_principal: StaffPrincipal, ticket_of_a: dict[str, Any]
) -> None:
    agent = AgentFactory()
    _patch(agent_principal, ticket_of_a, assignee=agent.id)
    response = _patch(agent_principal, ticket_of_a, status="new")
    assert (response.json()["status"], response.json()["assignee"]) == ("new", None)
    assert _load(agent) == 0


def test_open_without_an_assignee_is_a_400(
    agent_principal: StaffPrincipal, ticket_of_a: dict[str, Any]
) -> None:
    response = _patch(agent_principal, ticket_of_a, status="open")
    assert response.status_code == 400
    assert "status" in response.json()
    assert Ticket.objects.get(public_id=ticket_of_a["id"]).status == "new"


def test_assign_and_park_in_one_request(
    manager_principal: StaffPrincipal, ticket_of_a: dict[str, Any]
) -> None:
    agent = AgentFactory()
    response = _patch(manager_principal, ticket_of_a, assignee=agent.id, status="pending")
    assert response.json()["status"] == "pending"
    assert response.json()["assignee"]["id"] == agent.id
    assert _load(agent) == 0


def test_priority_change_is_recorded(
    agent_principal: StaffPrincipal, ticket_of_a: dict[str, Any]
) -> None:
    response = _patch(agent_principal, ticket_of_a, priority="urgent")
    assert response.json()["priority"] == "urgent"
    ticket = Ticket.objects.get(public_id=ticket_of_a["id"])
    assert ticket.priority == Priority.URGENT
    event = TicketEvent.objects.get(ticket=ticket, kind=EventKind.PRIORITY_CHANGED)
    assert event.data == {"from": "normal", "to": "urgent"}
    assert event.actor_id == agent_principal.agent.id


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "archived"}, "status"),
        ({"priority": "critical"}, "priority"),
        ({"assignee": 987654}, "assignee"),
        ({"assignee": "anna"}, "assignee"),
    ],
)
def test_bad_changes_are_a_400(
    agent_principal: StaffPrincipal, ticket_of_a: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    response = _patch(agent_principal, ticket_of_a, **body)
    assert response.status_code == 400
    assert field in response.json()


def test_staff_see_why_a_ticket_waits_and_clients_do_not(
    client_a: ClientPrincipal, manager_principal: StaffPrincipal
) -> None:
    # given a Catalan ticket and nobody online who speaks Catalan or its fallbacks
    created = client_a.client.post(
        "/api/v1/tickets/",
        {"subject": "Factura", "body": "Hola", "language": "ca", "customer": {"email": "c@x.cat"}},
        format="json",
    ).json()
    # when staff and the client application read it
    staff_view = manager_principal.client.get(f"/api/v1/tickets/{created['id']}/").json()
    client_view = client_a.client.get(f"/api/v1/tickets/{created['id']}/").json()
    # then staff get the routing explanation, the client application gets null
    assert staff_view["routing"]["state"] == "waiting"
    assert staff_view["routing"]["summary"]
    assert client_view["routing"] is None
