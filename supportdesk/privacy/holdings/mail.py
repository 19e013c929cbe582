"""Inbound e-mails (supportdesk.mail): the raw message, its text and HTML, sender and subject,
for the customer's tickets and for mail from their address that made no ticket."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import partial

from django.db.models import Q, QuerySet

from supportdesk.core.holdings import ExportEntry, Scope
from supportdesk.mail.models import InboundMessage
from supportdesk.privacy.holdings.encoding import to_json

ERASED_PREFIX = "erased:"


def _of(scope: Scope) -> QuerySet[InboundMessage]:
    by_address = Q(sender__in=scope.emails, ticket__isnull=True) if scope.emails else Q(pk__in=[])
    return InboundMessage.objects.filter(
        Q(ticket_id__in=scope.ticket_ids) | by_address, mailbox__client_app_id=scope.client_app_id
    )


class InboundMailHolding:
    name = "inbound_emails"

    def export(self, scope: Scope) -> Iterator[ExportEntry]:
        rows = list(_of(scope).defer("raw").select_related("ticket").order_by("id"))
        yield ExportEntry(
            "inbound_emails.json",
            to_json(
                [
                    {
                        "id": row.pk,
                        "message_id": row.message_id,
                        "ticket": row.ticket.reference if row.ticket else None,
                        "sender": row.sender,
                        "subject": row.subject,
                        "outcome": row.outcome,
                        "received_at": row.received_at,
                        "text": row.full_text,
                        "file": f"inbound_emails/{row.pk}.eml",
                    }
                    for row in rows
                ]
            ),
        )
        for row in rows:
            yield ExportEntry(f"inbound_emails/{row.pk}.eml", partial(_raw_of, row.pk))

    def scrub(self, scope: Scope, *, dry_run: bool) -> int:
        rows = _of(scope).exclude(message_id__startswith=ERASED_PREFIX)
        if dry_run:
            return rows.count()
        count = 0
        for pk, message_id in rows.values_list("pk", "message_id"):
            # a digest of the Message-ID keeps a re-read message from being stored twice
            digest = hashlib.sha256(message_id.encode()).hexdigest()[:40]
            count += InboundMessage.objects.filter(pk=pk).update(
                message_id=f"{ERASED_PREFIX}{digest}", sender="", subject="", raw=b"",
                html="", full_text="", reason="",
            )  # fmt: skip
        return count


def _raw_of(pk: int) -> Iterator[bytes]:
    """Read when the zip reaches it: one raw message in memory at a time."""
    raw = InboundMessage.objects.filter(pk=pk).values_list("raw", flat=True).first()
    yield bytes(raw or b"")
