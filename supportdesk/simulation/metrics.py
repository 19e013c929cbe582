"""Figures of a run, per language and for the hub, as a JSON-ready report.

Wait = first assignment - arrival. Percentiles are nearest-rank over the tickets that were
assigned; tickets still waiting at the horizon count as misses for the SLA attainment and are
reported as `unassigned`. Occupancy = slot-seconds holding tickets ÷ slot-seconds on duty.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from supportdesk.routing.policy import Rank
from supportdesk.simulation.queues import AgentStats, SimulationResult

PERCENTILES = (50, 80, 90, 95, 99)
WAIT_BUCKET_SECONDS = 900.0
HUB = "hub"


def percentile(ordered: Sequence[float], share: float) -> float:
    """Nearest-rank percentile of an ascending sequence (0 for an empty one)."""
    if not ordered:
        return 0.0
    rank = max(math.ceil(share / 100 * len(ordered)), 1)
    return ordered[rank - 1]


def _figures(
    tickets: Sequence[int], result: SimulationResult, *, sla_target: float
) -> dict[str, object]:
    waits = sorted(
        assigned - result.arrival[t]
        for t in tickets
        if (assigned := result.first_assigned[t]) is not None
    )
    fallback = sum(1 for t in tickets if result.fallback[t])
    ranks = [0, 0, 0]
    unspoken = 0  # fallbacks of a language nobody on duty spoke
    for t in tickets:
        if result.match[t] >= 0:
            ranks[result.match[t]] += 1
            unspoken += result.match[t] == Rank.FALLBACK and not result.spoken[t]
    served = sum(ranks)
    within = sum(1 for w in waits if w <= sla_target)
    return {
        "arrivals": len(tickets),
        "assigned": len(waits),
        "unassigned": len(tickets) - len(waits),
        "reclaimed": sum(1 for t in tickets if result.reclaims[t]),
        "wait_seconds": {
            "mean": sum(waits) / len(waits) if waits else 0.0,
            **{f"p{p}": percentile(waits, p) for p in PERCENTILES},
            "max": waits[-1] if waits else 0.0,
        },
        "waited_share": sum(1 for w in waits if w > 0) / len(waits) if waits else 0.0,
        "sla_attainment": within / len(tickets) if tickets else 1.0,
        "fallback_share": fallback / len(waits) if waits else 0.0,
        # whom the first assignment went to: "native" = exact + same primary subtag
        "served": {
            name: ranks[rank] / served if served else 0.0
            for rank, name in enumerate(("exact", "same_base", "fallback"))
        },
        "native_share": (ranks[0] + ranks[1]) / served if served else 0.0,
        # the fallback share split: nobody on duty spoke the language / its speakers were full
        "fallback_unstaffed_share": unspoken / served if served else 0.0,
        "fallback_staffed_share": (ranks[2] - unspoken) / served if served else 0.0,
    }


def _wait_series(tickets: Sequence[int], result: SimulationResult) -> list[float | None]:
    """Mean wait of the tickets arriving in each 15-minute bucket (None: no arrivals)."""
    buckets = int(result.horizon // WAIT_BUCKET_SECONDS) + 1
    total, count = [0.0] * buckets, [0] * buckets
    for t in tickets:
        assigned = result.first_assigned[t]
        if assigned is None:
            continue
        bucket = int(result.arrival[t] // WAIT_BUCKET_SECONDS)
        total[bucket] += assigned - result.arrival[t]
        count[bucket] += 1
    return [round(s / n, 1) if n else None for s, n in zip(total, count, strict=True)]


def _occupancy(agents: Sequence[AgentStats]) -> dict[str, object]:
    staffed = sum(a.staffed_slot_seconds for a in agents)
    return {
        "agents": len(agents),
        "assignments": sum(a.assigned for a in agents),
        "occupancy": sum(a.busy_slot_seconds for a in agents) / staffed if staffed else 0.0,
        "staffed_slot_hours": staffed / 3600,
        "overtime_slot_hours": sum(a.overtime_slot_seconds for a in agents) / 3600,
    }


def report_build(
    *, result: SimulationResult, sla_target_seconds: float, meta: dict[str, object]
) -> dict[str, object]:
    """Everything the terminal table, report.json and the charts show."""
    by_language: dict[str, list[int]] = defaultdict(list)
    for ticket, language in enumerate(result.language):
        by_language[language].append(ticket)
    languages = sorted(by_language, key=lambda tag: (-len(by_language[tag]), tag))
    per_language = {}
    for tag in languages:
        figures = _figures(by_language[tag], result, sla_target=sla_target_seconds)
        figures["peak_queue"] = max(result.queue_series.get(tag, [0]))
        per_language[tag] = figures
    hub = _figures(range(len(result.arrival)), result, sla_target=sla_target_seconds)
    hub["peak_queue"] = max(result.hub_series, default=0)
    hub.update(_occupancy(result.agents))
    groups: dict[str, list[AgentStats]] = defaultdict(list)
    for agent in result.agents:
        groups[agent.group].append(agent)
    return {
        **meta,
        "sla_target_seconds": sla_target_seconds,
        "events": result.events,
        HUB: hub,
        "languages": per_language,
        "groups": {name: _occupancy(members) for name, members in groups.items()},
        "series": {
            "queue_bucket_seconds": result.bucket_seconds,
            "wait_bucket_seconds": WAIT_BUCKET_SECONDS,
            "hub_queue": result.hub_series,
            "queue": {tag: result.queue_series.get(tag, []) for tag in languages},
            "wait": {tag: _wait_series(by_language[tag], result) for tag in languages},
        },
    }
