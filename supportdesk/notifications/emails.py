"""Customer e-mails, rendered in the ticket's language (falling back along its chain to
DEFAULT_LANGUAGE) with dates in the customer's locale and time zone (Babel)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from supportdesk.attachments.emails import EmailFile, email_files
from supportdesk.attachments.links import link_expiry
from supportdesk.languages.selectors import fallback_chain
from supportdesk.tickets.models import Message, Ticket

BREAKING = frozenset({"Cc", "Zl", "Zp"})  # control characters, line and paragraph separators


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    to: str
    subject: str
    text: str
    html: str
    language: str
    files: tuple[EmailFile, ...] = ()  # an agent reply's files: attached or linked


def email_language(*, tag: str) -> str:
    """The first of `tag` and its fallbacks that the interface is translated into."""
    for candidate in (tag, *fallback_chain(tag=tag)):
        try:
            return translation.get_supported_language_variant(candidate.lower())
        except LookupError:
            continue
    language: str = settings.LANGUAGE_CODE
    return language


def _babel_locale(tag: str, fallback: str) -> Locale:
    for candidate in (tag, fallback, "en"):
        try:
            return Locale.parse(candidate.replace("_", "-"), sep="-")
        except (ValueError, TypeError, UnknownLocaleError):
            continue
    return Locale("en")  # pragma: no cover - "en" always parses


def format_moment(moment: datetime, *, locale: str, time_zone: str, fallback: str) -> str:
    """`moment` as the customer reads dates: their locale's long format, their time zone."""
    try:
        zone = ZoneInfo(time_zone or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return format_datetime(
        moment, format="long", tzinfo=zone, locale=_babel_locale(locale or fallback, fallback)
    )


def _context(ticket: Ticket, language: str) -> dict[str, object]:
    customer = ticket.customer
    due = ticket.first_response_due_at
    return {
        "ticket": ticket,
        "reference": ticket.reference,
        "subject": ticket.subject,
        "customer_name": customer.name or customer.email,
        "due": (
            format_moment(
                due, locale=customer.locale, time_zone=customer.timezone, fallback=language
            )
            if due is not None and ticket.first_response_at is None
            else ""
        ),
        "language": language,
        "bidi": translation.get_language_bidi(),
    }


def header_text(text: str) -> str:
    """`text` safe for a header whatever is stored (older rows, other doors): every run of
    whitespace and control characters becomes one space, so no line break reaches the header
    (Django would raise BadHeaderError and the e-mail would never leave)."""
    cleaned = "".join(" " if unicodedata.category(char) in BREAKING else char for char in text)
    return " ".join(cleaned.split())


def _render(
    ticket: Ticket,
    template: str,
    subject: str,
    extra: dict[str, object],
    files: tuple[EmailFile, ...] = (),
) -> RenderedEmail:
    language = translation.get_language()
    context = {**_context(ticket, language), **extra, "files": files}
    if any(file.link for file in files):
        customer = ticket.customer
        context["links_until"] = format_moment(
            link_expiry(), locale=customer.locale, time_zone=customer.timezone, fallback=language
        )
    return RenderedEmail(
        to=ticket.customer.email,
        subject=header_text(subject),
        text=render_to_string(f"notifications/{template}.txt", context),
        html=render_to_string(f"notifications/{template}.html", context),
        language=language,
        files=files,
    )


def render_acknowledgement(*, ticket: Ticket) -> RenderedEmail:
    with translation.override(email_language(tag=ticket.language)):
        subject = _("[{reference}] We received your request: {subject}").format(
            reference=ticket.reference, subject=ticket.subject
        )
        return _render(ticket, "acknowledgement", subject, {})


def render_reply(*, ticket: Ticket, message: Message) -> RenderedEmail:
    with translation.override(email_language(tag=ticket.language)):
        subject = _("[{reference}] New reply to your request: {subject}").format(
            reference=ticket.reference, subject=ticket.subject
        )
        author = message.author_agent.display_name if message.author_agent else ""
        extra = {"message": message, "author": author}
        return _render(ticket, "reply", subject, extra, email_files(message=message))
