"""`simulate SCENARIO --compare`: the same tickets (same seed) under today's routing policy
and the new one, side by side — what a policy change costs before a manager makes it.

Per policy, for the hub and each language: SLA attainment, p50/p90 wait for the first
assignment, whom the first assignment went to (exact / same primary subtag / fallback
speaker; "native" = the first two), and for the hub the occupancy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from supportdesk.routing.rules import Mode

POLICIES = (Mode.OLD, Mode.LANGUAGE_FIRST)
COMPARE_FILE = "compare.json"


def _figures(figures: Mapping[str, Any], *, hub: bool) -> dict[str, object]:
    wait = figures["wait_seconds"]
    out: dict[str, object] = {
        "arrivals": figures["arrivals"],
        "unassigned": figures["unassigned"],
        "sla_attainment": figures["sla_attainment"],
        "wait_p50_seconds": wait["p50"],
        "wait_p90_seconds": wait["p90"],
        "served": dict(figures["served"]),
        "native_share": figures["native_share"],
        "fallback_share": figures["fallback_share"],
        "fallback_unstaffed_share": figures["fallback_unstaffed_share"],
        "fallback_staffed_share": figures["fallback_staffed_share"],
    }
    if hub:
        out["occupancy"] = figures["occupancy"]
    return out


def compare_build(
    *, reports: Mapping[str, Mapping[str, Any]], meta: Mapping[str, object]
) -> dict[str, object]:
    """The comparison of full reports (`metrics.report_build`), one per policy name."""
    names = list(reports)
    languages = list(reports[names[0]]["languages"])
    return {
        **meta,
        "policies": names,
        "hub": {name: _figures(reports[name]["hub"], hub=True) for name in names},
        "languages": {
            tag: {name: _figures(reports[name]["languages"][tag], hub=False) for name in names}
            for tag in languages
        },
    }


def _row(label: str, policy: str, figures: Mapping[str, Any]) -> str:
    served = figures["served"]
    return (
        f"{label:<10}{policy:<16}{figures['arrivals']:>8}{figures['sla_attainment']:>8.1%}"
        f"{figures['wait_p50_seconds']:>7.0f}{figures['wait_p90_seconds']:>7.0f}"
        f"{served['exact']:>9.1%}{served['same_base']:>11.1%}{served['fallback']:>10.1%}"
    )


def compare_format(comparison: Mapping[str, Any]) -> str:
    """The terminal table: the hub, then each language (busiest first), one row per policy."""
    labels = (
        _("language"), _("policy"), _("tickets"), _("in SLA"), _("p50 s"), _("p90 s"),
        _("exact"), _("same base"), _("fallback"),
    )  # fmt: skip
    widths = ("<10", "<16", ">8", ">8", ">7", ">7", ">9", ">11", ">10")
    header = "".join(f"{label:{width}}" for label, width in zip(labels, widths, strict=True))
    names: Sequence[str] = comparison["policies"]
    hub_label = _("hub")
    lines = [header, "-" * len(header)]
    lines += [_row(hub_label, name, comparison["hub"][name]) for name in names]
    lines.append(
        "  ".join(
            _("occupancy %(policy)s %(share).1f%%")
            % {"policy": name, "share": 100 * comparison["hub"][name]["occupancy"]}
            for name in names
        )
    )
    lines += [
        _(
            "fallback %(policy)s: %(unstaffed).1f%% nobody on duty spoke the language, "
            "%(staffed).1f%% its speakers were full"
        )
        % {
            "policy": name,
            "unstaffed": 100 * comparison["hub"][name]["fallback_unstaffed_share"],
            "staffed": 100 * comparison["hub"][name]["fallback_staffed_share"],
        }
        for name in names
    ]
    lines.append("-" * len(header))
    for tag, by_policy in comparison["languages"].items():
        lines += [_row(tag, name, by_policy[name]) for name in names]
    return "\n".join(lines)
