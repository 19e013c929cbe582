"""Macros at work: check a variant's text, render a macro for a ticket, apply it (send the reply
through the tickets' reply service, then run the macro's actions, and log `macro_applied`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from supportdesk.agents.models import Agent
from supportdesk.attachments.services import IncomingFile
from supportdesk.core.exceptions import InvalidInput, NotFound
from supportdesk.languages.tags import InvalidTag, normalise
from supportdesk.macros.models import Macro
from supportdesk.macros.placeholders import PLACEHOLDERS, fill, unknown_placeholders
from supportdesk.macros.selectors import (
    STALE,
    choose_variant,
    language_chain,
    source_variant,
    variant_state,
)
from supportdesk.notifications.emails import format_moment
from supportdesk.tickets.models import EventKind, Message, Priority, Ticket, TicketEvent
from supportdesk.tickets.services import (
    ticket_reply,
    ticket_reply_with_files,
    ticket_set_priority,
    ticket_set_status,
)
from supportdesk.tickets.services.lifecycle import event, locked_ticket

NO_DATE = "—"


def variant_language(tag: str) -> str:
    """A variant's language, normalised (`pt-br` → `pt-BR`); an invalid tag is refused by name."""
    try:
        return normalise(tag.strip())
    except InvalidTag as exc:
        raise InvalidInput(
            _("“{tag}” is not a valid language tag.").format(tag=exc.tag), field="language"
        ) from exc


def check_body(body: str) -> None:
    """Refuse a text that uses a placeholder nobody fills, naming it and the known ones."""
    unknown = unknown_placeholders(body)
    if unknown:
        raise InvalidInput(
            _("Unknown placeholder {names}. Known placeholders: {known}.").format(
                names=", ".join(f"{{{{{name}}}}}" for name in unknown),
                known=", ".join(f"{{{{{name}}}}}" for name in PLACEHOLDERS),
            ),
            field="body",
        )


@dataclass(frozen=True, slots=True)
class Rendered:
    macro: Macro
    language: str  # the variant used
    body: str
    fallback: bool  # True when the variant is not in the ticket's own language
    internal: bool
    actions: dict[str, object] = field(default_factory=dict)
    stale: bool = False  # the variant used is older than its source-language text


def _moment(ticket: Ticket, moment: datetime | None) -> str:
    if moment is None:
        return NO_DATE
    customer = ticket.customer
    return format_moment(
        moment, locale=customer.locale, time_zone=customer.timezone, fallback=ticket.language
    )


def placeholder_values(ticket: Ticket, *, agent: Agent | None) -> dict[str, str]:
    customer = ticket.customer
    return {
        "customer_name": customer.name or customer.email,
        "ticket_reference": ticket.reference,
        "agent_name": agent.display_name if agent is not None else "",
        "first_response_due": _moment(ticket, ticket.first_response_due_at),
        "resolution_due": _moment(ticket, ticket.resolution_due_at),
    }


def macro_actions(macro: Macro) -> dict[str, object]:
    """The actions as the API names them (only those the macro sets)."""
    actions: dict[str, object] = {}
    if macro.set_status:
        actions["status"] = macro.set_status
    if macro.set_priority is not None:
        actions["priority"] = Priority(macro.set_priority).api_name
    if macro.add_tags:
        actions["tags"] = list(macro.add_tags)
    return actions


def macro_render(
    *, macro: Macro, ticket: Ticket, agent: Agent | None, chain: list[str] | None = None
) -> Rendered:
    """The macro's text for `ticket`: the variant along the ticket's language chain (`chain`,
    when the caller renders many macros for one ticket), with its placeholders filled
    (deadlines in the customer's locale and time zone)."""
    variant = choose_variant(macro, chain=chain or language_chain(ticket.language))
    if variant is None:
        raise InvalidInput(_("This macro has no text yet."), field="macro")
    return Rendered(
        macro=macro,
        language=variant.language,
        body=fill(variant.body, placeholder_values(ticket, agent=agent)),
        fallback=variant.language != ticket.language,
        internal=macro.internal,
        actions=macro_actions(macro),
        stale=variant_state(variant, source=source_variant(macro)) == STALE,
    )


def active_macro(*, macro_id: int) -> Macro:
    """An active macro with its variants; an unknown or inactive one is "not found"."""
    macro = Macro.objects.filter(pk=macro_id, active=True).prefetch_related("variants").first()
    if macro is None:
        raise NotFound(_("No such macro."))
    return macro


@dataclass(frozen=True, slots=True)
class Applied:
    rendered: Rendered
    message: Message
    ticket: Ticket


def _add_tags(*, ticket_id: int, tags: list[str]) -> None:
    ticket = locked_ticket(ticket_id=ticket_id)
    merged = list(dict.fromkeys([*ticket.tags, *tags]))
    if merged != ticket.tags:
        ticket.tags = merged
        ticket.save(update_fields=["tags", "updated_at"])


def macro_apply(
    *,
    macro_id: int,
    ticket_id: int,
    actor: Agent | None,
    body: str | None = None,
    internal: bool | None = None,
    files: Sequence[IncomingFile] = (),
) -> Applied:
    """Send the macro's text (or the agent's edit of it, `body`) as a reply or internal note,
        then run its actions (tags, priority, status: "reply and solve"), all or nothing. `files` go
    with the reply (the attachments' checks and limits apply)."""
    macro = active_macro(macro_id=macro_id)
    with transaction.atomic():
        ticket = locked_ticket(ticket_id=ticket_id)
        rendered = macro_render(macro=macro, ticket=ticket, agent=actor)
        text = rendered.body if body is None else body.strip()
        if not text:
            raise InvalidInput(_("Write a reply to send."), field="body")
        note = rendered.internal if internal is None else internal
        if files:
            message, _stored = ticket_reply_with_files(
                ticket_id=ticket_id, body=text, internal=note, actor=actor, files=files
            )
        else:
            message = ticket_reply(ticket_id=ticket_id, body=text, internal=note, actor=actor)
        if macro.add_tags:
            _add_tags(ticket_id=ticket_id, tags=list(macro.add_tags))
        if macro.set_priority is not None:
            ticket_set_priority(ticket_id=ticket_id, priority=macro.set_priority, actor=actor)
        if macro.set_status:
            ticket_set_status(ticket_id=ticket_id, status=macro.set_status, actor=actor)
        data = {
            "macro_id": macro.pk,
            "macro": macro.name,
            "variant": rendered.language,
            "message_id": message.pk,
            "internal": note,
            "edited": text != rendered.body,
            "actions": rendered.actions,
        }
        applied = event(ticket, EventKind.MACRO_APPLIED, actor=actor, data=data)
        TicketEvent.objects.bulk_create([applied])
        ticket.refresh_from_db()
    return Applied(rendered=rendered, message=message, ticket=ticket)
