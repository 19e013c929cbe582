"""The conversation: customer replies and agents' replies or internal notes."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from supportdesk.agents.models import Agent
from supportdesk.core.exceptions import InvalidTransition
from supportdesk.notifications import services as notifications
from supportdesk.tickets.models import AuthorKind, EventKind, Message, TicketEvent, TicketStatus
from supportdesk.tickets.services.lifecycle import event, locked_ticket, transition


def message_add(*, ticket_id: int, body: str) -> Message:
    """A customer reply. It reopens a `solved` (or `pending`) ticket: back to `open` with its
    agent, or to `new` (the queue) when it has none. A closed ticket takes no replies."""
    with transaction.atomic():
        ticket = locked_ticket(ticket_id=ticket_id)
        if ticket.status == TicketStatus.CLOSED:
            raise InvalidTransition(
                _("This ticket is closed; please open a new ticket."), field="body"
            )
        message = Message.objects.create(ticket=ticket, author_kind=AuthorKind.CUSTOMER, body=body)
        events = [
            event(
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
            events += transition(ticket, to=target, actor=None, reason="customer-reply")
        TicketEvent.objects.bulk_create(events)
    return message


def ticket_reply(*, ticket_id: int, body: str, internal: bool, actor: Agent | None) -> Message:
    """An agent's public reply or internal note. The first public reply is the first response."""
    with transaction.atomic():
        ticket = locked_ticket(ticket_id=ticket_id)
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
        TicketEvent.objects.bulk_create([event(ticket, EventKind.REPLIED, actor=actor, data=data)])
        notifications.ticket_replied(ticket=ticket, message=message)  # public: e-mail + webhook
    return message


def system_note_add(*, ticket_id: int, body: str) -> Message:
    """An internal note written by the system (a bounce, an automatic reply received): seen
    by agents, never sent, and it changes no status."""
    with transaction.atomic():
        ticket = locked_ticket(ticket_id=ticket_id)
        message = Message.objects.create(
            ticket=ticket, author_kind=AuthorKind.SYSTEM, body=body, internal=True
        )
        data = {"message_id": message.pk, "author_kind": AuthorKind.SYSTEM, "internal": True}
        TicketEvent.objects.bulk_create([event(ticket, EventKind.REPLIED, actor=None, data=data)])
    return message
