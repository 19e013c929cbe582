"""Tickets, customer replies and agent replies that come with files: checked first, then the
message and its files in one transaction (a new ticket's in one statement), so a refused or
failed upload leaves nothing. The
files themselves are supportdesk.attachments' (a layer below: docs/subsystems/attachments.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from django.db import transaction

from supportdesk.agents.models import Agent
from supportdesk.attachments.models import Attachment
from supportdesk.attachments.services import (
    IncomingFile,
    ReceivedFile,
    attachments_staged,
    attachments_store,
    copies_closed,
    files_check,
    files_removed_on_error,
    thumbnails_on_commit,
)
from supportdesk.clients.models import ClientApplication
from supportdesk.tickets.commands import NewTicket
from supportdesk.tickets.models import Message, Ticket
from supportdesk.tickets.services.intake import ticket_create
from supportdesk.tickets.services.thread import message_add, ticket_reply


def ticket_create_with_files(
    *,
    client_app: ClientApplication,
    new: NewTicket,
    files: Sequence[IncomingFile | ReceivedFile],
    idempotency_key: str | None = None,
    accept_language: str | None = None,
) -> tuple[Ticket, bool, list[Attachment]]:
    """`ticket_create` whose opening message carries `files`; returns (ticket, created, the
    stored attachments). The files are part of the Idempotency-Key fingerprint: the same files
    replay (nothing stored again, no attachments returned), other files are a 409.

    The files are stored first; their rows then go into the statement that writes the ticket
    (`intake_rows`), so a ticket with files costs the database what one without does. A
    replay, a refusal or a failed statement deletes the stored files again."""
    checked = files_check(files=files)
    if checked:
        new = replace(new, attachments=tuple(file.digest_line for file in checked))
    with attachments_staged(files=checked) as rows:
        ticket, created = ticket_create(
            client_app=client_app,
            new=new,
            idempotency_key=idempotency_key,
            accept_language=accept_language,
            attachments=rows,
        )
    if not created:
        return ticket, False, []
    thumbnails_on_commit(rows)
    return ticket, True, rows


def message_add_with_files(
    *, ticket_id: int, body: str, files: Sequence[IncomingFile | ReceivedFile]
) -> tuple[Message, list[Attachment]]:
    """A customer reply with files (`message_add`: it may reopen the ticket)."""
    checked = files_check(files=files)
    with copies_closed(checked), files_removed_on_error(), transaction.atomic():
        message = message_add(ticket_id=ticket_id, body=body)
        stored = attachments_store(message=message, files=checked) if checked else []
    return message, stored


def ticket_reply_with_files(
    *,
    ticket_id: int,
    body: str,
    internal: bool,
    actor: Agent | None,
    files: Sequence[IncomingFile | ReceivedFile],
) -> tuple[Message, list[Attachment]]:
    """An agent reply or internal note with files; the customer's e-mail, sent after commit,
    carries the files of a public reply."""
    checked = files_check(files=files)
    with copies_closed(checked), files_removed_on_error(), transaction.atomic():
        message = ticket_reply(ticket_id=ticket_id, body=body, internal=internal, actor=actor)
        stored = attachments_store(message=message, files=checked) if checked else []
    return message, stored
