"""The ticket page: the customer card (CLDR names, local time), the customer's other tickets in
the reader's scope, `dir="auto"` message bodies, the header, the event log as sentences."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from supportdesk.agents.models import Agent
from supportdesk.tickets.models import EventKind, Ticket, TicketEvent
from tests.admin.conftest import make_agent, open_ticket
from tests.factories import CustomerFactory, MessageFactory, TicketFactory

pytestmark = pytest.mark.django_db
Login = Callable[[Agent], Client]


def page_of(client: Client, ticket: Ticket) -> str:
    response = client.get(reverse("admin:tickets_ticket_change", args=[ticket.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_customer_card_names_locale_and_country_in_the_agents_language(
    login: Login, anna: Agent
) -> None:
    customer = CustomerFactory(locale="pt-BR", country="BR", timezone="America/Sao_Paulo")
    ticket = open_ticket(anna, language="nl", customer=customer)
    Agent.objects.filter(pk=anna.pk).update(ui_language="nl")
    page = page_of(login(anna), ticket)
    assert "Portugees (Brazilië) (pt-BR)" in page
    assert "Brazilië (BR)" in page
    assert "America/Sao_Paulo" in page
    sao_paulo = timezone.now().astimezone(__import__("zoneinfo").ZoneInfo("America/Sao_Paulo"))
    assert sao_paulo.strftime("%H:") in page  # the time now on the customer's clock


def test_the_customers_other_tickets_newest_first_within_the_agents_scope(
    login: Login, anna: Agent, bruno: Agent
) -> None:
    customer = CustomerFactory()
    now = timezone.now()
    current = open_ticket(anna, language="nl", customer=customer, subject="Current one")
    older = TicketFactory(
        customer=customer,
        language="en",
        subject="Older question",
        status="solved",
        created_at=now - timedelta(days=30),
    )
    newer = open_ticket(
        bruno,
        language="en",
        customer=customer,
        subject="Newer question",
        created_at=now - timedelta(days=2),
    )
    hidden = TicketFactory(customer=customer, language="ja", subject="Japanese question")
    page = page_of(login(anna), current)
    others = page[page.index("sd-customer__others") :]
    assert others.index(newer.reference) < others.index(older.reference)
    assert "bruno" in others  # the agent on it
    assert reverse("admin:tickets_ticket_change", args=[older.pk]) in others
    assert hidden.subject not in page
    assert current.reference not in others.split("</table>")[0]


def test_message_bodies_and_subject_read_in_their_own_direction(login: Login, anna: Agent) -> None:
    ticket = open_ticket(anna, language="nl")
    MessageFactory(ticket=ticket, body="مرحبا، طلبي لم يصل")
    page = page_of(login(anna), ticket)
    assert '<div class="sd-message__body" dir="auto">مرحبا، طلبي لم يصل' in page


def test_the_header_shows_language_and_deadlines(login: Login, anna: Agent) -> None:
    due = timezone.now() + timedelta(hours=2)
    ticket = open_ticket(
        anna, language="nl", first_response_due_at=due, resolution_due_at=due + timedelta(days=1)
    )
    page = page_of(login(anna), ticket)
    header = page[page.index("sd-ticket-header") : page.index('<div class="sd-ticket">')]
    assert "Dutch (nl)" in header
    assert "First response due" in header
    assert "Resolution due" in header


def test_the_event_log_speaks_sentences_in_the_agents_language(login: Login, anna: Agent) -> None:
    lea = make_agent("lea", {"de": "native"})
    lea.user.first_name = "Lea"
    lea.user.save()
    ticket = open_ticket(lea, language="de")
    trace = {
        "winner": lea.pk,
        "candidates": 3,
        "rank": "exact",
        "proficiency": "native",
        "load": 2,
        "capacity": 5,
        "ranked": [lea.pk],
        "excluded": {},
    }
    TicketEvent.objects.create(ticket=ticket, kind=EventKind.ASSIGNED, data=trace)
    TicketEvent.objects.create(
        ticket=ticket,
        kind=EventKind.STATUS_CHANGED,
        data={"from": "new", "to": "open", "reason": "assigned"},
    )
    maria = make_agent("manager-mia", {"de": "native"}, manager=True)
    client = login(maria)
    page = page_of(client, ticket)
    assert "Assigned to Lea: speaks German (native), 2 of 5 tickets, best of 3 agents." in page
    assert "Status changed from new to open." in page
    assert "winner:" not in page
    assert "candidates:" not in page
    Agent.objects.filter(pk=maria.pk).update(ui_language="de")
    german = page_of(client, ticket)
    assert "Zugewiesen an Lea" in german
