"""PURE: who may take a ticket, and which waiting tickets an agent may take (DESIGN §5).

Plain data in (frozen snapshots, `now`, a `RoutingPolicy`), a `Decision` out. Standard library
only: no Django, no clock reads, no settings. The selectors build the snapshots, the services
do the impure half (locks, the conditional capacity claim, events).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from supportdesk.languages.subtags import primary
from supportdesk.routing.decision import (  # re-exported: callers import them from here
    EXPLAIN_MAX_IDS,
    Decision,
    Match,
    Proficiency,
    Rank,
    Wait,
    Why,
)
from supportdesk.routing.rules import NOBODY, FallbackTiming, Mode, Supply, aged
from supportdesk.routing.rules import fallback_allowed as timed_fallback_allowed

__all__ = [
    "EXPLAIN_MAX_IDS",
    "Decision",
    "Match",
    "Proficiency",
    "Rank",
    "Wait",
    "Why",
]


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
    ahead: int = 0  # tickets of its language before it in the queue (as far as known)


@dataclass(frozen=True, slots=True)
class RoutingPolicy:
    agent_ttl: timedelta = timedelta(seconds=120)
    fallback_after: timedelta = timedelta(seconds=300)
    continuity: bool = True
    release_cooldown: timedelta = timedelta(seconds=300)
    mode: Mode = Mode.LANGUAGE_FIRST  # see routing/rules.py
    fallback_grace: timedelta = timedelta(seconds=120)
    fallback_unstaffed_after: timedelta = timedelta(0)
    aging_after: timedelta = timedelta(seconds=900)
    handle_estimate: timedelta = timedelta(seconds=420)
    handle_estimates: Mapping[str, timedelta] = field(default_factory=dict)  # by language

    @property
    def timing(self) -> FallbackTiming:
        return FallbackTiming(
            after=self.fallback_after,
            grace=self.fallback_grace,
            unstaffed_after=self.fallback_unstaffed_after,
            aging_after=self.aging_after,
            handle=self.handle_estimate,
        )


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
    ticket: TicketSnapshot,
    *,
    supply: Supply,
    now: datetime,
    policy: RoutingPolicy,
    ahead: int = 0,
) -> bool:
    """May a fallback speaker take `ticket` now, given its close speakers' `supply`?"""
    return timed_fallback_allowed(
        waited=now - ticket.waiting_since,
        supply=supply,
        ahead=ticket.ahead + ahead,
        handle=policy.handle_estimates.get(ticket.language, policy.handle_estimate),
        timing=policy.timing,
        mode=policy.mode,
    )


def close_supply(
    available: Iterable[tuple[AgentSnapshot, tuple[Rank, Proficiency] | None]],
) -> Supply:
    """The supply of the available candidates who match a ticket exactly or by subtag."""
    speakers = free = busy = 0
    for agent, skill in available:
        if skill is not None and skill[0] <= Rank.SAME_BASE:
            speakers += 1
            free += max(agent.capacity - agent.load, 0)
            busy += min(max(agent.load, 0), max(agent.capacity, 0))
    return Supply(speakers=speakers, free=free, busy=busy)


SkillOf = Callable[[AgentSnapshot], "tuple[Rank, Proficiency] | None"]


def choose_agent(
    *,
    ticket: TicketSnapshot,
    candidates: Sequence[AgentSnapshot],
    now: datetime,
    policy: RoutingPolicy,
    supply: Supply | None = None,
) -> Decision:
    """Rank who may take `ticket` now. An empty `ranked` means: wait (see `wait_reason`).

    Order: rank, the customer's previous agent (continuity), proficiency, load ÷ capacity,
    load, longest since last assignment, id — so equal inputs give equal decisions.
    `supply` describes the close speakers when `candidates` do not list them all (the
    simulator's narrowing); by default it is read from `candidates`.
    """
    return _decide(
        ticket=ticket,
        candidates=candidates,
        now=now,
        policy=policy,
        skill_of=lambda agent: best_skill(agent, ticket),
        supply=supply,
    )


def _decide(  # noqa: PLR0913 - the decision's inputs, all keyword-only
    *,
    ticket: TicketSnapshot,
    candidates: Sequence[AgentSnapshot],
    now: datetime,
    policy: RoutingPolicy,
    skill_of: SkillOf,
    supply: Supply | None = None,
    ahead: int = 0,
) -> Decision:
    excluded: dict[int, Why] = {}
    available: list[tuple[AgentSnapshot, tuple[Rank, Proficiency] | None]] = []
    for agent in candidates:
        if is_available(agent, now=now, policy=policy):
            available.append((agent, skill_of(agent)))
        else:
            excluded[agent.id] = Why.OFFLINE
    weighs_fallback = any(
        skill is not None and skill[0] == Rank.FALLBACK and agent.load < agent.capacity
        for agent, skill in available
    )  # only then is the (possibly costly: recent handle times) fallback question asked
    allow_fallback = weighs_fallback and fallback_allowed(
        ticket,
        supply=close_supply(available) if supply is None else supply,
        now=now,
        policy=policy,
        ahead=ahead,
    )
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
    supply: Mapping[str, Supply] | None = None,
) -> tuple[int, ...]:
    """The waiting tickets `agent` should take now, until it is full.

    `supply` gives, per primary subtag, the available speakers' slots (absent: nobody
    available speaks it), which decides whether a fallback ticket may be taken yet
    (routing/rules.py). `old`: queue order. `language_first`: aged tickets first, then exact
    matches, same primary subtag, then fallback; queue order within each.
    """
    room = agent.capacity - agent.load
    if room <= 0 or not is_available(agent, now=now, policy=policy):
        return ()
    supply = supply or {}
    claims: list[tuple[tuple[int, int, int, int], int]] = []
    seen: dict[str, int] = {}
    for position, ticket in enumerate(queue_order(waiting)):
        ahead = seen.get(ticket.language, 0)
        seen[ticket.language] = ahead + 1
        skill = best_skill(agent, ticket)
        if skill is None or released_recently(agent.id, ticket, now=now, policy=policy):
            continue
        if skill[0] == Rank.FALLBACK and not fallback_allowed(
            ticket,
            supply=supply.get(base_tag(ticket.language), NOBODY),
            now=now,
            policy=policy,
            ahead=ahead,
        ):
            continue
        if policy.mode is Mode.OLD:
            claims.append(((0, 0, 0, position), ticket.id))
            if len(claims) == room:
                break
            continue
        old = aged(waited=now - ticket.waiting_since, timing=policy.timing, mode=policy.mode)
        # aged: queue order among them whatever the match (rules.py, 3.); else match first
        claims.append(((0, 0, 0, position) if old else (1, skill[0], 0, position), ticket.id))
    claims.sort()
    return tuple(ticket_id for _, ticket_id in claims[:room])


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
    behind: dict[str, int] = {}  # per language: tickets of this batch left waiting so far
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
            ahead=behind.get(ticket.language, 0),
        )
        if decision.winner is not None:
            taken = agents[decision.winner]
            agents[taken.id] = replace(taken, load=taken.load + 1, last_assigned_at=now)
        else:
            behind[ticket.language] = behind.get(ticket.language, 0) + 1
        out.append((ticket, decision))
    return out
