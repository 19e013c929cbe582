"""Retention: expired solved/closed tickets anonymised in bounded batches; holds exempt."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from supportdesk.core.pseudonyms import customer_pseudonym
from supportdesk.privacy.models import LegalHold, RetentionPolicy, TicketAnonymisation
from supportdesk.privacy.services.retention import retention_batch, retention_run, tickets_due
from supportdesk.tickets.models import Customer, Message, Ticket
from tests.factories import CustomerFactory, MessageFactory, TicketFactory

pytestmark = pytest.mark.django_db

OLD = timedelta(days=800)  # past the default RETENTION_DAYS (730)


def solved(customer: Customer | None = None, age: timedelta = OLD, **kwargs: object) -> Ticket:
    ticket = TicketFactory(
        status="solved", solved_at=timezone.now() - age, subject="Private matter",
        **({"customer": customer} if customer else {}), **kwargs,
    )  # fmt: skip
    MessageFactory(ticket=ticket, body="my secret story")
    return ticket


def test_a_batch_takes_at_most_its_size_and_the_next_carries_on() -> None:
    tickets = [solved() for _ in range(7)]
    assert retention_batch(size=3) == 3
    assert TicketAnonymisation.objects.count() == 3
    assert retention_batch(size=3) == 3
    assert retention_batch(size=3) == 1
    assert retention_batch(size=3) == 0
    for ticket in tickets:
        ticket.refresh_from_db()
        assert ticket.subject == ""
        assert ticket.customer.name == customer_pseudonym(ticket.customer_id)
    assert not Message.objects.exclude(body="").exists()


def test_recent_open_and_held_tickets_are_kept() -> None:
    recent = solved(age=timedelta(days=10))
    still_open = TicketFactory(status="pending", subject="Open matter")
    held = solved()
    LegalHold.objects.create(ticket=held, reason="dispute")
    held_customer = CustomerFactory()
    by_held_customer = solved(customer=held_customer)
    LegalHold.objects.create(customer=held_customer, reason="litigation")
    assert retention_run() == 0
    for ticket in (recent, still_open, held, by_held_customer):
        ticket.refresh_from_db()
        assert ticket.subject != ""


def test_a_customer_keeps_their_name_while_a_ticket_of_theirs_is_kept() -> None:
    customer = CustomerFactory(name="Piet Jansen")
    solved(customer=customer)
    solved(customer=customer, age=timedelta(days=5))
    assert retention_run() == 1
    customer.refresh_from_db()
    assert customer.name == "Piet Jansen"


def test_an_application_may_keep_tickets_for_less_or_forever() -> None:
    short = solved(age=timedelta(days=40))
    RetentionPolicy.objects.create(client_app=short.client_app, days=30)
    forever = solved()
    RetentionPolicy.objects.create(client_app=forever.client_app, days=0)
    assert set(tickets_due().values_list("pk", flat=True)) == {short.pk}


def test_the_command_dry_run_says_what_would_happen_and_changes_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    solved()
    solved()
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert "would anonymise 2 tickets and pseudonymise 2 customers" in out
    assert not TicketAnonymisation.objects.exists()
    call_command("retention")
    assert "anonymised 2 tickets" in capsys.readouterr().out
    assert TicketAnonymisation.objects.count() == 2


def test_the_retention_task_is_on_the_beat_schedule_and_the_privacy_queue() -> None:
    from config.celery import app as celery_app
    from supportdesk.privacy.tasks import retention_task

    entry = celery_app.conf.beat_schedule["privacy-retention"]
    assert entry["task"] == retention_task.name == "privacy.retention"
    assert entry["schedule"] == timedelta(hours=1)
    assert celery_app.amqp.router.route({}, entry["task"])["queue"].name == "privacy"
    solved()
    assert retention_task.apply().get() == 1
