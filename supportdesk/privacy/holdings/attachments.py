"""Files of the customer's tickets: exported as they are, deleted on erasure by the attachments'
own service (rows now, bytes after commit; the orphan sweep removes any file a lost commit
hook left)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial

from supportdesk.attachments.models import Attachment
from supportdesk.attachments.services.lifecycle import attachments_delete_for_tickets
from supportdesk.attachments.storage import attachment_storage
from supportdesk.core.holdings import ExportEntry, Scope

CHUNK = 64 * 1024


def _chunks(key: str) -> Iterable[bytes]:
    with attachment_storage().open(key, "rb") as stream:
        while chunk := stream.read(CHUNK):
            yield chunk


class AttachmentsHolding:
    name = "attachments"

    def export(self, scope: Scope) -> Iterator[ExportEntry]:
        files = Attachment.objects.filter(message__ticket_id__in=scope.ticket_ids)
        if not scope.include_internal:
            files = files.filter(message__internal=False)
        for attachment in files.select_related("message__ticket").order_by("created_at", "id"):
            reference = attachment.message.ticket.reference
            yield ExportEntry(
                f"attachments/{reference}/{attachment.pk}",
                partial(_chunks, attachment.storage_key),
            )

    def scrub(self, scope: Scope, *, dry_run: bool) -> int:
        if dry_run:
            return Attachment.objects.filter(message__ticket_id__in=scope.ticket_ids).count()
        return attachments_delete_for_tickets(ticket_ids=scope.ticket_ids)
