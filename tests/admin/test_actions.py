"""Changelist actions (take, release, solve, reassign) and the ticket page (reply, internal
note, status, priority), all through the ticket services."""

import re
from collections.abc import Callable

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from supportdesk.agents.models import Agent
from supportdesk.tickets.models import EventKind, Priority, Ticket, TicketStatus
from tests.admin.conftest import make_agent, open_ticket
from tests.factories import MessageFactory, TicketFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:tickets_ticket_changelist")
Login = Callable[[Agent], Client]


def act(client: Client, action: str, tickets: list[Ticket], **extra: str) -> str:
    response = client.post(
        f"{CHANGELIST}?show=all",
        {"action": action, ACTION_CHECKBOX_NAME: [t.pk for t in tickets], **extra},
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


def change_url(ticket: Ticket) -> str:
    return reverse("admin:tickets_ticket_change", args=[ticket.pk])


def submit(client: Client, ticket: Ticket, **fields: object) -> str:
    ticket.refresh_from_db()
    data = {"status": ticket.status, "priority": ticket.priority, "reply_kind": "public"}
    data.update({k: str(v) for k, v in fields.items()})
    response = client.post(change_url(ticket), {**data, "_continue": "1"}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_take_assigns_the_ticket_to_me_and_counts_it(login: Login, anna: Agent) -> None:
    waiting = TicketFactory(language="nl")

    act(login(anna), "take", [waiting])

    waiting.refresh_from_db()
    anna.refresh_from_db()
    assert (waiting.assignee_id, waiting.status) == (anna.pk, TicketStatus.OPEN)
    assert anna.load == 1
    assert waiting.events.filter(kind=EventKind.ASSIGNED).exists()


def test_take_respects_capacity_unless_the_agent_insists(login: Login, anna: Agent) -> None:
    # given: anna is full
    Agent.objects.filter(pk=anna.pk).update(capacity=1)
    open_ticket(anna, language="nl")
    waiting = TicketFactory(language="nl")
    client = login(anna)
    # when / then: refused
    page = act(client, "take", [waiting])
    waiting.refresh_from_db()
    assert waiting.assignee_id is None
    assert "Insist" in page
    # when / then: insisting takes it above capacity
    act(client, "take", [waiting], insist="on")
    waiting.refresh_from_db()
    anna.refresh_from_db()
    assert waiting.assignee_id == anna.pk
    assert anna.load == 2


def test_release_puts_the_ticket_back_in_the_queue(login: Login, anna: Agent) -> None:
    mine = open_ticket(anna, language="nl")

    act(login(anna), "release", [mine])

    mine.refresh_from_db()
    anna.refresh_from_db()
    assert (mine.assignee_id, mine.status) == (None, TicketStatus.NEW)
    assert anna.load == 0


def test_solve_frees_the_slot(login: Login, anna: Agent) -> None:
    mine = open_ticket(anna, language="nl")

    page = act(login(anna), "solve", [mine])

    mine.refresh_from_db()
    anna.refresh_from_db()
    assert mine.status == TicketStatus.SOLVED
    assert mine.solved_at is not None
    assert anna.load == 0
    assert "1 ticket solved." in page


def candidate_rows(page: str) -> list[str]:
    return [row.split("</tr>")[0] for row in page.split('<tr class="sd-candidate">')[1:]]


def test_reassign_lists_who_speaks_the_language_with_their_load(
    login: Login, anna: Agent, bruno: Agent, maria: Agent
) -> None:
    # given: a Brazilian ticket; carla speaks European Portuguese, dirk only German
    ticket = open_ticket(anna, language="pt-BR")
    carla = make_agent("carla", {"pt-PT": "fluent"})
    make_agent("dirk", {"de": "native"})
    open_ticket(bruno, language="pt-BR")
    client = login(maria)  # reassigning is a manager's act
    # when: step one lists the candidates
    page = act(client, "reassign", [ticket])
    # then
    rows = [re.sub(r"<[^>]+>|\s+", " ", row).split() for row in candidate_rows(page)]
    assert [row[:2] for row in rows] == [["bruno", "native"], ["carla", "fluent"]]  # best first
    assert " ".join(rows[0][2:]) == "1/5 tickets offline"
    assert " ".join(rows[1][2:4]) == "0/5 tickets"
    assert "dirk" not in page
    # when: step two assigns
    act(client, "reassign", [ticket], agent=str(carla.pk), apply="1")
    ticket.refresh_from_db()
    carla.refresh_from_db()
    anna.refresh_from_db()
    assert ticket.assignee_id == carla.pk
    assert (carla.load, anna.load) == (1, 0)


def test_an_agent_may_not_reassign_its_ticket_to_a_colleague(login: Login, anna: Agent) -> None:
    # given anna's Dutch ticket and carla, who speaks Dutch too
    ticket = open_ticket(anna, language="nl")
    carla = make_agent("carla", {"nl": "fluent"})
    # when anna tries to hand it over
    page = act(login(anna), "reassign", [ticket], agent=str(carla.pk), apply="1")
    # then it stays hers, and she is told why
    ticket.refresh_from_db()
    assert ticket.assignee_id == anna.pk
    assert "Only a manager may assign a ticket to another agent" in page


def test_the_ticket_page_shows_customer_thread_and_events(login: Login, anna: Agent) -> None:
    ticket = open_ticket(anna, language="nl", subject="Pakket kwijt")
    MessageFactory(ticket=ticket, body="Mijn pakket is niet aangekomen.")
    MessageFactory(ticket=ticket, author_kind="agent", body="Checking the carrier", internal=True)

    page = login(anna).get(change_url(ticket)).content.decode()

    assert ticket.customer.email in page
    assert "Mijn pakket is niet aangekomen." in page
    assert "sd-message--internal" in page
    assert page.index("Mijn pakket") < page.index("Checking the carrier")  # newest last
    assert "Event log" in page


def test_a_public_reply_and_an_internal_note_from_the_ticket_page(
    login: Login, anna: Agent
) -> None:
    ticket = open_ticket(anna, language="en")
    client = login(anna)

    submit(client, ticket, reply_body="We are on it.", reply_kind="public")
    submit(client, ticket, reply_body="Carrier says Tuesday.", reply_kind="internal")

    replies = list(ticket.messages.order_by("id").values_list("body", "internal", "author_agent"))
    assert replies == [("We are on it.", False, anna.pk), ("Carrier says Tuesday.", True, anna.pk)]
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None


def test_reply_and_solve_in_one_submit(login: Login, anna: Agent) -> None:
    ticket = open_ticket(anna, language="en")

    submit(login(anna), ticket, reply_body="Fixed!", status="solved", priority=Priority.HIGH)

    ticket.refresh_from_db()
    anna.refresh_from_db()
    assert ticket.status == TicketStatus.SOLVED
    assert ticket.priority == Priority.HIGH
    assert ticket.messages.get().body == "Fixed!"
    assert anna.load == 0
    kinds = set(ticket.events.values_list("kind", flat=True))
    assert {EventKind.REPLIED, EventKind.STATUS_CHANGED, EventKind.PRIORITY_CHANGED} <= kinds


def test_an_unassigned_ticket_cannot_be_opened_and_the_reply_is_kept(
    login: Login, anna: Agent
) -> None:
    waiting = TicketFactory(language="en")

    page = submit(login(anna), waiting, reply_body="Draft reply", status="open")

    waiting.refresh_from_db()
    assert waiting.status == TicketStatus.NEW
    assert not waiting.messages.exists()
    assert "take it first" in page
    assert "Draft reply" in page


def test_a_closed_ticket_takes_internal_notes_only(login: Login, anna: Agent) -> None:
    closed = TicketFactory(language="en", status="closed", assignee=anna)
    client = login(anna)

    refused = submit(client, closed, reply_body="Hello again", reply_kind="public")
    submit(client, closed, reply_body="Note to self", reply_kind="internal")

    assert "only internal notes" in refused
    assert list(closed.messages.values_list("body", flat=True)) == ["Note to self"]


def test_tickets_cannot_be_added_or_deleted_by_agents(login: Login, anna: Agent) -> None:
    client = login(anna)
    ticket = open_ticket(anna, language="en")

    assert client.get(reverse("admin:tickets_ticket_add")).status_code == 403
    assert client.get(reverse("admin:tickets_ticket_delete", args=[ticket.pk])).status_code == 403
