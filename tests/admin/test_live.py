"""The live endpoint behind the ticket list: one queue's rows as JSON, in the list's order and
the user's scope; the page carries its configuration and translated labels."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from supportdesk.agents.models import Agent
from supportdesk.routing.services import ticket_route
from supportdesk.tickets.models import Priority
from tests.admin.conftest import open_ticket
from tests.factories import TicketFactory

pytestmark = pytest.mark.django_db
Login = Callable[[Agent], Client]
LIVE = reverse("admin:tickets_ticket_live")


def rows(client: Client, show: str) -> list[dict[str, object]]:
    response = client.get(LIVE, {"show": show})
    assert response.status_code == 200
    result: list[dict[str, object]] = response.json()["rows"]
    return result


def test_a_ticket_routed_to_the_agent_appears_in_its_open_tickets(
    login: Login, anna: Agent
) -> None:
    client = login(anna)
    assert rows(client, "mine-open") == []
    ticket = TicketFactory(language="nl", subject="Pakket kwijt")
    Agent.objects.filter(pk=anna.pk).update(status="online", last_seen=timezone.now())

    ticket_route(ticket_id=ticket.pk)

    listed = rows(client, "mine-open")
    assert [row["reference"] for row in listed] == [ticket.reference]
    assert listed[0]["subject"] == "Pakket kwijt"
    assert listed[0]["url"] == reverse("admin:tickets_ticket_change", args=[ticket.pk])


def test_the_unassigned_rows_come_in_queue_order_and_scope(login: Login, anna: Agent) -> None:
    now = timezone.now()
    normal = TicketFactory(language="nl", first_response_due_at=now + timedelta(hours=1))
    urgent = TicketFactory(language="nl", priority=Priority.URGENT)
    TicketFactory(language="ja")  # not anna's language
    open_ticket(anna, language="nl")  # assigned
    assert [row["id"] for row in rows(login(anna), "unassigned")] == [urgent.pk, normal.pk]


def test_an_unknown_queue_is_a_400_not_a_500(login: Login, anna: Agent) -> None:
    response = login(anna).get(LIVE, {"show": "everything"})
    assert response.status_code == 400
    assert "mine-open" in response.json()["detail"]


def test_the_live_endpoint_needs_a_staff_session(client: Client) -> None:
    assert client.get(LIVE, {"show": "unassigned"}).status_code == 302  # to the login page


def test_the_list_page_carries_the_live_configuration(login: Login, anna: Agent) -> None:
    mine = open_ticket(anna, language="nl")
    Agent.objects.filter(pk=anna.pk).update(ui_language="nl")
    response = login(anna).get(reverse("admin:tickets_ticket_changelist"), {"refresh": "3"})
    live = response.context["live"]
    assert live["interval_ms"] == 3000
    assert live["known"] == [mine.pk]
    assert live["labels"]["unread"] == "Nieuw"
    assert 'id="sd-live-config"' in response.content.decode()
    assert "supportdesk/workspace.js" in response.content.decode()


def test_the_ticket_page_knows_its_neighbours_for_the_keyboard(login: Login, anna: Agent) -> None:
    older = open_ticket(anna, language="nl", created_at=timezone.now() - timedelta(hours=2))
    middle = open_ticket(anna, language="nl", created_at=timezone.now() - timedelta(hours=1))
    newer = open_ticket(anna, language="nl")
    page = login(anna).get(reverse("admin:tickets_ticket_change", args=[middle.pk]))
    work = page.context["work"]
    assert work["next"].startswith(reverse("admin:tickets_ticket_change", args=[older.pk]))
    assert work["previous"].startswith(reverse("admin:tickets_ticket_change", args=[newer.pk]))
    assert ["m", "Apply a macro"] in work["labels"]["shortcuts"]


def test_everyones_tickets_are_not_polled(login: Login, maria: Agent) -> None:
    client = login(maria)
    assert client.get(LIVE, {"show": "all"}).status_code == 400
    page = client.get(reverse("admin:tickets_ticket_changelist"), {"show": "all"})
    assert page.context["live"]["url"] == ""  # the script keeps its keys, skips the polling
