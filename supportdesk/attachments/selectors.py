"""Reads of attachments. `attachments_visible_to` is the one way API code obtains a file."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import IO

from django.db.models import QuerySet, Sum

from supportdesk.attachments.models import Attachment
from supportdesk.attachments.storage import attachment_storage
from supportdesk.core.types import Principal
from supportdesk.tickets.models import Message, Ticket
from supportdesk.tickets.selectors import tickets_visible_to


def attachments_visible_to(*, principal: Principal) -> QuerySet[Attachment]:
    """Files of messages the principal may read: those of tickets it sees
    (`tickets_visible_to`), internal notes' files for staff only. Anything else is absent."""
    visible = Attachment.objects.filter(
        message__ticket__in=tickets_visible_to(principal=principal).values("pk")
    )
    if not principal.is_staff:
        visible = visible.filter(message__internal=False)
    return visible.select_related("message")


def attachments_of_message(*, message: Message) -> list[Attachment]:
    """A message's files, in the order they were added (uses a prefetch when present)."""
    return list(message.attachments.all())


def attachments_of_ticket(*, ticket: Ticket, include_internal: bool) -> QuerySet[Attachment]:
    """Every file of a ticket's thread, oldest first (for exports and e-mails)."""
    files = Attachment.objects.filter(message__ticket=ticket)
    if not include_internal:
        files = files.filter(message__internal=False)
    return files.order_by("created_at", "id")


def attachments_by_ticket(
    *, ticket_ids: Sequence[int], include_internal: bool
) -> dict[int, list[Attachment]]:
    """The files of many tickets at once (a list page): one query."""
    files = Attachment.objects.filter(message__ticket_id__in=ticket_ids)
    if not include_internal:
        files = files.filter(message__internal=False)
    by_ticket: dict[int, list[Attachment]] = defaultdict(list)
    for attachment in files.select_related("message").order_by("created_at", "id"):
        by_ticket[attachment.message.ticket_id].append(attachment)
    return by_ticket


def messages_with_attachments(messages: QuerySet[Message]) -> QuerySet[Message]:
    """`messages` with their files, fetched in one more query."""
    return messages.prefetch_related("attachments")


def attachment_open(*, attachment: Attachment) -> IO[bytes]:
    """The stored bytes, opened for reading in chunks (an export, an e-mail). Close it; a file
    gone from storage raises FileNotFoundError."""
    stream: IO[bytes] = attachment_storage().open(attachment.storage_key, "rb")
    return stream


def stored_bytes() -> tuple[int, int]:
    """(files, bytes) held in storage for attachments (thumbnails not counted)."""
    totals = Attachment.objects.aggregate(size=Sum("size"))
    return Attachment.objects.count(), totals["size"] or 0
