"""Shared steps of every ticket change: lock the ticket, write events, move status.

Each service locks the ticket row first (the same order as routing: ticket, then agent), so a
manual change and a routing worker never interleave on one ticket. Agent load counts `open`
tickets: every move into `open` claims a slot, every move out of it releases one (and
`agent_release_slot` asks routing to fill the freed agent on commit).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supportdesk.agents.models import Agent
from supportdesk.agents.services import agent_claim_slot, agent_release_slot
from supportdesk.core.exceptions import InvalidTransition, NotFound
from supportdesk.notifications import services as notifications
from supportdesk.routing.nudges import route_ticket_on_commit
from supportdesk.sla import services as sla
from supportdesk.tickets.models import EventKind, Ticket, TicketEvent, TicketStatus


@dataclass(frozen=True, slots=True)
class TicketChanges:
    """What a staff PATCH asks for; `None` leaves a field alone (`assign` says whether
    `assignee_id` is meant, since None there means "unassign")."""

    status: str | None = None
    priority: int | None = None
    assign: bool = False
    assignee_id: int | None = None


def locked_ticket(*, ticket_id: int) -> Ticket:
    ticket = Ticket.objects.select_for_update(no_key=True).filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound(_("No such ticket."))
    return ticket


def event(
    ticket: Ticket, kind: str, *, actor: Agent | None, data: Mapping[str, object]
) -> TicketEvent:
    label = actor.display_name if actor is not None else ""
    return TicketEvent(ticket=ticket, kind=kind, actor=actor, actor_label=label, data=dict(data))


def _stamp_resolution(ticket: Ticket, *, to: str) -> None:
    now = timezone.now()
    if to == TicketStatus.SOLVED:
        ticket.solved_at, ticket.closed_at = now, None
    elif to == TicketStatus.CLOSED:
        ticket.solved_at, ticket.closed_at = ticket.solved_at or now, now
    else:
        ticket.solved_at = ticket.closed_at = None


def transition(ticket: Ticket, *, to: str, actor: Agent | None, reason: str) -> list[TicketEvent]:
    """Move a locked ticket to `to`, keeping load and the new/open invariants; save it."""
    was = ticket.status
    if to == TicketStatus.OPEN and ticket.assignee_id is None:
        raise InvalidTransition(
            _("A ticket without an assignee cannot be open; assign an agent instead."),
            field="status",
        )
    events = [
        event(
            ticket,
            EventKind.STATUS_CHANGED,
            actor=actor,
            data={"from": was, "to": to, "reason": reason},
        )
    ]
    fields = ["status", "solved_at", "closed_at", "updated_at"]
    if was == TicketStatus.OPEN and ticket.assignee_id is not None:
        agent_release_slot(agent_id=ticket.assignee_id)  # routing fills the agent on commit
    if to == TicketStatus.OPEN and ticket.assignee_id is not None:
        agent_claim_slot(agent_id=ticket.assignee_id, force=True)
    if to == TicketStatus.NEW and ticket.assignee_id is not None:
        events.append(
            event(ticket, EventKind.UNASSIGNED, actor=actor, data={"agent_id": ticket.assignee_id})
        )
        ticket.assignee, ticket.manually_assigned, ticket.assigned_at = None, False, None
        fields += ["assignee", "manually_assigned", "assigned_at"]
    if to == TicketStatus.NEW:  # back in the queue
        route_ticket_on_commit(ticket_id=ticket.pk, language=ticket.language)
    ticket.status = to
    _stamp_resolution(ticket, to=to)
    ticket.save(update_fields=fields)
    sla.ticket_sla_status_changed(ticket=ticket, was=was)  # pending stops the SLA clock
    if to == TicketStatus.SOLVED:
        notifications.ticket_solved(ticket=ticket)
    return events
