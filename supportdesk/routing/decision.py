"""PURE: the vocabulary of a routing decision — match ranks, why an agent is out, why a
ticket waits — and the `Decision` itself with its JSON trace. Standard library only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

EXPLAIN_MAX_IDS = 10  # per exclusion reason: the trace stays small for a 400-agent hub


class Rank(IntEnum):
    EXACT = 0  # nl for nl
    SAME_BASE = 1  # pt-PT for pt-BR
    FALLBACK = 2  # es for ca, through the language's fallback chain


class Proficiency(IntEnum):
    NATIVE = 0
    FLUENT = 1
    BASIC = 2


class Why(StrEnum):
    """Why a candidate agent is out for a ticket."""

    OFFLINE = "offline"
    FULL = "full"
    NO_SKILL = "no-skill"
    FALLBACK_NOT_YET = "fallback-not-yet"
    RELEASED = "released"  # it released this ticket to the queue moments ago


class Wait(StrEnum):
    """Why a ticket waits (the first that applies, in this order)."""

    FULL = "full"  # speakers are online but have no room
    FALLBACK_NOT_YET = "fallback-not-yet"  # only fallback speakers have room, not allowed yet
    OFFLINE = "offline"  # speakers exist, none available
    RELEASED = "released"  # only the agent who just released it could take it
    NO_SPEAKER = "no-speaker"  # nobody speaks it or a fallback


@dataclass(frozen=True, slots=True)
class Match:
    rank: Rank
    proficiency: Proficiency
    load: int
    capacity: int
    continuity: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    ranked: tuple[int, ...]  # eligible agents, best first
    excluded: Mapping[int, Why] = field(default_factory=dict)  # agent id -> why not
    matches: Mapping[int, Match] = field(default_factory=dict)  # ranked agent id -> its match

    @property
    def winner(self) -> int | None:
        return self.ranked[0] if self.ranked else None

    @property
    def wait_reason(self) -> Wait | None:
        if self.ranked:
            return None
        reasons = set(self.excluded.values())
        for why, wait in (
            (Why.FULL, Wait.FULL),
            (Why.FALLBACK_NOT_YET, Wait.FALLBACK_NOT_YET),
            (Why.RELEASED, Wait.RELEASED),
            (Why.OFFLINE, Wait.OFFLINE),
        ):
            if why in reasons:
                return wait
        return Wait.NO_SPEAKER

    def explain(self, winner: int | None) -> dict[str, object]:
        """A compact, JSON-ready trace: stored on the `assigned` event or as the routing note."""
        grouped: dict[str, list[int]] = {}
        for agent_id in sorted(self.excluded):
            grouped.setdefault(self.excluded[agent_id].value, []).append(agent_id)
        trace: dict[str, object] = {
            "winner": winner,
            "candidates": len(self.ranked) + len(self.excluded),
            "ranked": list(self.ranked[:EXPLAIN_MAX_IDS]),
            "excluded": {
                why: {"count": len(ids), "agents": ids[:EXPLAIN_MAX_IDS]}
                for why, ids in grouped.items()
            },
        }
        match = self.matches.get(winner) if winner is not None else None
        if match is not None:
            trace.update(
                rank=match.rank.name.lower(),
                proficiency=match.proficiency.name.lower(),
                load=match.load,
                capacity=match.capacity,
                continuity=match.continuity,
            )
        elif winner is None:
            trace["waits_because"] = str(self.wait_reason)
        return trace
