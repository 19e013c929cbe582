"""One message read from a mailbox (IMAP or a provider's webhook) → a ticket, a reply, a note
on a ticket (bounce, automatic reply) or nothing; always one InboundMessage row with the raw
bytes. The row's unique (mailbox, Message-ID) makes a message read twice land once."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from email.errors import MessageError

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from supportdesk.core import snapshots
from supportdesk.core.exceptions import InvalidTransition
from supportdesk.mail.content import reply_text
from supportdesk.mail.models import InboundMessage, Mailbox, Outcome
from supportdesk.mail.parsing import ParsedMail, parse
from supportdesk.mail.selectors import SenderFacts, sender_facts
from supportdesk.mail.services.landing import Landed, reply_add, ticket_open
from supportdesk.mail.services.threading import bounced_ticket, ticket_for
from supportdesk.tickets.services import system_note_add

logger = logging.getLogger(__name__)
PARSE_ERRORS = (
    ValueError, LookupError, UnicodeError, TypeError, IndexError, AttributeError, MessageError,
)  # fmt: skip
DIAGNOSTIC = re.compile(rb"^(?:Status|Diagnostic-Code):[ \t]*([^\r\n]{1,200})", re.MULTILINE | re.I)


@dataclass(frozen=True, slots=True)
class Received:
    outcome: str
    ticket_id: int | None = None
    duplicate: bool = False
    reason: str = ""


def _load_own_addresses(_key: str) -> frozenset[str]:
    addresses = {address.lower() for address in Mailbox.objects.values_list("address", flat=True)}
    return frozenset(addresses | {settings.DEFAULT_FROM_EMAIL.lower()})


# our own addresses, read once per REFERENCE_CACHE_SECONDS per process (ADR 0008)
_own_addresses = snapshots.Snapshot(_load_own_addresses, depends_on=("mail.Mailbox",))


def _own(sender: str) -> bool:
    local, _at, domain = sender.partition("@")
    return f"{local.split('+', 1)[0]}@{domain}" in (_own_addresses.get("all") or ())


def _rate_limited(facts: SenderFacts) -> bool:
    limit: int = settings.MAIL_RATE_LIMIT_TICKETS
    return facts.opened_recently >= limit


def _note(ticket_id: int, text: str) -> int:
    return system_note_add(ticket_id=ticket_id, body=text).pk


def _bounce(mailbox: Mailbox, raw: bytes) -> tuple[int | None, int | None]:
    ticket = bounced_ticket(mailbox, raw)
    if ticket is None:
        return None, None
    details = "; ".join(found.decode("ascii", "replace") for found in DIAGNOSTIC.findall(raw))
    with translation.override(settings.DEFAULT_LANGUAGE):
        text = _("An e-mail to the customer could not be delivered. {details}").format(
            details=details
        )
    return ticket.pk, _note(ticket.pk, text.strip())


def _automatic(ticket_id: int, parsed: ParsedMail, reply: str) -> int:
    with translation.override(settings.DEFAULT_LANGUAGE):
        text = _("Automatic reply received ({reason}); nothing was sent back.").format(
            reason=parsed.auto_submitted
        )
    return _note(ticket_id, f"{text}\n\n{reply}".strip())


def _row(mailbox: Mailbox, parsed: ParsedMail, raw: bytes, **fields: object) -> InboundMessage:
    return InboundMessage.objects.create(
        mailbox=mailbox,
        message_id=parsed.message_id,
        sender=parsed.sender[:320],
        subject=parsed.subject[:255],
        raw=raw,
        html=parsed.html,
        full_text=parsed.text,
        **fields,
    )


def _landed_row(
    mailbox: Mailbox, parsed: ParsedMail, raw: bytes, landed: Landed, **fields: object
) -> InboundMessage:
    return _row(mailbox, parsed, raw, ticket=landed.ticket, ticket_message=landed.message, **fields)


def _land(  # noqa: PLR0911 - one outcome per kind of message
    mailbox: Mailbox,
    parsed: ParsedMail,
    raw: bytes,
    facts: SenderFacts,
) -> InboundMessage:
    if not parsed.sender:
        return _row(mailbox, parsed, raw, outcome=Outcome.REFUSED, reason="no-sender")
    if _own(parsed.sender):
        return _row(mailbox, parsed, raw, outcome=Outcome.SKIPPED, reason="own-address")
    if parsed.is_bounce:
        ticket_id, message_id = _bounce(mailbox, raw)
        return _row(
            mailbox,
            parsed,
            raw,
            outcome=Outcome.BOUNCE,
            reason="bounce",
            ticket_id=ticket_id,
            ticket_message_id=message_id,
        )
    match = ticket_for(mailbox, parsed)
    reply = reply_text(parsed.text)
    automatic = parsed.auto_submitted and parsed.auto_submitted != "no-reply-sender"
    if automatic:
        if match is None:
            return _row(mailbox, parsed, raw, outcome=Outcome.SKIPPED, reason=parsed.auto_submitted)
        note = _automatic(match.ticket.pk, parsed, reply)
        return _row(
            mailbox,
            parsed,
            raw,
            outcome=Outcome.NOTED,
            reason=parsed.auto_submitted,
            ticket=match.ticket,
            ticket_message_id=note,
        )
    if match is not None:
        try:
            landed = reply_add(ticket=match.ticket, parsed=parsed, reply=reply)
        except InvalidTransition:  # a closed ticket takes no replies: a new one follows
            logger.info("mail reply to closed ticket %s: new ticket", match.ticket.reference)
        else:
            return _landed_row(
                mailbox, parsed, raw, landed, outcome=Outcome.APPENDED, reason=match.how
            )
    limited = _rate_limited(facts)
    acknowledge = not (limited or parsed.auto_submitted)
    landed = ticket_open(
        mailbox=mailbox,
        parsed=parsed,
        reply=reply,  # the new text only, as for a reply: stored and detected without quotes
        locale=facts.locale,
        subject=parsed.subject or _("(no subject)"),
        acknowledge=acknowledge,
    )
    if limited:
        logger.warning(
            "mail sender over %d new tickets: no acknowledgement for %s",
            settings.MAIL_RATE_LIMIT_TICKETS,
            landed.ticket.reference,
        )
    reason = "rate-limited" if limited else parsed.auto_submitted
    return _landed_row(
        mailbox,
        parsed,
        raw,
        landed,
        outcome=Outcome.CREATED,
        reason=reason,
        acknowledged=acknowledge,
    )


def _duplicate(facts: SenderFacts) -> Received | None:
    if facts.duplicate is None:
        return None
    outcome, ticket_id = facts.duplicate
    return Received(outcome=outcome, ticket_id=ticket_id, duplicate=True)


def _facts(mailbox: Mailbox, parsed: ParsedMail) -> SenderFacts:
    return sender_facts(mailbox=mailbox, message_id=parsed.message_id, sender=parsed.sender)


def mail_receive(*, mailbox: Mailbox, raw: bytes) -> Received:
    """Land one raw RFC 5322 message. Safe to call again with the same message."""
    if len(raw) > settings.MAIL_MAX_MESSAGE_BYTES:
        logger.warning("mail refused: %d bytes is over MAIL_MAX_MESSAGE_BYTES", len(raw))
        return Received(outcome=Outcome.REFUSED, reason="too-large")
    try:
        parsed = parse(raw)
    except PARSE_ERRORS as exc:
        logger.warning("mail refused: cannot be parsed (%s)", type(exc).__name__)
        return Received(outcome=Outcome.REFUSED, reason="unparseable")
    facts = _facts(mailbox, parsed)  # one round trip: duplicate? locale? recent tickets?
    known = _duplicate(facts)
    if known is not None:
        return known
    try:
        with transaction.atomic():
            row = _land(mailbox, parsed, raw, facts)
    except IntegrityError:  # the same message landed concurrently
        known = _duplicate(_facts(mailbox, parsed))
        if known is None:
            raise
        return known
    logger.info("mail %s: %s %s", row.pk, row.outcome, row.reason)
    return Received(outcome=row.outcome, ticket_id=row.ticket_id, reason=row.reason)
