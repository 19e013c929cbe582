"""Staff changes: status, priority, (un)assignment, and a whole PATCH in one transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supportdesk.agents.models import Agent
from supportdesk.agents.selectors import is_manager
from supportdesk.agents.services import agent_claim_slot, agent_release_slot
from supportdesk.core.exceptions import InvalidInput, NotAllowed
from supportdesk.notifications import services as notifications
from supportdesk.sla import services as sla
from supportdesk.tickets.models import EventKind, Priority, Ticket, TicketEvent, TicketStatus
from supportdesk.tickets.services.lifecycle import (
    TicketChanges,
    event,
    locked_ticket,
    transition,
)


def ticket_set_status(*, ticket_id: int, status: str, actor: Agent | None) -> Ticket:
    """Staff may move a ticket to any status. Leaving `open` frees the agent's slot; `new`
    unassigns it; `open` needs an assignee."""
    if status not in TicketStatus.values:
        raise InvalidInput(
            _("“{status}” is not a valid status.").format(status=status), field="status"
        )
    with transaction.atomic():
        ticket = locked_ticket(ticket_id=ticket_id)
        if ticket.status != status:
            events = transition(ticket, to=status, actor=actor, reason="staff")
            TicketEvent.objects.bulk_create(events)
    return ticket


def ticket_set_priority(*, ticket_id: int, priority: int, actor: Agent | None) -> Ticket:
    if priority not in Priority.values:
        raise InvalidInput(_("Unknown priority."), field="priority")
    with transaction.atomic():
        ticket = locked_ticket(ticket_id=ticket_id)
        if ticket.priority != priority:
            data = {"from": Priority(ticket.priority).api_name, "to": Priority(priority).api_name}
            ticket.priority = priority
            ticket.save(update_fields=["priority", "updated_at"])
            sla.ticket_sla_recompute(ticket=ticket)
            changed = event(ticket, EventKind.PRIORITY_CHANGED, actor=actor, data=data)
            TicketEvent.objects.bulk_create([changed])
    return ticket


def _unassign(ticket: Ticket, *, actor: Agent | None) -> list[TicketEvent]:
    previous = ticket.assignee_id
    # routing will not hand it straight back to the agent it was taken from (a cool-down)
    ticket.released_by_id, ticket.released_at = previous, timezone.now()
    ticket.save(update_fields=["released_by", "released_at"])
    if ticket.status == TicketStatus.OPEN:  # back to the queue; frees the slot
        return transition(ticket, to=TicketStatus.NEW, actor=actor, reason="unassigned")
    ticket.assignee, ticket.manually_assigned, ticket.assigned_at = None, False, None
    ticket.save(update_fields=["assignee", "manually_assigned", "assigned_at", "updated_at"])
    return [event(ticket, EventKind.UNASSIGNED, actor=actor, data={"agent_id": previous})]


def _assign(ticket: Ticket, *, agent_id: int, actor: Agent | None) -> list[TicketEvent]:
    events: list[TicketEvent] = []
    if ticket.assignee_id is not None:
        if ticket.status == TicketStatus.OPEN:
            agent_release_slot(agent_id=ticket.assignee_id)
        events.append(
            event(ticket, EventKind.UNASSIGNED, actor=actor, data={"agent_id": ticket.assignee_id})
        )
    fields = ["assignee", "manually_assigned", "assigned_at", "status", "updated_at"]
    ticket.assignee_id, ticket.manually_assigned = agent_id, True
    ticket.assigned_at = timezone.now()
    if ticket.status in {TicketStatus.NEW, TicketStatus.OPEN}:  # waiting or worked: now open
        agent_claim_slot(agent_id=agent_id, force=True)
        if ticket.status == TicketStatus.NEW:
            events.append(
                event(
                    ticket,
                    EventKind.STATUS_CHANGED,
                    actor=actor,
                    data={"from": ticket.status, "to": TicketStatus.OPEN, "reason": "assigned"},
                )
            )
        ticket.status = TicketStatus.OPEN
    ticket.save(update_fields=fields)
    events.append(
        event(ticket, EventKind.ASSIGNED, actor=actor, data={"agent_id": agent_id, "manual": True})
    )
    notifications.ticket_assigned(ticket=ticket)
    return events


def _may_assign(ticket: Ticket, *, agent_id: int | None, actor: Agent | None) -> None:
    """An agent takes an unassigned ticket or gives back its own; every other assignment
    change (to another agent, away from another agent) is a manager's act."""
    if actor is None or is_manager(actor.user):
        return
    if agent_id in {None, actor.pk} and ticket.assignee_id in {None, actor.pk}:
        return
    raise NotAllowed(_("Only a manager may assign a ticket to another agent or take it away."))


def ticket_assign_manual(*, ticket_id: int, agent_id: int | None, actor: Agent | None) -> Ticket:
    """Staff (un)assigns an agent. A manual assignment wins over routing and may exceed the
    agent's capacity; a `new` ticket becomes `open`, an unassigned `open` one goes back to `new`;
    pending/solved/closed tickets keep their status (they do not count as load). `actor` None
    is the system (a command); an agent actor is held to `_may_assign`."""
    if agent_id is not None and not Agent.objects.filter(pk=agent_id).exists():
        raise InvalidInput(
            _("There is no agent with id {agent_id}.").format(agent_id=agent_id), field="assignee"
        )
    with transaction.atomic():
        ticket = locked_ticket(ticket_id=ticket_id)
        _may_assign(ticket, agent_id=agent_id, actor=actor)
        if agent_id == ticket.assignee_id:
            if agent_id is not None and not ticket.manually_assigned:
                ticket.manually_assigned = True
                ticket.save(update_fields=["manually_assigned", "updated_at"])
            return ticket
        if agent_id is None:
            events = _unassign(ticket, actor=actor)
        else:
            events = _assign(ticket, agent_id=agent_id, actor=actor)
        TicketEvent.objects.bulk_create(events)
    return ticket


def ticket_change(*, ticket_id: int, changes: TicketChanges, actor: Agent | None) -> Ticket:
    """A staff PATCH in one transaction: assignee first, then status, then priority (so
    `{"assignee": 7, "status": "pending"}` assigns, then parks the ticket)."""
    with transaction.atomic():
        ticket = locked_ticket(ticket_id=ticket_id)
        if changes.assign:
            ticket = ticket_assign_manual(
                ticket_id=ticket_id, agent_id=changes.assignee_id, actor=actor
            )
        if changes.status is not None:
            ticket = ticket_set_status(ticket_id=ticket_id, status=changes.status, actor=actor)
        if changes.priority is not None:
            ticket = ticket_set_priority(
                ticket_id=ticket_id, priority=changes.priority, actor=actor
            )
    return ticket
