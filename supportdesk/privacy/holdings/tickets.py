"""Tickets, their messages and events; the customer row. Scrubbing keeps each ticket row with
what the dashboard, SLA reports and the simulator's replay read (language, priority, status,
channel, timestamps, assignee, SLA outcomes) and blanks what a person wrote or is."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from django.db.models import Q

from supportdesk.core.holdings import ExportEntry, Scope
from supportdesk.core.pseudonyms import customer_pseudonym, pseudonym_email
from supportdesk.privacy.holdings.encoding import to_json
from supportdesk.tickets.models import Customer, Message, Priority, Ticket

TICKET_FIELDS = (
    "subject", "status", "channel", "language", "language_source", "external_id", "tags",
    "created_at", "assigned_at", "first_response_at", "solved_at", "closed_at",
    "first_response_due_at", "resolution_due_at",
)  # fmt: skip


def _ticket_document(ticket: Ticket, *, include_internal: bool) -> dict[str, object]:
    messages = ticket.messages.order_by("created_at", "id")
    if not include_internal:
        messages = messages.filter(internal=False)
    events = ticket.events.order_by("created_at", "id")
    if not include_internal:
        events = events.exclude(data__internal=True)
    return {
        "id": str(ticket.public_id),
        "reference": ticket.reference,
        **{name: getattr(ticket, name) for name in TICKET_FIELDS},
        "priority": Priority(ticket.priority).api_name,
        "messages": [
            {
                "id": message.pk,
                "author_kind": message.author_kind,
                "internal": message.internal,
                "body": message.body,
                "created_at": message.created_at,
                "attachments": [
                    {
                        "id": str(a.pk),
                        "name": a.name,
                        "content_type": a.content_type,
                        "size": a.size,
                        "sha256": a.sha256,
                        "file": f"attachments/{ticket.reference}/{a.pk}",
                    }
                    for a in message.attachments.all()
                ],
            }
            for message in messages.prefetch_related("attachments")
        ],
        "events": [
            {"kind": e.kind, "actor": e.actor_label, "data": e.data, "created_at": e.created_at}
            for e in events
        ],
    }


def _ticket_json(ticket: Ticket, *, include_internal: bool) -> Iterator[bytes]:
    yield to_json(_ticket_document(ticket, include_internal=include_internal))


class TicketsHolding:
    name = "tickets"

    def export(self, scope: Scope) -> Iterator[ExportEntry]:
        for ticket in Ticket.objects.filter(id__in=scope.ticket_ids).order_by("id"):
            # built when the zip reaches it: one ticket's thread in memory at a time
            yield ExportEntry(
                f"tickets/{ticket.reference}.json",
                partial(_ticket_json, ticket, include_internal=scope.include_internal),
            )

    def scrub(self, scope: Scope, *, dry_run: bool) -> int:
        tickets = Ticket.objects.filter(id__in=scope.ticket_ids).filter(
            ~Q(subject="") | ~Q(external_id="") | Q(idempotency_key__isnull=False)
        )
        messages = Message.objects.filter(ticket_id__in=scope.ticket_ids).exclude(body="")
        count = tickets.count() + messages.count()
        if not dry_run:
            tickets.update(subject="", external_id="", idempotency_key=None,
                           idempotency_fingerprint="")  # fmt: skip
            messages.update(body="")
        return count


class CustomerHolding:
    name = "customer"

    def export(self, scope: Scope) -> Iterator[ExportEntry]:
        for customer in Customer.objects.filter(id__in=scope.customer_ids).select_related(
            "client_app"
        ):
            yield ExportEntry(
                "customer.json",
                to_json(
                    {
                        "email": customer.email,
                        "name": customer.name,
                        "locale": customer.locale,
                        "country": customer.country,
                        "timezone": customer.timezone,
                        "client_application": customer.client_app.name,
                        "created_at": customer.created_at,
                    }
                ),
            )

    def scrub(self, scope: Scope, *, dry_run: bool) -> int:
        count = 0
        for customer in Customer.objects.filter(id__in=scope.customer_ids).order_by("id"):
            pseudonym = customer_pseudonym(customer.pk)
            if customer.name == pseudonym:
                continue
            count += 1
            if not dry_run:
                Customer.objects.filter(pk=customer.pk).update(
                    email=pseudonym_email(customer.pk),
                    name=pseudonym,
                    locale="",
                    country="",
                    timezone="",
                )
        return count
