"""SLA services on PostgreSQL: deadlines from policies, the stopped clock, breaches."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from pytest_django import DjangoCaptureOnCommitCallbacks

from supportdesk.notifications.models import WebhookDelivery, WebhookEndpoint
from supportdesk.sla.models import BusinessHours, Holiday, SlaPolicy, WorkingInterval
from supportdesk.sla.services import (
    sla_check,
    ticket_sla_pause,
    ticket_sla_recompute,
    ticket_sla_resume,
)
from supportdesk.sla.tasks import sla_check_task
from supportdesk.tickets.models import EventKind, Priority, Ticket, TicketEvent, TicketStatus
from tests.factories import AgentFactory, TicketFactory

pytestmark = pytest.mark.django_db

MONDAY_9_UTC = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def new_ticket(at: datetime, **fields: object) -> Ticket:
    with time_machine.travel(at, tick=False):
        ticket: Ticket = TicketFactory(**fields)
        ticket_sla_recompute(ticket=ticket)
    return ticket


def amsterdam_office() -> BusinessHours:
    hours = BusinessHours.objects.create(name="Amsterdam office", timezone="Europe/Amsterdam")
    for weekday in range(5):
        WorkingInterval.objects.create(hours=hours, weekday=weekday, starts=time(9), ends=time(17))
    return hours


def test_default_policies_give_every_priority_deadlines_around_the_clock() -> None:
    # given the policies `migrate` installs (normal: 8 h / 3 days, urgent: 1 h / 4 h)
    normal = new_ticket(MONDAY_9_UTC)
    urgent = new_ticket(MONDAY_9_UTC, priority=Priority.URGENT)
    # then
    assert normal.first_response_due_at == MONDAY_9_UTC + timedelta(hours=8)
    assert normal.resolution_due_at == MONDAY_9_UTC + timedelta(days=3)
    assert urgent.first_response_due_at == MONDAY_9_UTC + timedelta(hours=1)


def test_a_languages_own_policy_with_business_hours_wins() -> None:
    # given a Dutch normal-priority policy on Amsterdam office hours (Mon-Fri 9-17, CET = UTC+1)
    SlaPolicy.objects.create(
        name="Dutch normal",
        priority=Priority.NORMAL,
        language="nl",
        first_response_minutes=120,
        resolution_minutes=8 * 60,
        business_hours=amsterdam_office(),
    )
    friday_1530_utc = datetime(2026, 3, 6, 15, 30, tzinfo=UTC)  # 16:30 in Amsterdam
    # when a Belgian-Dutch and an English ticket arrive on Friday afternoon
    flemish = new_ticket(friday_1530_utc, language="nl-BE")
    english = new_ticket(friday_1530_utc, language="en")
    # then the Dutch clock stops for the weekend: 30 min Friday + 90 min Monday (10:30 CET)
    assert flemish.first_response_due_at == datetime(2026, 3, 9, 9, 30, tzinfo=UTC)
    assert english.first_response_due_at == friday_1530_utc + timedelta(hours=8)


def test_holidays_stop_the_clock() -> None:
    hours = amsterdam_office()
    Holiday.objects.create(hours=hours, day=datetime(2026, 3, 9).date(), name="Closed")  # noqa: DTZ001
    SlaPolicy.objects.filter(priority=Priority.NORMAL, language="").update(
        first_response_minutes=120, business_hours=hours
    )
    ticket = new_ticket(datetime(2026, 3, 6, 15, 30, tzinfo=UTC))
    assert ticket.first_response_due_at == datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def test_no_policy_means_no_deadlines() -> None:
    SlaPolicy.objects.filter(priority=Priority.LOW).delete()
    ticket = new_ticket(MONDAY_9_UTC, priority=Priority.LOW)
    assert ticket.first_response_due_at is None
    assert ticket.resolution_due_at is None


def test_a_priority_change_recomputes_from_creation() -> None:
    ticket = new_ticket(MONDAY_9_UTC)
    ticket.priority = Priority.URGENT
    with time_machine.travel(MONDAY_9_UTC + timedelta(minutes=20), tick=False):
        ticket_sla_recompute(ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.first_response_due_at == MONDAY_9_UTC + timedelta(hours=1)
    assert ticket.resolution_due_at == MONDAY_9_UTC + timedelta(hours=4)


def test_pending_time_moves_the_deadlines_out() -> None:
    # given a normal ticket (resolution due in 3 days)
    ticket = new_ticket(MONDAY_9_UTC)
    # when it waits on the customer from 10:00 to 13:00
    assert ticket_sla_pause(ticket=ticket, now=MONDAY_9_UTC + timedelta(hours=1))
    assert not ticket_sla_pause(ticket=ticket, now=MONDAY_9_UTC + timedelta(hours=2))
    assert ticket_sla_resume(ticket=ticket, now=MONDAY_9_UTC + timedelta(hours=4))
    assert not ticket_sla_resume(ticket=ticket, now=MONDAY_9_UTC + timedelta(hours=5))
    # then the clock stood still for 3 hours
    ticket.refresh_from_db()
    assert ticket.sla_paused_at is None
    assert ticket.sla_paused_seconds == 3 * 3600
    assert ticket.resolution_due_at == MONDAY_9_UTC + timedelta(days=3, hours=3)


def test_pending_over_a_weekend_counts_only_working_time() -> None:
    SlaPolicy.objects.filter(priority=Priority.NORMAL, language="").update(
        business_hours=amsterdam_office()
    )
    ticket = new_ticket(datetime(2026, 3, 6, 8, 0, tzinfo=UTC))  # Friday 09:00 CET
    before = ticket.resolution_due_at
    assert before is not None
    # pending from Friday 16:00 CET to Monday 10:00 CET: 2 working hours
    ticket_sla_pause(ticket=ticket, now=datetime(2026, 3, 6, 15, 0, tzinfo=UTC))
    ticket_sla_resume(ticket=ticket, now=datetime(2026, 3, 9, 9, 0, tzinfo=UTC))
    ticket.refresh_from_db()
    assert ticket.sla_paused_seconds == 2 * 3600
    assert ticket.resolution_due_at is not None
    assert ticket.resolution_due_at > before


@override_settings(MANAGER_EMAILS=["floor-manager@example.com"])
def test_breach_is_marked_once_escalates_and_notifies(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    # given a normal ticket whose client application listens for sla.breached
    ticket = new_ticket(MONDAY_9_UTC, subject="Printer on fire")
    endpoint = WebhookEndpoint.objects.create(
        client_app=ticket.client_app, url="http://127.0.0.1:9/hook", events=["sla.breached"]
    )
    late = MONDAY_9_UTC + timedelta(hours=8, minutes=1)
    # when the check runs after the first-response deadline (deliveries stay queued)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        marked = sla_check(now=late)
    again = sla_check(now=late + timedelta(minutes=1))
    # then the breach is flagged, logged, escalated one step, and announced once
    ticket.refresh_from_db()
    assert (marked, again) == (1, 0)
    assert ticket.first_response_breached_at == late
    assert ticket.resolution_breached_at is None
    assert ticket.priority == Priority.HIGH
    events = TicketEvent.objects.filter(ticket=ticket)
    breach = events.get(kind=EventKind.SLA_BREACHED)
    assert breach.data["target"] == "first_response"
    assert events.get(kind=EventKind.ESCALATED).data == {
        "from": "normal",
        "to": "high",
        "target": "first_response",
    }
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.event == "sla.breached"
    assert delivery.payload["data"] == {"target": "first_response"}
    for callback in callbacks:
        if "notify_managers" in repr(callback):
            callback()
    assert [m.to for m in mail.outbox] == [["floor-manager@example.com"]]
    assert ticket.reference in mail.outbox[0].subject
    assert "Printer on fire" in mail.outbox[0].body


def test_answered_paused_and_solved_tickets_are_not_breached() -> None:
    answered = new_ticket(MONDAY_9_UTC)
    answered.first_response_at = MONDAY_9_UTC + timedelta(hours=1)
    answered.save(update_fields=["first_response_at"])
    paused = new_ticket(MONDAY_9_UTC)
    ticket_sla_pause(ticket=paused, now=MONDAY_9_UTC + timedelta(hours=1))
    solved = new_ticket(MONDAY_9_UTC, status=TicketStatus.SOLVED)

    marked = sla_check(now=MONDAY_9_UTC + timedelta(hours=9))

    assert marked == 0
    for ticket in (answered, paused, solved):
        ticket.refresh_from_db()
        assert ticket.first_response_breached_at is None


def test_no_escalation_when_the_policy_says_so_and_urgent_stays_urgent() -> None:
    SlaPolicy.objects.filter(priority=Priority.NORMAL).update(escalate_on_breach=False)
    normal = new_ticket(MONDAY_9_UTC)
    urgent = new_ticket(
        MONDAY_9_UTC, priority=Priority.URGENT, assignee=AgentFactory(), status=TicketStatus.OPEN
    )

    marked = sla_check(now=MONDAY_9_UTC + timedelta(days=4))

    normal.refresh_from_db()
    urgent.refresh_from_db()
    assert marked == 4  # both targets of both tickets
    assert (normal.priority, urgent.priority) == (Priority.NORMAL, Priority.URGENT)
    assert not TicketEvent.objects.filter(kind=EventKind.ESCALATED).exists()


def test_the_beat_task_runs_the_check() -> None:
    ticket = new_ticket(datetime.now(tz=UTC) - timedelta(days=5))
    assert sla_check_task.delay().get() == 2
    ticket.refresh_from_db()
    assert ticket.resolution_breached_at is not None
