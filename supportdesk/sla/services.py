"""SLA state changes: deadlines, the stopped clock while pending, breaches and escalation.

Callers pass the ticket they already hold (locked, inside their transaction); these
functions change its SLA fields, save them and record events. Notifications are queued
on commit by `supportdesk.notifications.services`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from supportdesk.notifications import services as notifications
from supportdesk.sla import policy
from supportdesk.sla.selectors import AppliedPolicy, policy_for, tickets_breached
from supportdesk.tickets.models import EventKind, Priority, Ticket, TicketEvent, TicketStatus

DEADLINE_FIELDS = ["first_response_due_at", "resolution_due_at"]
FIRST_RESPONSE = "first_response"
RESOLUTION = "resolution"


def _stopped(*, ticket: Ticket, applied: AppliedPolicy | None, now: datetime) -> timedelta:
    stopped = timedelta(seconds=ticket.sla_paused_seconds)
    if ticket.sla_paused_at is not None and applied is not None:
        stopped += policy.business_time_between(ticket.sla_paused_at, now, applied.calendar)
    return stopped


def _set_deadlines(*, ticket: Ticket, now: datetime) -> None:
    applied = policy_for(priority=ticket.priority, language=ticket.language)
    if applied is None:
        ticket.first_response_due_at = ticket.resolution_due_at = None
        return
    due = policy.deadlines(
        created_at=ticket.created_at,
        targets=applied.targets,
        paused=_stopped(ticket=ticket, applied=applied, now=now),
        calendar=applied.calendar,
    )
    ticket.first_response_due_at = due.first_response_due_at
    ticket.resolution_due_at = due.resolution_due_at


def ticket_sla_start(*, ticket: Ticket) -> None:
    """Set a new ticket's deadlines before it is inserted (from its `created_at`): the deadlines
    order the routing queue from the first moment, and intake writes the row once."""
    _set_deadlines(ticket=ticket, now=ticket.created_at)


def ticket_sla_recompute(*, ticket: Ticket, now: datetime | None = None) -> None:
    """Set the deadlines from the policy for the ticket's priority and language (on a priority
    change, after the clock resumes) and save them. No policy: no deadlines."""
    _set_deadlines(ticket=ticket, now=now or timezone.now())
    ticket.save(update_fields=DEADLINE_FIELDS)


def ticket_sla_pause(*, ticket: Ticket, now: datetime | None = None) -> bool:
    """Stop the clock (the ticket waits on the customer). False when it was already stopped."""
    if ticket.sla_paused_at is not None:
        return False
    ticket.sla_paused_at = now or timezone.now()
    ticket.save(update_fields=["sla_paused_at"])
    return True


def ticket_sla_resume(*, ticket: Ticket, now: datetime | None = None) -> bool:
    """Restart the clock: the working time it stood still moves the deadlines out."""
    if ticket.sla_paused_at is None:
        return False
    now = now or timezone.now()
    applied = policy_for(priority=ticket.priority, language=ticket.language)
    stopped = _stopped(ticket=ticket, applied=applied, now=now)
    ticket.sla_paused_seconds = int(stopped.total_seconds())
    ticket.sla_paused_at = None
    ticket.save(update_fields=["sla_paused_seconds", "sla_paused_at"])
    ticket_sla_recompute(ticket=ticket, now=now)
    return True


def _breaches(ticket: Ticket, now: datetime) -> list[str]:
    missed = []
    if (
        ticket.first_response_at is None
        and ticket.first_response_breached_at is None
        and ticket.first_response_due_at is not None
        and ticket.first_response_due_at < now
    ):
        missed.append(FIRST_RESPONSE)
    if (
        ticket.resolution_breached_at is None
        and ticket.resolution_due_at is not None
        and ticket.resolution_due_at < now
    ):
        missed.append(RESOLUTION)
    return missed


def _escalate(*, ticket: Ticket, target: str) -> None:
    if ticket.priority >= Priority.URGENT:
        return
    before = Priority(ticket.priority)
    ticket.priority = before + 1
    ticket.save(update_fields=["priority", "updated_at"])
    TicketEvent.objects.create(
        ticket=ticket,
        kind=EventKind.ESCALATED,
        actor_label="sla",
        data={
            "from": before.api_name,
            "to": Priority(ticket.priority).api_name,
            "target": target,
        },
    )


def ticket_sla_check(*, ticket_id: int, now: datetime | None = None) -> list[str]:
    """Mark the targets this ticket has missed (event + flag), escalate, notify. Idempotent:
    a target is marked once; a ticket held by another worker is skipped."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(no_key=True, skip_locked=True)
            .filter(id=ticket_id, status__in=("new", "open"), sla_paused_at__isnull=True)
            .first()
        )
        if ticket is None:
            return []
        missed = _breaches(ticket, now)
        if not missed:
            return []
        applied = policy_for(priority=ticket.priority, language=ticket.language)
        for target in missed:
            field = f"{target}_breached_at"
            setattr(ticket, field, now)
            ticket.save(update_fields=[field])
            due_at = getattr(ticket, f"{target}_due_at")
            TicketEvent.objects.create(
                ticket=ticket,
                kind=EventKind.SLA_BREACHED,
                actor_label="sla",
                data={"target": target, "due_at": due_at.isoformat()},
            )
            if applied is not None and applied.escalate_on_breach:
                _escalate(ticket=ticket, target=target)
            notifications.sla_breach_notify(ticket=ticket, target=target)
        return missed


def sla_check(*, now: datetime | None = None, limit: int = 500) -> int:
    """The beat task's work: every running ticket past a deadline gets marked. Returns how
    many targets were marked missed."""
    now = now or timezone.now()
    return sum(
        len(ticket_sla_check(ticket_id=ticket_id, now=now))
        for ticket_id in tickets_breached(now=now, limit=limit)
    )


def ticket_sla_status_changed(*, ticket: Ticket, was: str) -> None:
    """Called by the ticket services after a status change: `pending` stops the clock,
    leaving it (a customer reply, staff) restarts it."""
    if ticket.status == TicketStatus.PENDING and was != TicketStatus.PENDING:
        ticket_sla_pause(ticket=ticket)
    elif was == TicketStatus.PENDING and ticket.status != TicketStatus.PENDING:
        ticket_sla_resume(ticket=ticket)
