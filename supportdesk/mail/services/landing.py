"""Putting a parsed message on a ticket: a new ticket (channel e-mail) or a customer reply,
with its files through the attachments subsystem; the acknowledgement withheld when asked."""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

from supportdesk.attachments.limits import attachment_limits
from supportdesk.attachments.models import Attachment
from supportdesk.attachments.services import (
    CheckedFile,
    IncomingFile,
    attachments_staged,
    attachments_store,
    copies_closed,
    file_check,
    files_removed_on_error,
    thumbnails_on_commit,
)
from supportdesk.core.exceptions import DomainError
from supportdesk.languages import negotiation, tags
from supportdesk.languages.selectors import enabled_tags
from supportdesk.mail.models import Mailbox
from supportdesk.mail.parsing import MailFile, ParsedMail
from supportdesk.notifications.models import EmailDelivery, EmailStatus
from supportdesk.notifications.services.customer_emails import ACKNOWLEDGEMENT
from supportdesk.tickets.commands import NewCustomer, NewTicket
from supportdesk.tickets.models import Channel, Message, Ticket
from supportdesk.tickets.services import message_add, ticket_create, ticket_language

logger = logging.getLogger(__name__)
SUBJECT_CHARS = 255


@dataclass(frozen=True, slots=True)
class Landed:
    ticket: Ticket
    message: Message | None
    files: int
    refused_files: int


def checked_files(files: Sequence[MailFile]) -> tuple[list[CheckedFile], int]:
    """The files the attachments subsystem accepts, within its count and size limits; each
    refused one is logged (type and size, never its name) and counted."""
    limits = attachment_limits()
    accepted: list[CheckedFile] = []
    refused, total = 0, 0
    for file in files:
        try:
            checked = file_check(incoming=IncomingFile(file.name, io.BytesIO(file.data)))
        except DomainError as exc:
            refused += 1
            logger.info(
                "mail file refused: %s, %d bytes (%s)", file.content_type, len(file.data), exc.code
            )
            continue
        if len(accepted) >= limits.max_files or total + checked.size > limits.max_message_bytes:
            refused += 1
            logger.info("mail file refused: over the per-message limits (%d bytes)", checked.size)
            continue
        total += checked.size
        accepted.append(checked)
    return accepted, refused


def _body(text: str) -> str:
    limit: int = settings.MAX_TICKET_BODY_CHARS
    text = text.strip() or "—"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _default_language(mailbox: Mailbox) -> str:
    """The mailbox's language as an enabled tag; DEFAULT_LANGUAGE when it names none."""
    return _enabled_tag(mailbox.default_language, tuple(enabled_tags()))


@functools.lru_cache(maxsize=256)
def _enabled_tag(given: str, enabled: tuple[str, ...]) -> str:
    tag = tags.normalise(given) if given and tags.is_valid(given) else ""
    return negotiation.negotiate([tag], list(enabled)) or tag or settings.DEFAULT_LANGUAGE


def ticket_open(
    *,
    mailbox: Mailbox,
    parsed: ParsedMail,
    reply: str,
    subject: str,
    acknowledge: bool,
    locale: str,
) -> Landed:
    """A new e-mail ticket. Language: the customer's known locale, then detection on the
    reply without its quoted history, then the mailbox's default (or that default always,
    for a mailbox of one language)."""
    default = _default_language(mailbox)
    new = NewTicket(
        subject=subject[:SUBJECT_CHARS],
        body=_body(reply),
        customer=NewCustomer(
            email=parsed.sender,
            name=parsed.sender_name[:200],
            locale="" if mailbox.language_explicit else locale,
        ),
        language=default if mailbox.language_explicit else None,
        channel=Channel.EMAIL.value,
    )
    language = ticket_language(new=new, accept_language=None, default_language=default)
    files, refused = checked_files(parsed.files)
    with attachments_staged(files=files) as rows:
        ticket, _created = ticket_create(
            client_app=mailbox.client_app, new=new, attachments=rows, language=language
        )
    thumbnails_on_commit(rows)
    if not acknowledge:
        EmailDelivery.objects.update_or_create(
            ticket_id=ticket.pk,
            kind=ACKNOWLEDGEMENT,
            message_id=0,
            defaults={"status": EmailStatus.SKIPPED},
        )
    return Landed(ticket, None, len(rows), refused)  # its message: the ticket's first


def reply_add(*, ticket: Ticket, parsed: ParsedMail, reply: str) -> Landed:
    """A customer reply (it reopens a solved ticket, as the API's does)."""
    files, refused = checked_files(parsed.files)
    stored: list[Attachment] = []
    with copies_closed(files), files_removed_on_error():
        message = message_add(ticket_id=ticket.pk, body=_body(reply))
        if files:
            stored = attachments_store(message=message, files=files)
    thumbnails_on_commit(stored)
    return Landed(ticket, message, len(stored), refused)
