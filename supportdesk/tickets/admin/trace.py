"""The routing trace (DESIGN §5: every assignment says why, a waiting ticket says why it
waits) as sentences for the ticket page. Reads the JSON that routing stores on the `assigned`
event or in `Ticket.routing_note`; unknown keys are left out."""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EXCLUDED = {
    "offline": gettext_lazy("offline or away"),
    "full": gettext_lazy("no room left"),
    "no-skill": gettext_lazy("does not speak the language"),
    "fallback-not-yet": gettext_lazy("speaks a fallback language, not allowed yet"),
    "released": gettext_lazy("released this ticket a few minutes ago"),
}
WAITS = {
    "full": gettext_lazy("every agent who speaks the language is full"),
    "fallback-not-yet": gettext_lazy(
        "only agents of a fallback language have room, and the ticket has not waited long "
        "enough for them"
    ),
    "offline": gettext_lazy("no agent who speaks the language is online"),
    "released": gettext_lazy("only the agent who released it could take it"),
    "no-speaker": gettext_lazy("nobody speaks the language or one of its fallbacks"),
}
RANKS = {
    "exact": gettext_lazy("speaks the language"),
    "same_base": gettext_lazy("speaks another variant of the language"),
    "fallback": gettext_lazy("speaks a fallback language"),
}
PROFICIENCIES = {
    "native": gettext_lazy("native"),
    "fluent": gettext_lazy("fluent"),
    "basic": gettext_lazy("basic"),
}


def _label(table: Mapping[str, object], key: object) -> str:
    return str(table.get(str(key), key))


def trace_lines(data: Mapping[str, object], *, waiting: bool) -> list[str]:
    lines: list[str] = []
    if waiting:
        reason = data.get("waits_because")
        if reason:
            lines.append(_("Waiting: %(reason)s.") % {"reason": _label(WAITS, reason)})
    elif "rank" in data:
        lines.append(
            _(
                "Routed here: %(rank)s (%(proficiency)s), load %(load)s of %(capacity)s, "
                "best of %(candidates)s agents."
            )
            % {
                "rank": _label(RANKS, data.get("rank")),
                "proficiency": _label(PROFICIENCIES, data.get("proficiency")),
                "load": data.get("load"),
                "capacity": data.get("capacity"),
                "candidates": data.get("candidates"),
            }
        )
    excluded = data.get("excluded")
    if isinstance(excluded, Mapping):
        for why, group in sorted(excluded.items()):
            count = group.get("count") if isinstance(group, Mapping) else group
            lines.append(
                _("Left out, %(reason)s: %(count)s")
                % {"reason": _label(EXCLUDED, why), "count": count}
            )
    return lines
