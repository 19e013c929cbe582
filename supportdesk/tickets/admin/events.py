"""The event log as sentences in the reader's language ("Assigned to Lea: speaks German
(native), 2 of 5 tickets, best of 3 agents") instead of the stored keys. Reads the JSON each
service writes on its event; a key it does not know is left out, never shown raw."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from supportdesk.agents.models import Agent
from supportdesk.languages import tags
from supportdesk.tickets.admin.trace import PROFICIENCIES
from supportdesk.tickets.models import (
    AuthorKind,
    EventKind,
    LanguageSource,
    Priority,
    Ticket,
    TicketEvent,
    TicketStatus,
)


@dataclass(frozen=True, slots=True)
class EventLine:
    event: TicketEvent
    sentence: str


def _language(tag: object) -> str:
    try:
        return tags.display_name(str(tag), in_language=get_language() or "en")
    except tags.InvalidTag:
        return str(tag)


def _status(value: object) -> str:
    try:
        return str(TicketStatus(str(value)).label)
    except ValueError:
        return str(value)


def _priority(value: object) -> str:
    try:
        return str(Priority.from_api_name(str(value)).label)
    except KeyError:
        return str(value)


def _assigned(data: "Data", ticket: Ticket, names: "Names") -> str:
    name = _agent_name(data, names, "winner", "agent_id")
    if data.get("manual"):
        return _("Assigned to %(agent)s by hand.") % {"agent": name}
    if "rank" not in data:
        return _("Assigned to %(agent)s.") % {"agent": name}
    language = _language(ticket.language)
    skill = {
        "exact": _("speaks %(language)s"),
        "same_base": _("speaks another variant of %(language)s"),
        "fallback": _("speaks a fallback language of %(language)s"),
    }.get(str(data.get("rank")), _("speaks %(language)s")) % {"language": language}
    proficiency = PROFICIENCIES.get(str(data.get("proficiency")), "")
    return _(
        "Assigned to %(agent)s: %(skill)s (%(proficiency)s), %(load)s of %(capacity)s "
        "tickets, best of %(candidates)s agents."
    ) % {
        "agent": name,
        "skill": skill,
        "proficiency": proficiency,
        "load": data.get("load", "?"),
        "capacity": data.get("capacity", "?"),
        "candidates": data.get("candidates", "?"),
    }


Data = Mapping[str, object]
Names = Mapping[int, str]


def _agent_name(data: Data, names: Names, *keys: str) -> str:
    for key in keys:
        value = data.get(key)
        if isinstance(value, int) and value in names:
            return names[value]
    return _("an agent")


def _created(data: Data, ticket: Ticket, names: Names) -> str:
    return _("Ticket received.")


def _language_set(data: Data, ticket: Ticket, names: Names) -> str:
    try:
        source = str(LanguageSource(str(data.get("source"))).label)
    except ValueError:
        source = str(data.get("source", ""))
    return _("Language set to %(language)s (%(source)s).") % {
        "language": _language(data.get("language", ticket.language)),
        "source": source,
    }


def _unassigned(data: Data, ticket: Ticket, names: Names) -> str:
    name = _agent_name(data, names, "agent_id", "agent")
    if data.get("reason") == "agent-away-before-first-reply":
        return _("Back to the queue: %(agent)s went away before the first reply.") % {"agent": name}
    return _("No longer assigned to %(agent)s.") % {"agent": name}


def _status_changed(data: Data, ticket: Ticket, names: Names) -> str:
    return _("Status changed from %(old)s to %(new)s.") % {
        "old": _status(data.get("from")),
        "new": _status(data.get("to")),
    }


def _priority_changed(data: Data, ticket: Ticket, names: Names) -> str:
    return _("Priority changed from %(old)s to %(new)s.") % {
        "old": _priority(data.get("from")),
        "new": _priority(data.get("to")),
    }


def _replied(data: Data, ticket: Ticket, names: Names) -> str:
    if data.get("author_kind") == AuthorKind.CUSTOMER:
        return _("The customer replied.")
    return _("Internal note added.") if data.get("internal") else _("Reply sent.")


def _breached(data: Data, ticket: Ticket, names: Names) -> str:
    if data.get("target") == "first_response":
        return _("The first-response deadline passed.")
    return _("The resolution deadline passed.")


def _escalated(data: Data, ticket: Ticket, names: Names) -> str:
    words = {"old": _priority(data.get("from")), "new": _priority(data.get("to"))}
    if data.get("target") == "first_response":
        return _("Escalated after the first-response deadline: priority %(old)s → %(new)s.") % words
    return _("Escalated after the resolution deadline: priority %(old)s → %(new)s.") % words


def _macro_applied(data: Data, ticket: Ticket, names: Names) -> str:
    words = {"macro": data.get("macro", "?"), "language": _language(data.get("variant", "?"))}
    if data.get("edited"):
        return _("Macro “%(macro)s” applied (text in %(language)s, edited before sending).") % words
    return _("Macro “%(macro)s” applied (text in %(language)s).") % words


SENTENCES: dict[str, Callable[[Data, Ticket, Names], str]] = {
    EventKind.CREATED: _created,
    EventKind.LANGUAGE_SET: _language_set,
    EventKind.ASSIGNED: _assigned,
    EventKind.UNASSIGNED: _unassigned,
    EventKind.STATUS_CHANGED: _status_changed,
    EventKind.PRIORITY_CHANGED: _priority_changed,
    EventKind.REPLIED: _replied,
    EventKind.SLA_BREACHED: _breached,
    EventKind.ESCALATED: _escalated,
    EventKind.MACRO_APPLIED: _macro_applied,
}


def _sentence(event: TicketEvent, ticket: Ticket, names: Names) -> str:
    data = event.data if isinstance(event.data, Mapping) else {}
    write = SENTENCES.get(event.kind)
    return write(data, ticket, names) if write else str(event.get_kind_display()).capitalize()


def event_lines(*, ticket: Ticket, events: Iterable[TicketEvent]) -> list[EventLine]:
    """Each event with its sentence; the agents the events name are read in one query."""
    events = list(events)
    ids = {
        value
        for event in events
        if isinstance(event.data, Mapping)
        for key in ("winner", "agent_id", "agent")
        if isinstance(value := event.data.get(key), int)
    }
    names = {
        agent.pk: agent.display_name
        for agent in Agent.objects.filter(pk__in=ids).select_related("user")
    }
    return [EventLine(event, _sentence(event, ticket, names)) for event in events]
