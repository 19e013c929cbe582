"""The engine's state: the tickets' log, each language's waiting queue, each agent's state."""

from __future__ import annotations

from bisect import insort
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from supportdesk.routing.policy import (
    AgentSnapshot,
    Rank,
    TicketSnapshot,
    base_tag,
    best_skill,
    queue_key,
)
from supportdesk.routing.rules import NOBODY, Supply
from supportdesk.simulation.workload import AgentSpec

QueueKey = tuple[int, float, float, int]
COMPACT_AFTER = 4096  # dead entries at the head of a queue before the list is trimmed
_PROBE_TIME = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class AgentStats:
    id: int
    group: str
    busy_slot_seconds: float  # sum over time of the tickets held while on duty
    staffed_slot_seconds: float  # sum over time of the capacity while on duty
    overtime_slot_seconds: float  # tickets held after the shift ended
    assigned: int


@dataclass(frozen=True, slots=True)
class SimulationResult:
    arrival: list[float]  # per ticket, seconds from the start
    language: list[str]
    first_assigned: list[float | None]  # None: never assigned before the horizon
    fallback: list[bool]  # first assignment went to a fallback-language speaker
    match: list[int]  # the first assignment's Rank (exact 0, same base 1, fallback 2); -1: none
    spoken: list[bool]  # at the first assignment, somebody on duty spoke its language
    reclaims: list[int]
    agents: list[AgentStats]
    queue_series: dict[str, list[int]]  # per language: longest queue in each bucket
    hub_series: list[int]
    bucket_seconds: float
    horizon: float
    events: int


class TicketLog:
    """Column-wise per-ticket state (lists indexed by ticket id: cheap for 100,000 tickets)."""

    def __init__(self, *, horizon: float, bucket_seconds: float) -> None:
        self.snapshot: list[TicketSnapshot] = []
        self.arrival: list[float] = []
        self.handle: list[float] = []  # work left for whoever gets it next
        self.key: list[QueueKey] = []
        self.version: list[int] = []  # bumped on reclaim: stale completions are ignored
        self.waiting: list[bool] = []
        self.agent: list[int] = []
        self.first_assigned: list[float | None] = []
        self.fallback: list[bool] = []
        self.match: list[int] = []
        self.spoken: list[bool] = []
        self.done_at: list[float] = []
        self.reclaims: list[int] = []
        self.bucket = bucket_seconds
        self.horizon = horizon
        buckets = int(horizon // bucket_seconds) + 1
        self.buckets = buckets
        self.qmax: dict[str, list[int]] = {}
        self.qlast: dict[str, list[int]] = {}
        self.current: dict[str, int] = {}
        self.total = 0

    def add(self, snapshot: TicketSnapshot, *, now: float, handle: float) -> int:
        self.snapshot.append(snapshot)
        self.arrival.append(now)
        self.handle.append(handle)
        self.key.append(queue_key(snapshot))
        self.version.append(0)
        self.waiting.append(False)
        self.agent.append(-1)
        self.first_assigned.append(None)
        self.fallback.append(False)
        self.match.append(-1)
        self.spoken.append(False)
        self.done_at.append(0.0)
        self.reclaims.append(0)
        return len(self.arrival) - 1

    def assigned(
        self, ticket: int, *, agent: int, now: float, rank: Rank, spoken: bool = True
    ) -> None:
        self.agent[ticket] = agent
        self.done_at[ticket] = now + self.handle[ticket]
        if self.first_assigned[ticket] is None:
            self.first_assigned[ticket] = now
            self.fallback[ticket] = rank == Rank.FALLBACK
            self.match[ticket] = int(rank)
            self.spoken[ticket] = spoken

    def reclaimed(self, ticket: int, *, now: float) -> None:
        self.version[ticket] += 1
        self.handle[ticket] = max(self.done_at[ticket] - now, 0.0)
        self.agent[ticket] = -1
        self.reclaims[ticket] += 1

    def completed(self, ticket: int, *, now: float) -> None:
        self.agent[ticket] = -1
        self.done_at[ticket] = now

    def queue_changed(self, language: str, live: int, now: float) -> None:
        bucket = min(int(now // self.bucket), self.buckets - 1)
        self.total += live - self.current.get(language, 0)
        self.current[language] = live
        for name, value in ((language, live), ("*", self.total)):
            if name not in self.qmax:
                self.qmax[name], self.qlast[name] = [0] * self.buckets, [-1] * self.buckets
            self.qmax[name][bucket] = max(self.qmax[name][bucket], value)
            self.qlast[name][bucket] = value

    def _series(self, name: str) -> list[int]:
        series, carry = [], 0
        for top, last in zip(self.qmax.get(name, []), self.qlast.get(name, []), strict=True):
            series.append(max(top, carry))
            if last >= 0:
                carry = last
        return series or [0] * self.buckets

    def result(self, *, agents: Iterable[AgentState], events: int) -> SimulationResult:
        return SimulationResult(
            arrival=self.arrival,
            language=[s.language for s in self.snapshot],
            first_assigned=self.first_assigned,
            fallback=self.fallback,
            match=self.match,
            spoken=self.spoken,
            reclaims=self.reclaims,
            agents=[a.stats() for a in agents],
            queue_series={name: self._series(name) for name in self.qmax if name != "*"},
            hub_series=self._series("*"),
            bucket_seconds=self.bucket,
            horizon=self.horizon,
            events=events,
        )


class LanguageQueue:
    """Waiting tickets of one language in the policy's queue order (`queue_key`). Assigned or
    reclaimed tickets leave lazily: an entry is live while its ticket waits at that version."""

    __slots__ = ("head", "items", "language", "live")

    def __init__(self, language: str) -> None:
        self.language = language
        self.items: list[tuple[QueueKey, int, int]] = []
        self.head = 0
        self.live = 0

    def push(self, log: TicketLog, ticket: int) -> None:
        entry = (log.key[ticket], ticket, log.version[ticket])
        log.waiting[ticket] = True
        if len(self.items) == self.head or entry >= self.items[-1]:
            self.items.append(entry)
        else:  # a reclaimed ticket keeps its place
            insort(self.items, entry, lo=self.head)
        self.live += 1

    def prefix(self, log: TicketLog, count: int) -> tuple[list[int], QueueKey | None]:
        """The first `count` live tickets, and the key of the next live one (None: no more)."""
        items, waiting, version = self.items, log.waiting, log.version
        index = self.head
        while index < len(items) and not (
            waiting[items[index][1]] and version[items[index][1]] == items[index][2]
        ):
            index += 1
        if index > COMPACT_AFTER and index * 2 > len(items):
            del items[:index]
            index = 0
        self.head = index
        found: list[int] = []
        for key, ticket, at_version in items[index:]:
            if waiting[ticket] and version[ticket] == at_version:
                if len(found) == count:
                    return found, key
                found.append(ticket)
        return found, None

    def position(self, log: TicketLog, ticket: int) -> int:
        """How many live tickets are before `ticket` (the whole queue if it is not in it)."""
        items, waiting, version = self.items, log.waiting, log.version
        count = 0
        for _key, other, at_version in items[self.head :]:
            if other == ticket:
                return count
            if waiting[other] and version[other] == at_version:
                count += 1
        return count


def supply_of(online: Mapping[int, AgentSnapshot] | None) -> Supply:
    """What the given online speakers of one primary subtag offer (routing/rules.py)."""
    if not online:
        return NOBODY
    free = busy = 0
    for agent in online.values():
        free += max(agent.capacity - agent.load, 0)
        busy += min(agent.load, agent.capacity)
    return Supply(speakers=len(online), free=free, busy=busy)


class SupplyView(Mapping[str, Supply]):
    """Per primary subtag with somebody online, `supply_of` its speakers, computed only for
    the subtags the policy asks about (once per view: a view lives for one decision)."""

    def __init__(self, online_base: Mapping[str, Mapping[int, AgentSnapshot]]) -> None:
        self.online_base = online_base
        self.known: dict[str, Supply] = {}

    def __getitem__(self, base: str) -> Supply:
        found = self.known.get(base)
        if found is None:
            online = self.online_base.get(base)
            if not online:
                raise KeyError(base)
            found = self.known[base] = supply_of(online)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter([base for base, online in self.online_base.items() if online])

    def __len__(self) -> int:
        return sum(1 for online in self.online_base.values() if online)


class AgentState:
    __slots__ = (
        "assigned", "bases", "busy", "capacity", "chains", "holding", "id", "last_assigned_at",
        "left", "load", "mark", "online", "overtime", "servable", "since", "skills", "snapshot",
        "spec", "staffed", "tags",
    )  # fmt: skip

    def __init__(self, spec: AgentSpec, chains: Mapping[str, tuple[str, ...]]) -> None:
        self.spec, self.id, self.capacity = spec, spec.id, spec.capacity
        self.skills = dict(spec.skills)
        self.tags = {tag.lower() for tag in self.skills}
        self.bases = {base_tag(tag) for tag in self.skills}
        self.chains = chains
        self.servable: dict[str, bool] = {}
        self.load, self.online, self.left, self.assigned = 0, False, 0, 0
        self.since: datetime | None = None
        self.last_assigned_at: datetime | None = None
        self.holding: set[int] = set()
        self.busy = self.staffed = self.overtime = self.mark = 0.0
        self.snapshot = self.rebuild()

    def rebuild(self) -> AgentSnapshot:
        self.snapshot = AgentSnapshot(
            id=self.id,
            skills=self.skills,
            load=self.load,
            capacity=self.capacity,
            online=self.online,
            last_seen=self.since,
            last_assigned_at=self.last_assigned_at,
        )
        return self.snapshot

    def may_serve(self, language: str) -> bool:
        """Whether some skill matches `language` at any rank (asked of the policy, cached)."""
        known = self.servable.get(language)
        if known is None:
            probe = TicketSnapshot(
                id=0,
                language=language,
                fallbacks=self.chains.get(language, ()),
                waiting_since=_PROBE_TIME,
            )
            known = self.servable[language] = best_skill(self.snapshot, probe) is not None
        return known

    def account(self, now: float) -> None:
        elapsed = now - self.mark
        if self.online:
            self.busy += self.load * elapsed
            self.staffed += self.capacity * elapsed
        else:
            self.overtime += self.load * elapsed
        self.mark = now

    def stats(self) -> AgentStats:
        return AgentStats(
            id=self.id,
            group=self.spec.group,
            busy_slot_seconds=self.busy,
            staffed_slot_seconds=self.staffed,
            overtime_slot_seconds=self.overtime,
            assigned=self.assigned,
        )
