"""Which ticket an incoming message belongs to. In order: the signed token of our Reply-To
plus-address; In-Reply-To/References naming one of our Message-IDs (signed) or a message this
mailbox received; `[SD-12345]` in the subject only when the sender is that ticket's customer."""

from __future__ import annotations

import re
from dataclasses import dataclass

from supportdesk.mail import tokens
from supportdesk.mail.models import InboundMessage, Mailbox
from supportdesk.mail.parsing import ParsedMail
from supportdesk.tickets.models import Ticket
from supportdesk.tickets.models.ticket import pk_from_reference

SUBJECT_REFERENCE = re.compile(r"\[(SD-\d{1,12})\]", re.IGNORECASE)
RAW_MESSAGE_ID = re.compile(rb"sd\.[0-9a-z]{1,13}-[a-z2-7]{16}\.[0-9a-z]+@", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Match:
    ticket: Ticket
    how: str  # token | message-id | reference


def _ticket(mailbox: Mailbox, ticket_id: int | None) -> Ticket | None:
    if ticket_id is None:
        return None
    return (
        Ticket.objects.select_related("customer")
        .filter(id=ticket_id, client_app_id=mailbox.client_app_id)
        .first()
    )


def _by_token(mailbox: Mailbox, parsed: ParsedMail) -> Ticket | None:
    for address in parsed.recipients:
        found = _ticket(mailbox, tokens.ticket_from_address(address))
        if found is not None:
            return found
    return None


def _by_message_ids(mailbox: Mailbox, parsed: ParsedMail) -> Ticket | None:
    known = (*parsed.in_reply_to, *reversed(parsed.references))
    for message_id in known:
        found = _ticket(mailbox, tokens.ticket_from_message_id(message_id))
        if found is not None:
            return found
    if not known:
        return None
    ticket_id = (
        InboundMessage.objects.filter(
            mailbox__client_app_id=mailbox.client_app_id,
            message_id__in=known,
            ticket__isnull=False,
        )
        .order_by("-received_at")
        .values_list("ticket_id", flat=True)
        .first()
    )
    return _ticket(mailbox, ticket_id)


def _by_reference(mailbox: Mailbox, parsed: ParsedMail) -> Ticket | None:
    for reference in SUBJECT_REFERENCE.findall(parsed.subject):
        found = _ticket(mailbox, pk_from_reference(reference))
        if found is not None and found.customer.email.lower() == parsed.sender:
            return found
    return None


def ticket_for(mailbox: Mailbox, parsed: ParsedMail) -> Match | None:
    for how, finder in (
        ("token", _by_token),
        ("message-id", _by_message_ids),
        ("reference", _by_reference),
    ):
        found = finder(mailbox, parsed)
        if found is not None:
            return Match(found, how)
    return None


def bounced_ticket(mailbox: Mailbox, raw: bytes) -> Ticket | None:
    """The ticket whose e-mail a bounce returns: our Message-ID quoted in the report."""
    for found in RAW_MESSAGE_ID.findall(raw):
        ticket = _ticket(mailbox, tokens.ticket_from_message_id(found.decode("ascii")))
        if ticket is not None:
            return ticket
    return None
