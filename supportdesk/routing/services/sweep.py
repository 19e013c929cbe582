"""The sweep (beat, every ROUTING_SWEEP_SECONDS): what no message reached gets routed.

Stale agents go `away`, tickets stranded with an agent who left before the first reply go
back to the queue (keeping their place: the queue orders by creation time), then every
language with waiting tickets is drained in queue order — which also covers lost or failed
messages and tickets whose fallback time has come.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from supportdesk.agents.models import Agent
from supportdesk.agents.selectors import available
from supportdesk.agents.services import agent_release_slot
from supportdesk.routing import selectors
from supportdesk.routing.services.assign import ACTOR, language_drain
from supportdesk.tickets.models import EventKind, Ticket, TicketEvent, TicketStatus

RECLAIM_LIMIT = 500


@dataclass(frozen=True, slots=True)
class SweepResult:
    assigned: int
    agents_away: int
    reclaimed: int


def agents_expire(*, now: datetime) -> int:
    """Online agents not seen within AGENT_TTL_SECONDS go `away`, marked as sent away by the
    sweep (their next heartbeat brings them back online). Returns how many."""
    return (
        Agent.objects.filter(status=Agent.Status.ONLINE)
        .exclude(available(now=now))
        .update(status=Agent.Status.AWAY, away_by_sweep=True, updated_at=now)
    )


def _stranded(*, now: datetime) -> QuerySet[Ticket]:
    """Routed (not manual) open tickets, no first reply yet, whose agent has been unavailable
    for ROUTING_RECLAIM_AFTER_SECONDS."""
    cutoff = now - timedelta(seconds=settings.ROUTING_RECLAIM_AFTER_SECONDS)
    gone = Q(assignee__last_seen__isnull=True) | Q(assignee__last_seen__lte=cutoff)
    unavailable = ~available(now=now, prefix="assignee__")
    return Ticket.objects.filter(
        gone,
        unavailable,
        status=TicketStatus.OPEN,
        manually_assigned=False,
        first_response_at__isnull=True,
        assigned_at__lte=cutoff,
    )


def tickets_reclaim(*, now: datetime, limit: int = RECLAIM_LIMIT) -> int:
    """Return stranded tickets to the queue, one short transaction each. Returns how many."""
    reclaimed = 0
    for ticket_id in _stranded(now=now).order_by("id").values_list("id", flat=True)[:limit]:
        with transaction.atomic(durable=True):
            ticket = (
                _stranded(now=now)
                .select_for_update(skip_locked=True, no_key=True, of=("self",))
                .filter(id=ticket_id)
                .first()
            )
            if ticket is None or ticket.assignee_id is None:
                continue
            agent_id = ticket.assignee_id
            ticket.assignee = None
            ticket.status = TicketStatus.NEW
            ticket.assigned_at = None
            ticket.save(update_fields=["assignee", "status", "assigned_at", "updated_at"])
            agent_release_slot(agent_id=agent_id)
            TicketEvent.objects.create(
                ticket=ticket,
                kind=EventKind.UNASSIGNED,
                actor_label=ACTOR,
                data={"agent": agent_id, "reason": "agent-away-before-first-reply"},
            )
            reclaimed += 1
    return reclaimed


def route_waiting() -> SweepResult:
    """One sweep. Returns what it did; `assigned` counts tickets given to agents."""
    now = timezone.now()
    away = agents_expire(now=now)
    reclaimed = tickets_reclaim(now=now)
    assigned = sum(
        len(language_drain(language=language).assigned)
        for language in selectors.waiting_languages()
    )
    return SweepResult(assigned=assigned, agents_away=away, reclaimed=reclaimed)
