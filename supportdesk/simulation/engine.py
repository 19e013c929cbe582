"""The discrete-event loop: arrivals, handle completions, shift starts and ends, fallback
timers and reclaims, every routing decision taken by `supportdesk.routing.policy`.

What production does, event by event (DESIGN §5, routing/services):
- a ticket arrives: `choose_agent` (the queue of its language is drained in order, so it
  waits behind older tickets of its language);
- an agent gains room (a handle completes, its shift starts): `choose_tickets` over the
  waiting tickets it may serve (the sweep/`agent_fill` path);
- the fallback wait of a ticket runs out, or the last speaker of a language leaves: the
  ticket (the language's queue) is routed again (what the periodic sweep does);
- an agent who left still holds tickets `reclaim_after_seconds` later: they return to the
  queue, keeping their place.

The engine only *narrows the candidates* it passes, the way production's selectors pre-filter
in SQL: per primary subtag and per tag it keeps the available agents who have room, and calls
`choose_agent` first with close speakers (exact or same primary subtag), then — only if none
has room — with the fallback speakers and the close speakers' `Supply` (how many online, their
open slots and tickets), so the policy itself decides whether falling back is allowed yet
(routing/rules.py). `choose_tickets` gets, per language, the head of its queue, widened until
the answer cannot depend on what was left out (`language_first`: until the agent is full).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from heapq import heappop, heappush

from supportdesk.routing.policy import (
    AgentSnapshot,
    Rank,
    RoutingPolicy,
    TicketSnapshot,
    base_tag,
    best_skill,
    choose_agent,
    choose_tickets,
    fallback_allowed,
)
from supportdesk.routing.rules import Mode, Supply
from supportdesk.simulation.queues import (
    AgentState,
    LanguageQueue,
    SimulationResult,
    SupplyView,
    TicketLog,
    supply_of,
)
from supportdesk.simulation.scenario import SimPolicy
from supportdesk.simulation.workload import AgentSpec, Arrival

COMPLETE, FALLBACK_DUE, SHIFT_ON, SHIFT_OFF, RECLAIM = range(5)
NORMAL_PRIORITY = 2
TIMER_SLACK = 1e-3  # seconds: the datetime round trip never lands a hair before the threshold
PROGRESS_EVERY = 5000  # events
SWEEP_SECONDS = 10.0  # production's ROUTING_SWEEP_SECONDS: how often a waiting ticket is re-routed
NEVER_STALE = timedelta(days=36500)  # presence is modelled by shifts: no missed heartbeats

Progress = Callable[[float], None]


class Simulation:
    def __init__(  # noqa: PLR0913 - the engine's inputs, all keyword-only
        self,
        *,
        agents: Sequence[AgentSpec],
        fallbacks: Mapping[str, tuple[str, ...]],
        policy: SimPolicy,
        zero: datetime,
        horizon: float,
        sla_target_seconds: float,
        bucket_seconds: float = 300.0,
        handles: Mapping[str, float] | None = None,
    ) -> None:
        self.zero, self.horizon, self.sla_target = zero, horizon, sla_target_seconds
        self.settings = policy
        self.rules = RoutingPolicy(
            agent_ttl=NEVER_STALE,
            fallback_after=timedelta(seconds=policy.fallback_after_seconds),
            continuity=policy.continuity,
            mode=policy.mode,
            fallback_grace=timedelta(seconds=policy.fallback_grace_seconds),
            fallback_unstaffed_after=timedelta(seconds=policy.fallback_unstaffed_after_seconds),
            aging_after=timedelta(seconds=policy.aging_after_seconds),
            handle_estimates={
                tag: timedelta(seconds=mean) for tag, mean in (handles or {}).items()
            },
        )
        self.fallbacks = dict(fallbacks)
        self.log = TicketLog(horizon=horizon, bucket_seconds=bucket_seconds)
        self.queues: dict[str, LanguageQueue] = {}
        self.agents = {spec.id: AgentState(spec, self.fallbacks) for spec in agents}
        self.ready_base: dict[str, dict[int, AgentSnapshot]] = {}
        self.online_base: dict[str, dict[int, AgentSnapshot]] = {}
        self.ready_tag: dict[str, dict[int, AgentSnapshot]] = {}
        self.speakers: dict[str, int] = {}  # primary subtag -> agents online
        self.events: list[tuple[float, int, int, int, int]] = []
        self.seq = 0
        self.processed = 0
        for agent in self.agents.values():
            for base in agent.bases:
                self.ready_base.setdefault(base, {})
                self.online_base.setdefault(base, {})
                self.speakers.setdefault(base, 0)
            for tag in agent.tags:
                self.ready_tag.setdefault(tag, {})
            for on, off in agent.spec.intervals:
                self._push(on, SHIFT_ON, agent.id, 0)
                self._push(off, SHIFT_OFF, agent.id, 0)

    # --- the loop ---------------------------------------------------------------------------
    def run(
        self, arrivals: Sequence[Arrival], progress: Progress | None = None
    ) -> SimulationResult:
        events, handlers = self.events, self._handlers()
        position, count = 0, len(arrivals)
        while position < count or events:
            if position < count and (not events or arrivals[position].time < events[0][0]):
                now = arrivals[position].time
                if now >= self.horizon:
                    position = count
                    continue
                self._arrive(arrivals[position], now)
                position += 1
            else:
                now, _, kind, a, b = heappop(events)
                if now >= self.horizon:
                    break
                handlers[kind](now, a, b)
            self.processed += 1
            if progress is not None and self.processed % PROGRESS_EVERY == 0:
                progress(now)
        for agent in self.agents.values():
            agent.account(self.horizon)
        return self.log.result(agents=self.agents.values(), events=self.processed)

    def _handlers(self) -> dict[int, Callable[[float, int, int], None]]:
        return {
            COMPLETE: self._complete,
            FALLBACK_DUE: self._fallback_due,
            SHIFT_ON: self._shift_on,
            SHIFT_OFF: self._shift_off,
            RECLAIM: self._reclaim,
        }

    def _push(self, when: float, kind: int, a: int, b: int) -> None:
        self.seq += 1
        heappush(self.events, (when, self.seq, kind, a, b))

    def _at(self, now: float) -> datetime:
        return self.zero + timedelta(seconds=now)

    def _queue(self, language: str) -> LanguageQueue:
        queue = self.queues.get(language)
        if queue is None:
            queue = self.queues[language] = LanguageQueue(language)
        return queue

    # --- tickets ------------------------------------------------------------------------------
    def _arrive(self, arrival: Arrival, now: float) -> None:
        at = self._at(now)
        chain = self.fallbacks.get(arrival.language, ())
        snapshot = TicketSnapshot(
            id=len(self.log.arrival),
            language=arrival.language,
            fallbacks=chain,
            waiting_since=at,
            priority=NORMAL_PRIORITY,
            due=at + timedelta(seconds=self.sla_target),
        )
        ticket = self.log.add(snapshot, now=now, handle=arrival.handle)
        queue = self._queue(arrival.language)
        # older tickets of its language wait: so would this one (same candidates, less waited)
        if queue.live or not self._route(ticket, now):
            self._wait(ticket, now)

    def _wait(self, ticket: int, now: float) -> None:
        snapshot = self.log.snapshot[ticket]
        self._queue(snapshot.language).push(self.log, ticket)
        self.log.queue_changed(snapshot.language, self.queues[snapshot.language].live, now)
        after = self.settings.fallback_after_seconds
        unstaffed = self.settings.fallback_unstaffed_after_seconds
        if self.rules.mode is Mode.LANGUAGE_FIRST and 0 < unstaffed < after:
            after = unstaffed  # re-checked there: nobody may speak it by then
        due = self.log.arrival[ticket] + after + TIMER_SLACK
        if snapshot.fallbacks and due > now:
            self._push(due, FALLBACK_DUE, ticket, self.log.version[ticket])

    def _supply(self, base: str) -> Supply:
        """The available speakers of a primary subtag (the selectors' `speaker_supply`)."""
        return supply_of(self.online_base.get(base))

    def _route(self, ticket: int, now: float, ahead: int = 0) -> bool:
        """Offer a ticket to the available agents through the policy. True when assigned."""
        snapshot = self.log.snapshot[ticket]
        if ahead:
            snapshot = replace(snapshot, ahead=ahead)
        base = base_tag(snapshot.language)
        at = self._at(now)
        close = self.ready_base.get(base)
        if close:
            decision = choose_agent(
                ticket=snapshot, candidates=list(close.values()), now=at, policy=self.rules
            )
            if decision.winner is not None:
                self._assign(
                    ticket, decision.winner, rank=decision.matches[decision.winner].rank, now=now
                )
                return True
        others: dict[int, AgentSnapshot] = {}
        for tag in snapshot.fallbacks:
            others.update(self.ready_tag.get(tag.lower(), {}))
        if not others:
            return False
        decision = choose_agent(
            ticket=snapshot,
            candidates=list(others.values()),
            now=at,
            policy=self.rules,
            supply=self._supply(base),  # the close speakers are not among the candidates
        )
        winner = decision.winner
        if winner is None:
            return False
        rank = decision.matches[winner].rank
        self._assign(ticket, winner, rank=rank, now=now)
        return True

    def _assign(self, ticket: int, agent_id: int, *, rank: Rank, now: float) -> None:
        agent = self.agents[agent_id]
        agent.account(now)
        agent.load += 1
        agent.assigned += 1
        agent.last_assigned_at = self._at(now)
        agent.holding.add(ticket)
        if self.log.waiting[ticket]:
            self.log.waiting[ticket] = False
            queue = self.queues[self.log.snapshot[ticket].language]
            queue.live -= 1
            self.log.queue_changed(queue.language, queue.live, now)
        spoken = self.speakers.get(base_tag(self.log.snapshot[ticket].language), 0) > 0
        self.log.assigned(ticket, agent=agent_id, now=now, rank=rank, spoken=spoken)
        self._push(now + self.log.handle[ticket], COMPLETE, ticket, self.log.version[ticket])
        self._refresh(agent)

    def _complete(self, now: float, ticket: int, version: int) -> None:
        if self.log.version[ticket] != version:
            return  # reclaimed: this completion belongs to a previous assignment
        agent = self.agents[self.log.agent[ticket]]
        agent.account(now)
        agent.load -= 1
        agent.holding.discard(ticket)
        self.log.completed(ticket, now=now)
        self._refresh(agent)
        if agent.online:
            self._fill(agent, now)

    def _fallback_due(self, now: float, ticket: int, version: int) -> None:
        """What the sweep does for a ticket whose fallback time may have come; under
        `language_first` it looks again every sweep until the ticket is aged."""
        if not (self.log.waiting[ticket] and self.log.version[ticket] == version):
            return
        snapshot = self.log.snapshot[ticket]
        queue = self.queues[snapshot.language]
        ahead = queue.position(self.log, ticket)
        base = base_tag(snapshot.language)
        held = not self.ready_base.get(base) and not fallback_allowed(
            snapshot, supply=self._supply(base), now=self._at(now), policy=self.rules, ahead=ahead
        )  # the policy's own answer, asked first: `_route` would offer it to nobody
        if not held and self._route(ticket, now, ahead=ahead):
            return
        aging = self.log.arrival[ticket] + self.settings.aging_after_seconds + TIMER_SLACK
        if self.rules.mode is Mode.LANGUAGE_FIRST and now < aging:
            self._push(min(now + SWEEP_SECONDS, aging), FALLBACK_DUE, ticket, version)

    def _drain(self, language: str, now: float) -> None:
        queue = self.queues.get(language)
        while queue is not None and queue.live:
            head, _ = queue.prefix(self.log, 1)
            if not self._route(head[0], now):
                return

    # --- agents -------------------------------------------------------------------------------
    def _refresh(self, agent: AgentState) -> None:
        snapshot = agent.rebuild()
        room = agent.online and agent.load < agent.capacity
        for base in agent.bases:
            ready, online = self.ready_base[base], self.online_base[base]
            if room:
                ready[agent.id] = snapshot
            else:
                ready.pop(agent.id, None)
            if agent.online:
                online[agent.id] = snapshot
            else:
                online.pop(agent.id, None)
        for tag in agent.tags:
            if room:
                self.ready_tag[tag][agent.id] = snapshot
            else:
                self.ready_tag[tag].pop(agent.id, None)

    def _fill(self, agent: AgentState, now: float) -> None:
        room = agent.capacity - agent.load
        if room <= 0:
            return
        languages = [q for q in self.queues.values() if q.live and agent.may_serve(q.language)]
        if not languages:
            return
        at, width = self._at(now), room
        supply = SupplyView(self.online_base)
        while True:
            waiting: list[TicketSnapshot] = []
            cutoffs = []
            for queue in languages:
                head, beyond = queue.prefix(self.log, width)
                waiting.extend(self.log.snapshot[t] for t in head)
                if beyond is not None:
                    cutoffs.append(beyond)
            chosen = choose_tickets(
                agent=agent.snapshot, waiting=waiting, now=at, policy=self.rules,
                supply=supply,
            )  # fmt: skip
            if not cutoffs or (
                len(chosen) == room
                and (
                    self.rules.mode is Mode.LANGUAGE_FIRST  # the best claims of each queue
                    or all(c > self.log.key[chosen[-1]] for c in cutoffs)
                )
            ):
                break
            width *= 4  # the answer might reach past a head: look further
        for ticket in chosen:
            skill = best_skill(agent.snapshot, self.log.snapshot[ticket])
            self._assign(
                ticket, agent.id, rank=Rank.FALLBACK if skill is None else skill[0], now=now
            )

    def _shift_on(self, now: float, agent_id: int, _: int) -> None:
        agent = self.agents[agent_id]
        agent.account(now)
        agent.online, agent.since = True, self._at(now)
        for base in agent.bases:
            self.speakers[base] += 1
        self._refresh(agent)
        self._fill(agent, now)

    def _shift_off(self, now: float, agent_id: int, _: int) -> None:
        agent = self.agents[agent_id]
        agent.account(now)
        agent.online = False
        agent.left += 1
        self._refresh(agent)
        silent = []
        for base in agent.bases:
            self.speakers[base] -= 1
            if not self.speakers[base]:
                silent.append(base)
        for language in [q.language for q in self.queues.values() if q.live]:
            if base_tag(language) in silent:  # nobody close left: fallback is allowed now
                self._drain(language, now)
        reclaim = self.settings.reclaim_after_seconds
        if reclaim is not None and agent.holding:
            self._push(now + reclaim, RECLAIM, agent_id, agent.left)

    def _reclaim(self, now: float, agent_id: int, left: int) -> None:
        agent = self.agents[agent_id]
        if agent.online or agent.left != left:
            return  # back on duty (or a later departure has its own reclaim)
        agent.account(now)
        tickets = sorted(agent.holding, key=lambda t: self.log.key[t])
        for ticket in tickets:
            agent.load -= 1
            agent.holding.discard(ticket)
            self.log.reclaimed(ticket, now=now)
        self._refresh(agent)
        for ticket in tickets:
            if not self._route(ticket, now):
                self._wait(ticket, now)
