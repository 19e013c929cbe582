"""Hooks the ticket and SLA services call inside their transaction. Webhook deliveries are
written now (an outbox: they commit or roll back with the change); messages leave on commit."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime

from celery import Task
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from supportdesk.core.publishing import publish_on_commit as on_commit
from supportdesk.core.publishing import task_named
from supportdesk.notifications.models import WebhookDelivery, WebhookEvent
from supportdesk.notifications.selectors import active_endpoints_of
from supportdesk.notifications.services.customer_emails import REPLY, email_outbox_add
from supportdesk.notifications.webhooks import PAYLOAD_VERSION
from supportdesk.tickets.models import AuthorKind, Message, Priority, Ticket


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def ticket_payload(ticket: Ticket) -> dict[str, object]:
    assignee = ticket.assignee
    return {
        "id": str(ticket.public_id),
        "reference": ticket.reference,
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": Priority(ticket.priority).api_name,
        "language": ticket.language,
        "external_id": ticket.external_id,
        "customer": {"email": ticket.customer.email, "name": ticket.customer.name},
        "assignee": {"id": assignee.pk, "name": assignee.display_name} if assignee else None,
        "created_at": _iso(ticket.created_at),
        "first_response_due_at": _iso(ticket.first_response_due_at),
        "resolution_due_at": _iso(ticket.resolution_due_at),
        "solved_at": _iso(ticket.solved_at),
    }


def webhooks_wanted(*, client_app_id: int, event: str) -> bool:
    """Whether `event` of this application writes webhook deliveries (an outbox row each)."""
    return any(e.wants(event) for e in active_endpoints_of(client_app_id))


def webhook_emit(
    *, ticket: Ticket, event: str, data: Mapping[str, object] | None = None
) -> list[int]:
    """Write one delivery per active endpoint of the ticket's client application that wants
    `event`, and queue them after commit. Returns the delivery ids."""
    endpoints = [e for e in active_endpoints_of(ticket.client_app_id) if e.wants(event)]
    if not endpoints:
        return []
    now = timezone.now()
    ticket_data = ticket_payload(ticket)
    deliveries = []
    for endpoint in endpoints:
        event_id = uuid.uuid4()
        payload = {
            "version": PAYLOAD_VERSION,
            "id": str(event_id),
            "event": event,
            "occurred_at": now.isoformat(),
            "ticket": ticket_data,
            "data": dict(data or {}),
        }
        deliveries.append(
            WebhookDelivery(
                endpoint=endpoint,
                event_id=event_id,
                event=event,
                ticket_id=ticket.pk,
                payload=payload,
                next_attempt_at=now,
            )
        )
    created = WebhookDelivery.objects.bulk_create(deliveries)
    for delivery in created:
        on_commit("webhooks.deliver", delivery.pk)
    return [d.pk for d in created]


def customer_erased(*, client_app_id: int, pseudonym: str) -> list[int]:
    """Tell the client application that a customer's data is gone (GDPR Art. 17): the payload
    names the pseudonym the erasure answered with, never the person."""
    endpoints = [
        e for e in active_endpoints_of(client_app_id) if e.wants(WebhookEvent.CUSTOMER_ERASED)
    ]
    now = timezone.now()
    created = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            event_id=(event_id := uuid.uuid4()),
            event=WebhookEvent.CUSTOMER_ERASED,
            ticket_id=None,
            payload={
                "version": PAYLOAD_VERSION,
                "id": str(event_id),
                "event": WebhookEvent.CUSTOMER_ERASED.value,
                "occurred_at": now.isoformat(),
                "customer": {"pseudonym": pseudonym},
            },
            next_attempt_at=now,
        )
        for endpoint in endpoints
    )
    for delivery in created:
        on_commit("webhooks.deliver", delivery.pk)
    return [d.pk for d in created]


def ticket_created(*, ticket: Ticket) -> Task[..., object]:
    """Tell the client application (webhook outbox) and return the task that acknowledges a
    batch of new tickets to their customers: intake hands it to the routing nudge, so that
    the e-mails leave once a worker has routed the tickets, at no publish of their own."""
    webhook_emit(ticket=ticket, event=WebhookEvent.TICKET_CREATED)
    return task_named("notifications.acknowledge_tickets")


def ticket_assigned(*, ticket: Ticket) -> None:
    webhook_emit(ticket=ticket, event=WebhookEvent.TICKET_ASSIGNED)


def ticket_replied(*, ticket: Ticket, message: Message) -> None:
    """A public agent reply goes to the customer by e-mail and to the client application."""
    if message.internal or message.author_kind != AuthorKind.AGENT:
        return
    email_outbox_add(ticket_id=ticket.pk, message_id=message.pk)  # commits with the reply
    on_commit("notifications.send_ticket_email", ticket.pk, REPLY, message.pk)
    webhook_emit(
        ticket=ticket,
        event=WebhookEvent.TICKET_REPLIED,
        data={
            "message": {
                "id": message.pk,
                "author_kind": message.author_kind,
                "body": message.body,
                "created_at": _iso(message.created_at),
            }
        },
    )


def ticket_solved(*, ticket: Ticket) -> None:
    webhook_emit(ticket=ticket, event=WebhookEvent.TICKET_SOLVED)


def sla_breach_notify(*, ticket: Ticket, target: str) -> None:
    """Managers by e-mail (in DEFAULT_LANGUAGE) and the client application by webhook."""
    with translation.override(settings.DEFAULT_LANGUAGE):
        labels = {
            "first_response": _("first response"),
            "resolution": _("resolution"),
        }
        subject = _("[{reference}] SLA breached: {target}").format(
            reference=ticket.reference, target=labels.get(target, target)
        )
        body = _(
            "Ticket {reference} “{subject}” ({language}, priority {priority}) missed its "
            "{target} target. It is now {status}."
        ).format(
            reference=ticket.reference,
            subject=ticket.subject,
            language=ticket.language,
            priority=Priority(ticket.priority).label,
            target=labels.get(target, target),
            status=ticket.get_status_display(),
        )
    on_commit("notifications.notify_managers", subject, body)
    webhook_emit(ticket=ticket, event=WebhookEvent.SLA_BREACHED, data={"target": target})


def tickets_assigned(*, ticket_ids: Sequence[int]) -> None:
    """Routing's bulk assignment: one query when no client application listens."""
    listened = (
        Ticket.objects.filter(id__in=list(ticket_ids), client_app__webhook_endpoints__active=True)
        .distinct()
        .select_related("customer", "assignee__user")
        .order_by("id")
    )
    for ticket in listened:
        ticket_assigned(ticket=ticket)
