"""What landing a message needs to know before it writes anything, read in one round trip:
whether this mailbox already has the message, the sender's known locale, and how many e-mail
tickets the sender opened recently (the rate limit). And the reads of a received message's
original (headers, full text, HTML, raw bytes) for staff who may see its ticket."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from supportdesk.mail.models import InboundMessage, Mailbox, Outcome
from supportdesk.tickets.models import Customer, Ticket

ERASED_PREFIX = "erased:"  # supportdesk.privacy keeps a digest of an erased message's id


@dataclass(frozen=True, slots=True)
class SenderFacts:
    duplicate: tuple[str, int | None] | None  # (outcome, ticket id) of the earlier landing
    locale: str
    opened_recently: int


def erased_message_id(message_id: str) -> str:
    return ERASED_PREFIX + hashlib.sha256(message_id.encode()).hexdigest()[:40]


def _facts_sql() -> str:
    """One statement of scalar subqueries; table names from the models, every value a
    parameter. Written out rather than built by the ORM each time: compiling five
    subqueries cost more than the round trip they save."""
    inbound = InboundMessage._meta.db_table
    customer = Customer._meta.db_table
    box = Mailbox._meta.db_table
    earlier = f"FROM {inbound} WHERE mailbox_id = %s AND message_id IN (%s, %s)"
    return (
        f"SELECT (SELECT id {earlier} LIMIT 1), (SELECT outcome {earlier} LIMIT 1), "
        f"(SELECT ticket_id {earlier} LIMIT 1), "
        f"(SELECT locale FROM {customer} WHERE client_app_id = %s AND email = %s), "
        f"(SELECT COUNT(*) FROM {inbound} i JOIN {box} b ON b.id = i.mailbox_id "
        "WHERE b.client_app_id = %s AND i.sender = %s AND i.outcome = %s "
        "AND i.received_at >= %s)"
    )


def sender_facts(*, mailbox: Mailbox, message_id: str, sender: str) -> SenderFacts:
    erased = erased_message_id(message_id)
    since = timezone.now() - timedelta(minutes=settings.MAIL_RATE_LIMIT_MINUTES)
    app = mailbox.client_app_id
    params: list[int | str | datetime | None] = [
        *(mailbox.pk, message_id, erased) * 3,
        app, sender,
        app, sender, Outcome.CREATED.value, since,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(_facts_sql(), params)
        earlier_id, outcome, ticket_id, locale, count = cursor.fetchone()
    return SenderFacts(
        duplicate=(outcome, ticket_id) if earlier_id is not None else None,
        locale=locale or "",
        opened_recently=count or 0,
    )


def inbound_message_for_reader(
    *, pk: int, visible: QuerySet[Ticket], reads_log: bool
) -> InboundMessage | None:
    """A received message as its original, for a reader allowed to see it: one whose ticket is
    in `visible` (the reader's ticket scope, ADR 0016), or, for a reader of the inbound log
    (`reads_log`: managers), one that made no ticket. None otherwise (the caller's 404)."""
    row = InboundMessage.objects.select_related("mailbox", "ticket").filter(pk=pk).first()
    if row is None:
        return None
    if row.ticket_id is None:
        return row if reads_log else None
    return row if visible.filter(pk=row.ticket_id).exists() else None


def originals_by_message(*, ticket: Ticket, first_customer_message: int | None) -> dict[int, int]:
    """Thread message id → the id of the received e-mail it came from. A reply (or a note on a
    bounce or an automatic answer) names its message; the e-mail that opened the ticket is its
    first customer message."""
    found: dict[int, int] = {}
    rows = InboundMessage.objects.filter(ticket=ticket).order_by("pk")
    for pk, ticket_message, outcome in rows.values_list("pk", "ticket_message_id", "outcome"):
        message_id: int | None = ticket_message  # the stubs type the nullable column as int
        if message_id is not None:
            found.setdefault(message_id, pk)
        elif outcome == Outcome.CREATED and first_customer_message is not None:
            found.setdefault(first_customer_message, pk)
    return found
