"""What landing a message needs to know before it writes anything, read in one round trip:
whether this mailbox already has the message, the sender's known locale, and how many e-mail
tickets the sender opened recently (the rate limit)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, IntegerField, Subquery
from django.utils import timezone

from supportdesk.mail.models import InboundMessage, Mailbox, Outcome
from supportdesk.tickets.models import Customer

ERASED_PREFIX = "erased:"  # supportdesk.privacy keeps a digest of an erased message's id


@dataclass(frozen=True, slots=True)
class SenderFacts:
    duplicate: tuple[str, int | None] | None  # (outcome, ticket id) of the earlier landing
    locale: str
    opened_recently: int


def erased_message_id(message_id: str) -> str:
    return ERASED_PREFIX + hashlib.sha256(message_id.encode()).hexdigest()[:40]


def sender_facts(*, mailbox: Mailbox, message_id: str, sender: str) -> SenderFacts:
    earlier = InboundMessage.objects.filter(
        mailbox_id=mailbox.pk, message_id__in=(message_id, erased_message_id(message_id))
    )
    since = timezone.now() - timedelta(minutes=settings.MAIL_RATE_LIMIT_MINUTES)
    opened = (
        InboundMessage.objects.filter(
            mailbox__client_app_id=mailbox.client_app_id,
            sender=sender,
            outcome=Outcome.CREATED,
            received_at__gte=since,
        )
        .order_by()
        .values("sender")
        .annotate(n=Count("id"))
        .values("n")
    )
    row = (
        Mailbox.objects.filter(pk=mailbox.pk)
        .annotate(
            earlier_id=Subquery(earlier.values("id")[:1]),
            earlier_outcome=Subquery(earlier.values("outcome")[:1]),
            earlier_ticket=Subquery(earlier.values("ticket_id")[:1]),
            locale=Subquery(
                Customer.objects.filter(client_app_id=mailbox.client_app_id, email=sender).values(
                    "locale"
                )[:1]
            ),
            opened=Subquery(opened[:1], output_field=IntegerField()),
        )
        .values_list("earlier_id", "earlier_outcome", "earlier_ticket", "locale", "opened")
        .first()
    )
    if row is None:  # the mailbox was deleted meanwhile
        return SenderFacts(duplicate=None, locale="", opened_recently=0)
    earlier_id, outcome, ticket_id, locale, count = row
    return SenderFacts(
        duplicate=(outcome, ticket_id) if earlier_id is not None else None,
        locale=locale or "",
        opened_recently=count or 0,
    )
