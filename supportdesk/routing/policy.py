"""PURE: who may take a ticket, and which waiting tickets an agent may take (DESIGN §5).

Plain data in (frozen snapshots, `now`, a `RoutingPolicy`), a `Decision` out. Standard library
only: no Django, no clock reads, no settings. The selectors build the snapshots, the services
do the impure half (locks, the conditional capacity claim, events).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum

from supportdesk.languages.subtags import primary

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
class AgentSnapshot:
    id: int
    skills: Mapping[str, Proficiency]
    load: int
    capacity: int
    online: bool
    last_seen: datetime | None
    last_assigned_at: datetime | None


@dataclass(frozen=True, slots=True)
class TicketSnapshot:
    id: int
    language: str
    fallbacks: tuple[str, ...]
    waiting_since: datetime
    priority: int = 2  # larger is more urgent (Priority.URGENT == 4)
    due: datetime | None = None  # first-response deadline
    previous_agent_id: int | None = None  # who served this customer last
    released_by: int | None = None  # the agent who last released it to the queue …
    released_at: datetime | None = None  # … and when: not given back within the cool-down


@dataclass(frozen=True, slots=True)
class RoutingPolicy:
    agent_ttl: timedelta = timedelta(seconds=120)
    fallback_after: timedelta = timedelta(seconds=300)
    continuity: bool = True
    release_cooldown: timedelta = timedelta(seconds=300)


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


base_tag = primary  # the routing name for the primary language subtag


def skill_rank(skill: str, ticket: TicketSnapshot) -> Rank | None:
    wanted = skill.lower()
    if wanted == ticket.language.lower():
        return Rank.EXACT
    if base_tag(skill) == base_tag(ticket.language):
        return Rank.SAME_BASE
    if any(wanted == tag.lower() for tag in ticket.fallbacks):
        return Rank.FALLBACK
    return None


def best_skill(agent: AgentSnapshot, ticket: TicketSnapshot) -> tuple[Rank, Proficiency] | None:
    matches = [
        (rank, proficiency)
        for tag, proficiency in agent.skills.items()
        if (rank := skill_rank(tag, ticket)) is not None
    ]
    return min(matches, default=None)


def is_available(agent: AgentSnapshot, *, now: datetime, policy: RoutingPolicy) -> bool:
    """Online and seen within the TTL (DESIGN §5)."""
    return (
        agent.online and agent.last_seen is not None and now - agent.last_seen <= policy.agent_ttl
    )


def released_recently(
    agent_id: int, ticket: TicketSnapshot, *, now: datetime, policy: RoutingPolicy
) -> bool:
    """The agent released this ticket to the queue less than `release_cooldown` ago."""
    return (
        ticket.released_by == agent_id
        and ticket.released_at is not None
        and now - ticket.released_at < policy.release_cooldown
    )


def fallback_allowed(
    ticket: TicketSnapshot, *, close_match_available: bool, now: datetime, policy: RoutingPolicy
) -> bool:
    return not close_match_available or now - ticket.waiting_since >= policy.fallback_after


SkillOf = Callable[[AgentSnapshot], "tuple[Rank, Proficiency] | None"]


def choose_agent(
    *,
    ticket: TicketSnapshot,
    candidates: Sequence[AgentSnapshot],
    now: datetime,
    policy: RoutingPolicy,
) -> Decision:
    """Rank who may take `ticket` now. An empty `ranked` means: wait (see `wait_reason`).

    Order: rank, the customer's previous agent (continuity), proficiency, load ÷ capacity,
    load, longest since last assignment, id — so equal inputs give equal decisions.
    """
    return _decide(
        ticket=ticket,
        candidates=candidates,
        now=now,
        policy=policy,
        skill_of=lambda agent: best_skill(agent, ticket),
    )


def _decide(
    *,
    ticket: TicketSnapshot,
    candidates: Sequence[AgentSnapshot],
    now: datetime,
    policy: RoutingPolicy,
    skill_of: SkillOf,
) -> Decision:
    excluded: dict[int, Why] = {}
    available: list[tuple[AgentSnapshot, tuple[Rank, Proficiency] | None]] = []
    for agent in candidates:
        if is_available(agent, now=now, policy=policy):
            available.append((agent, skill_of(agent)))
        else:
            excluded[agent.id] = Why.OFFLINE
    close = any(skill is not None and skill[0] <= Rank.SAME_BASE for _, skill in available)
    allow_fallback = fallback_allowed(ticket, close_match_available=close, now=now, policy=policy)
    keyed: list[tuple[tuple[int, int, int, float, int, float, int], Match, int]] = []
    for agent, skill in available:
        why = _exclusion(agent, skill, allow_fallback=allow_fallback)
        if why is None and released_recently(agent.id, ticket, now=now, policy=policy):
            why = Why.RELEASED
        if why is not None or skill is None:
            excluded[agent.id] = why or Why.NO_SKILL
            continue
        continuity = policy.continuity and agent.id == ticket.previous_agent_id
        idle = agent.last_assigned_at.timestamp() if agent.last_assigned_at else float("-inf")
        key = (
            skill[0],
            0 if continuity else 1,
            skill[1],
            agent.load / agent.capacity,
            agent.load,
            idle,
            agent.id,
        )
        keyed.append(
            (key, Match(skill[0], skill[1], agent.load, agent.capacity, continuity), agent.id)
        )
    keyed.sort(key=lambda item: item[0])
    return Decision(
        ranked=tuple(agent_id for _, _, agent_id in keyed),
        excluded=excluded,
        matches={agent_id: match for _, match, agent_id in keyed},
    )


def _exclusion(
    agent: AgentSnapshot, skill: tuple[Rank, Proficiency] | None, *, allow_fallback: bool
) -> Why | None:
    if skill is None:
        return Why.NO_SKILL
    if agent.load >= agent.capacity:
        return Why.FULL
    if skill[0] == Rank.FALLBACK and not allow_fallback:
        return Why.FALLBACK_NOT_YET
    return None


def queue_key(ticket: TicketSnapshot) -> tuple[int, float, float, int]:
    """Waiting-queue order: priority (urgent first), first-response deadline, created, id."""
    due = ticket.due.timestamp() if ticket.due is not None else float("inf")
    return (-ticket.priority, due, ticket.waiting_since.timestamp(), ticket.id)


def queue_order(tickets: Iterable[TicketSnapshot]) -> list[TicketSnapshot]:
    return sorted(tickets, key=queue_key)


def choose_tickets(
    *,
    agent: AgentSnapshot,
    waiting: Iterable[TicketSnapshot],
    now: datetime,
    policy: RoutingPolicy,
    spoken_bases: Collection[str] = frozenset(),
) -> tuple[int, ...]:
    """The waiting tickets `agent` should take now, in queue order, until it is full.

    `spoken_bases` are the primary subtags some available agent speaks: a ticket whose own
    language is among them goes to a fallback speaker only after `fallback_after`.
    """
    room = agent.capacity - agent.load
    if room <= 0 or not is_available(agent, now=now, policy=policy):
        return ()
    chosen: list[int] = []
    for ticket in queue_order(waiting):
        skill = best_skill(agent, ticket)
        if skill is None or released_recently(agent.id, ticket, now=now, policy=policy):
            continue
        close = base_tag(ticket.language) in spoken_bases
        if skill[0] == Rank.FALLBACK and not fallback_allowed(
            ticket, close_match_available=close, now=now, policy=policy
        ):
            continue
        chosen.append(ticket.id)
        if len(chosen) == room:
            break
    return tuple(chosen)


def sole_decision(agent: AgentSnapshot, ticket: TicketSnapshot) -> Decision:
    """The decision recorded when `agent` takes `ticket` itself (`choose_tickets`)."""
    skill = best_skill(agent, ticket)
    if skill is None:
        return Decision(ranked=(), excluded={agent.id: Why.NO_SKILL})
    match = Match(skill[0], skill[1], agent.load, agent.capacity)
    return Decision(ranked=(agent.id,), matches={agent.id: match})


def plan(
    *,
    tickets: Iterable[TicketSnapshot],
    candidates: Sequence[AgentSnapshot],
    now: datetime,
    policy: RoutingPolicy,
) -> list[tuple[TicketSnapshot, Decision]]:
    """Route a batch in queue order, as `choose_agent` one ticket after another would, each
    winner's load counted for the tickets after it. Skills are matched once per language."""
    agents = {agent.id: agent for agent in candidates}
    skills: dict[tuple[int, str, tuple[str, ...]], tuple[Rank, Proficiency] | None] = {}
    out: list[tuple[TicketSnapshot, Decision]] = []
    for ticket in queue_order(tickets):

        def skill_of(
            agent: AgentSnapshot, ticket: TicketSnapshot = ticket
        ) -> tuple[Rank, Proficiency] | None:
            key = (agent.id, ticket.language, ticket.fallbacks)
            if key not in skills:
                skills[key] = best_skill(agent, ticket)
            return skills[key]

        decision = _decide(
            ticket=ticket,
            candidates=list(agents.values()),
            now=now,
            policy=policy,
            skill_of=skill_of,
        )
        if decision.winner is not None:
            taken = agents[decision.winner]
            agents[taken.id] = replace(taken, load=taken.load + 1, last_assigned_at=now)
        out.append((ticket, decision))
    return out
