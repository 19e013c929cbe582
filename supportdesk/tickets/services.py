"""State changes of tickets. Each service owns its transaction and writes its events."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supportdesk.agents.models import Agent
from supportdesk.agents.services import agent_claim_slot, agent_release_slot
from supportdesk.clients.models import ClientApplication
from supportdesk.core.exceptions import Conflict, InvalidInput, InvalidTransition, NotFound
from supportdesk.languages import negotiation, tags
from supportdesk.languages.selectors import enabled_tags
from supportdesk.notifications import services as notifications
from supportdesk.routing.nudges import fill_agent_on_commit, route_ticket_on_commit
from supportdesk.sla import services as sla
from supportdesk.tickets.commands import NewCustomer, NewTicket
from supportdesk.tickets.language import Detected, ResolvedLanguage, resolve_language
from supportdesk.tickets.models import (
    AuthorKind,
    Customer,
    EventKind,
    Message,
    Priority,
    Ticket,
    TicketEvent,
    TicketStatus,
)

logger = logging.getLogger(__name__)

MIN_DETECTION_CONFIDENCE = 0.5


def _customer_upsert(*, client_app: ClientApplication, new: NewCustomer) -> Customer:
    customer, created = Customer.objects.get_or_create(
        client_app=client_app,
        email=new.email.lower(),
        defaults={
            "name": new.name,
            "locale": new.locale,
            "country": new.country,
            "timezone": new.timezone,
        },
    )
    if not created:
        changed = [
            name
            for name in ("name", "locale", "country", "timezone")
            if getattr(new, name) and getattr(new, name) != getattr(customer, name)
        ]
        for name in changed:
            setattr(customer, name, getattr(new, name))
        if changed:
            customer.save(update_fields=[*changed, "updated_at"])
    return customer


def _detect(*, new: NewTicket, available: list[str]) -> Detected | None:
    from supportdesk.languages.detection import detect_language

    return detect_language(
        f"{new.subject}\n{new.body}", country=new.customer.country or None, candidates=available
    )


def ticket_language(*, new: NewTicket, accept_language: str | None) -> ResolvedLanguage:
    """DESIGN §4. A locale is mapped to the enabled language it names (`nl-NL` → `nl`)."""
    available = enabled_tags()
    locale = None
    if new.customer.locale:
        given = tags.normalise(new.customer.locale)
        locale = negotiation.negotiate([given], available) or given
    negotiated = negotiation.negotiate(
        negotiation.parse_accept_language(accept_language), available
    )
    needs_detection = not (new.language or locale or negotiated)
    return resolve_language(
        explicit=new.language,
        customer_locale=locale,
        negotiated=negotiated,
        detected=_detect(new=new, available=available) if needs_detection else None,
        default=settings.DEFAULT_LANGUAGE,
        min_confidence=MIN_DETECTION_CONFIDENCE,
    )


def _replayed(
    *, client_app: ClientApplication, idempotency_key: str, fingerprint: str
) -> Ticket | None:
    """The ticket an earlier request with this key made, or None; another payload → 409."""
    window_start = timezone.now() - settings.IDEMPOTENCY_WINDOW
    existing = Ticket.objects.filter(client_app=client_app, idempotency_key=idempotency_key).first()
    if existing is None:
        return None
    if existing.created_at < window_start:  # expired: the key may be used again
        existing.idempotency_key = None
        existing.save(update_fields=["idempotency_key"])
        return None
    if existing.idempotency_fingerprint != fingerprint:
        raise Conflict(_("This Idempotency-Key was already used with a different request."))
    return existing


def ticket_create(
    *,
    client_app: ClientApplication,
    new: NewTicket,
    idempotency_key: str | None = None,
    accept_language: str | None = None,
) -> tuple[Ticket, bool]:
    """Create a ticket, its first message and its `created` event in one transaction.

    Returns (ticket, created). With an `idempotency_key`, a replay of the same payload returns
    the original ticket (created=False) and another payload raises Conflict; two concurrent
    requests with one key create one ticket (the unique constraint decides).
    """
    fingerprint = new.fingerprint() if idempotency_key else ""
    if idempotency_key:
        found = _replayed(
            client_app=client_app, idempotency_key=idempotency_key, fingerprint=fingerprint
        )
        if found is not None:
            return found, False
    language = ticket_language(new=new, accept_language=accept_language)
    try:
        with transaction.atomic():
            ticket = _ticket_insert(
                client_app=client_app,
                new=new,
                language=language,
                idempotency_key=idempotency_key,
                fingerprint=fingerprint,
            )
            sla.ticket_sla_recompute(ticket=ticket)  # deadlines before routing orders the queue
            notifications.ticket_created(ticket=ticket)  # acknowledgement + webhook, on commit
            route_ticket_on_commit(ticket_id=ticket.id, language=ticket.language)
    except IntegrityError:
        if not idempotency_key:
            raise
        found = _replayed(
            client_app=client_app, idempotency_key=idempotency_key, fingerprint=fingerprint
        )
        if found is None:
            raise
        return found, False
    return ticket, True


def _ticket_insert(
    *,
    client_app: ClientApplication,
    new: NewTicket,
    language: ResolvedLanguage,
    idempotency_key: str | None,
    fingerprint: str,
) -> Ticket:
    customer = _customer_upsert(client_app=client_app, new=new.customer)
    ticket = Ticket.objects.create(
        client_app=client_app,
        customer=customer,
        subject=new.subject,
        language=language.tag,
        language_source=language.source,
        language_confidence=language.confidence,
        channel=new.channel,
        priority=new.priority,
        tags=list(new.tags),
        external_id=new.external_id,
        idempotency_key=idempotency_key,
        idempotency_fingerprint=fingerprint,
    )
    Message.objects.create(ticket=ticket, author_kind=AuthorKind.CUSTOMER, body=new.body)
    TicketEvent.objects.bulk_create(
        [
            TicketEvent(ticket=ticket, kind=EventKind.CREATED, actor_label=client_app.name),
            TicketEvent(
                ticket=ticket,
                kind=EventKind.LANGUAGE_SET,
                data={
                    "language": language.tag,
                    "source": language.source,
                    "confidence": language.confidence,
                },
            ),
        ]
    )
    return ticket


# --- the thread and staff changes (issue 3) ------------------------------------------------
# Each service locks the ticket row first (the same order as routing: ticket, then agent), so a
# manual change and a routing worker never interleave on one ticket. Agent load counts `open`
# tickets: every move into `open` claims a slot, every move out of it releases one.


@dataclass(frozen=True, slots=True)
class TicketChanges:
    """What a staff PATCH asks for; `None` leaves a field alone (`assign` says whether
    `assignee_id` is meant, since None there means "unassign")."""

    status: str | None = None
    priority: int | None = None
    assign: bool = False
    assignee_id: int | None = None


def _locked_ticket(*, ticket_id: int) -> Ticket:
    ticket = Ticket.objects.select_for_update(no_key=True).filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound(_("No such ticket."))
    return ticket


def _event(
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


def _transition(ticket: Ticket, *, to: str, actor: Agent | None, reason: str) -> list[TicketEvent]:
    """Move a locked ticket to `to`, keeping load and the new/open invariants; save it."""
    was = ticket.status
    if to == TicketStatus.OPEN and ticket.assignee_id is None:
        raise InvalidTransition(
            _("A ticket without an assignee cannot be open; assign an agent instead."),
            field="status",
        )
    events = [
        _event(
            ticket,
            EventKind.STATUS_CHANGED,
            actor=actor,
            data={"from": was, "to": to, "reason": reason},
        )
    ]
    fields = ["status", "solved_at", "closed_at", "updated_at"]
    if was == TicketStatus.OPEN and ticket.assignee_id is not None:
        agent_release_slot(agent_id=ticket.assignee_id)
        fill_agent_on_commit(agent_id=ticket.assignee_id)  # it has room now
    if to == TicketStatus.OPEN and ticket.assignee_id is not None:
        agent_claim_slot(agent_id=ticket.assignee_id, force=True)
    if to == TicketStatus.NEW and ticket.assignee_id is not None:
        events.append(
            _event(ticket, EventKind.UNASSIGNED, actor=actor, data={"agent_id": ticket.assignee_id})
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


def message_add(*, ticket_id: int, body: str) -> Message:
    """A customer reply. It reopens a `solved` (or `pending`) ticket: back to `open` with its
    agent, or to `new` (the queue) when it has none. A closed ticket takes no replies."""
    with transaction.atomic():
        ticket = _locked_ticket(ticket_id=ticket_id)
        if ticket.status == TicketStatus.CLOSED:
            raise InvalidTransition(
                _("This ticket is closed; please open a new ticket."), field="body"
            )
        message = Message.objects.create(ticket=ticket, author_kind=AuthorKind.CUSTOMER, body=body)
        events = [
            _event(
                ticket,
                EventKind.REPLIED,
                actor=None,
                data={
                    "message_id": message.pk,
                    "author_kind": AuthorKind.CUSTOMER,
                    "internal": False,
                },
            )
        ]
        if ticket.status in {TicketStatus.SOLVED, TicketStatus.PENDING}:
            target = TicketStatus.OPEN if ticket.assignee_id else TicketStatus.NEW
            events += _transition(ticket, to=target, actor=None, reason="customer-reply")
        TicketEvent.objects.bulk_create(events)
    return message


def ticket_reply(*, ticket_id: int, body: str, internal: bool, actor: Agent | None) -> Message:
    """An agent's public reply or internal note. The first public reply is the first response."""
    with transaction.atomic():
        ticket = _locked_ticket(ticket_id=ticket_id)
        if not internal and ticket.status == TicketStatus.CLOSED:
            raise InvalidTransition(
                _("This ticket is closed; only internal notes can be added."), field="internal"
            )
        message = Message.objects.create(
            ticket=ticket,
            author_kind=AuthorKind.AGENT,
            author_agent=actor,
            body=body,
            internal=internal,
        )
        if not internal and ticket.first_response_at is None:
            ticket.first_response_at = message.created_at
            ticket.save(update_fields=["first_response_at", "updated_at"])
        data = {"message_id": message.pk, "author_kind": AuthorKind.AGENT, "internal": internal}
        TicketEvent.objects.bulk_create([_event(ticket, EventKind.REPLIED, actor=actor, data=data)])
        notifications.ticket_replied(ticket=ticket, message=message)  # public: e-mail + webhook
    return message


def ticket_set_status(*, ticket_id: int, status: str, actor: Agent | None) -> Ticket:
    """Staff may move a ticket to any status. Leaving `open` frees the agent's slot; `new`
    unassigns it; `open` needs an assignee."""
    if status not in TicketStatus.values:
        raise InvalidInput(
            _("“{status}” is not a valid status.").format(status=status), field="status"
        )
    with transaction.atomic():
        ticket = _locked_ticket(ticket_id=ticket_id)
        if ticket.status != status:
            events = _transition(ticket, to=status, actor=actor, reason="staff")
            TicketEvent.objects.bulk_create(events)
    return ticket


def ticket_set_priority(*, ticket_id: int, priority: int, actor: Agent | None) -> Ticket:
    if priority not in Priority.values:
        raise InvalidInput(_("Unknown priority."), field="priority")
    with transaction.atomic():
        ticket = _locked_ticket(ticket_id=ticket_id)
        if ticket.priority != priority:
            data = {"from": Priority(ticket.priority).api_name, "to": Priority(priority).api_name}
            ticket.priority = priority
            ticket.save(update_fields=["priority", "updated_at"])
            sla.ticket_sla_recompute(ticket=ticket)
            event = _event(ticket, EventKind.PRIORITY_CHANGED, actor=actor, data=data)
            TicketEvent.objects.bulk_create([event])
    return ticket


def _unassign(ticket: Ticket, *, actor: Agent | None) -> list[TicketEvent]:
    previous = ticket.assignee_id
    if ticket.status == TicketStatus.OPEN:  # back to the queue; frees the slot
        return _transition(ticket, to=TicketStatus.NEW, actor=actor, reason="unassigned")
    ticket.assignee, ticket.manually_assigned, ticket.assigned_at = None, False, None
    ticket.save(update_fields=["assignee", "manually_assigned", "assigned_at", "updated_at"])
    return [_event(ticket, EventKind.UNASSIGNED, actor=actor, data={"agent_id": previous})]


def _assign(ticket: Ticket, *, agent_id: int, actor: Agent | None) -> list[TicketEvent]:
    events: list[TicketEvent] = []
    if ticket.assignee_id is not None:
        if ticket.status == TicketStatus.OPEN:
            agent_release_slot(agent_id=ticket.assignee_id)
            fill_agent_on_commit(agent_id=ticket.assignee_id)
        events.append(
            _event(ticket, EventKind.UNASSIGNED, actor=actor, data={"agent_id": ticket.assignee_id})
        )
    fields = ["assignee", "manually_assigned", "assigned_at", "status", "updated_at"]
    ticket.assignee_id, ticket.manually_assigned = agent_id, True
    ticket.assigned_at = timezone.now()
    if ticket.status in {TicketStatus.NEW, TicketStatus.OPEN}:  # waiting or worked: now open
        agent_claim_slot(agent_id=agent_id, force=True)
        if ticket.status == TicketStatus.NEW:
            events.append(
                _event(
                    ticket,
                    EventKind.STATUS_CHANGED,
                    actor=actor,
                    data={"from": ticket.status, "to": TicketStatus.OPEN, "reason": "assigned"},
                )
            )
        ticket.status = TicketStatus.OPEN
    ticket.save(update_fields=fields)
    events.append(
        _event(ticket, EventKind.ASSIGNED, actor=actor, data={"agent_id": agent_id, "manual": True})
    )
    notifications.ticket_assigned(ticket=ticket)
    return events


def ticket_assign_manual(*, ticket_id: int, agent_id: int | None, actor: Agent | None) -> Ticket:
    """Staff (un)assigns an agent. A manual assignment wins over routing and may exceed the
    agent's capacity; a `new` ticket becomes `open`, an unassigned `open` one goes back to `new`;
    pending/solved/closed tickets keep their status (they do not count as load)."""
    if agent_id is not None and not Agent.objects.filter(pk=agent_id).exists():
        raise InvalidInput(
            _("There is no agent with id {agent_id}.").format(agent_id=agent_id), field="assignee"
        )
    with transaction.atomic():
        ticket = _locked_ticket(ticket_id=ticket_id)
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
        ticket = _locked_ticket(ticket_id=ticket_id)
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
