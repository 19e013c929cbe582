"""The ticket services drive SLA and notifications: deadlines, e-mails, webhooks, the clock."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from supportdesk.core import snapshots
from supportdesk.notifications.models import WebhookDelivery, WebhookEndpoint
from supportdesk.tickets.commands import NewCustomer, NewTicket
from supportdesk.tickets.models import Priority, Ticket, TicketStatus
from supportdesk.tickets.services import (
    message_add,
    ticket_create,
    ticket_reply,
    ticket_set_priority,
    ticket_set_status,
)
from tests.factories import AgentFactory, ClientAppFactory

pytestmark = pytest.mark.django_db


def create(captured: DjangoCaptureOnCommitCallbacks) -> Ticket:
    app = ClientAppFactory()
    WebhookEndpoint.objects.create(client_app=app, url="http://127.0.0.1:9/x", active=False)
    new = NewTicket(
        subject="Factuur klopt niet",
        body="Mijn factuur is te hoog.",
        customer=NewCustomer(email="jan@example.nl", name="Jan", locale="nl-NL"),
        language="nl",
    )
    with captured(execute=True):
        ticket, _ = ticket_create(client_app=app, new=new)
    return ticket


def test_a_new_ticket_gets_deadlines_and_a_dutch_acknowledgement(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    ticket = create(django_capture_on_commit_callbacks)

    ticket.refresh_from_db()
    assert ticket.first_response_due_at == ticket.created_at + timedelta(hours=8)
    [ack] = mail.outbox
    assert ack.to == ["jan@example.nl"]
    assert ack.extra_headers["Content-Language"] == "nl"
    assert ticket.reference in ack.subject


def test_pending_stops_the_clock_and_the_customers_reply_restarts_it(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    ticket = create(django_capture_on_commit_callbacks)
    agent = AgentFactory()
    start = timezone.now()
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            ticket_reply(ticket_id=ticket.pk, body="Welk nummer?", internal=False, actor=agent)
        ticket_set_status(ticket_id=ticket.pk, status=TicketStatus.PENDING, actor=agent)
    with time_machine.travel(start + timedelta(hours=5), tick=False):
        message_add(ticket_id=ticket.pk, body="Nummer 42")

    ticket.refresh_from_db()
    assert ticket.sla_paused_at is None
    assert 4 * 3600 - 5 <= ticket.sla_paused_seconds <= 4 * 3600 + 5
    assert [m.to for m in mail.outbox] == [["jan@example.nl"], ["jan@example.nl"]]
    assert "Welk nummer?" in mail.outbox[1].body


def test_priority_changes_recompute_and_solving_is_announced(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    ticket = create(django_capture_on_commit_callbacks)
    WebhookEndpoint.objects.update(active=True)
    snapshots.clear_all()  # a bulk update sends no signal; other processes wait out the TTL

    ticket_set_priority(ticket_id=ticket.pk, priority=Priority.URGENT, actor=None)
    ticket_set_status(ticket_id=ticket.pk, status=TicketStatus.SOLVED, actor=None)

    ticket.refresh_from_db()
    assert ticket.first_response_due_at == ticket.created_at + timedelta(hours=1)
    assert list(WebhookDelivery.objects.values_list("event", flat=True)) == ["ticket.solved"]
