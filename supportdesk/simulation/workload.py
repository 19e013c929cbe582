"""What a scenario feeds the engine: timed arrivals and agents with on-duty intervals.

Every language draws its arrivals and handle times from its own random stream (derived from
the seed and the tag), so editing the agents of a scenario — "four more Polish speakers" —
replays exactly the same tickets: differences between two runs are the staffing's, not luck's.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from supportdesk.routing.policy import Proficiency
from supportdesk.simulation.scenario import HandleTime, Scenario, Shift

SECONDS_PER_HOUR = 3600.0


class Arrival:
    """One ticket: when it arrives (seconds from the start), its language, its handle time."""

    __slots__ = ("handle", "language", "time")

    def __init__(self, time: float, language: str, handle: float) -> None:
        self.time, self.language, self.handle = time, language, handle

    def __repr__(self) -> str:
        return f"Arrival({self.time:.1f}, {self.language!r}, {self.handle:.1f})"


@dataclass(frozen=True, slots=True)
class AgentSpec:
    id: int
    group: str
    skills: Mapping[str, Proficiency]
    capacity: int
    intervals: tuple[tuple[float, float], ...]  # on duty [start, end), seconds from the start


def start_of(scenario: Scenario) -> datetime:
    """The simulated clock's zero: midnight of the scenario's day in the hub's time zone."""
    return datetime.combine(scenario.day, time(0), tzinfo=ZoneInfo(scenario.timezone))


def horizon_of(scenario: Scenario) -> float:
    return (scenario.hours + scenario.drain_hours) * SECONDS_PER_HOUR


def draw_handle(handle: HandleTime, rng: random.Random) -> float:
    if handle.distribution == "fixed":
        return handle.mean_seconds
    if handle.distribution == "exponential":
        return rng.expovariate(1.0 / handle.mean_seconds)
    sigma2 = math.log1p(handle.cv * handle.cv)
    return rng.lognormvariate(math.log(handle.mean_seconds) - sigma2 / 2, math.sqrt(sigma2))


def arrivals_generate(*, scenario: Scenario, seed: int) -> list[Arrival]:
    """Poisson arrivals with piecewise-constant hourly rates (memoryless, so each hour restarts
    exactly), for `scenario.hours` hours, sorted by time."""
    arrivals: list[Arrival] = []
    end = scenario.hours * SECONDS_PER_HOUR
    for tag, spec in scenario.languages.items():
        times = random.Random(f"{seed}:{tag}:arrivals")  # noqa: S311 - simulation, not secrets
        handles = random.Random(f"{seed}:{tag}:handle")  # noqa: S311
        for hour in range(math.ceil(scenario.hours)):
            rate = spec.hourly_rates[hour % len(spec.hourly_rates)] / SECONDS_PER_HOUR
            if rate <= 0:
                continue
            clock, stop = hour * SECONDS_PER_HOUR, min((hour + 1) * SECONDS_PER_HOUR, end)
            while (clock := clock + times.expovariate(rate)) < stop:
                arrivals.append(Arrival(clock, tag, draw_handle(spec.handle, handles)))
    arrivals.sort(key=lambda a: (a.time, a.language))
    return arrivals


def shift_intervals(
    *, shift: Shift | None, scenario: Scenario, offset_minutes: float = 0.0
) -> tuple[tuple[float, float], ...]:
    """On-duty intervals of a shift within [0, horizon): occurrences that begin the day before
    (a night shift), on each simulated day, or the day after, converted from the shift's time
    zone (daylight-saving changes included)."""
    horizon = horizon_of(scenario)
    if shift is None:
        return ((0.0, horizon),)
    zero, zone = start_of(scenario), ZoneInfo(shift.timezone)
    shift_by = timedelta(minutes=offset_minutes)
    intervals = []
    for days in range(-1, math.ceil(horizon / (SECONDS_PER_HOUR * 24)) + 1):
        local_day = scenario.day + timedelta(days=days)
        begin = datetime.combine(local_day, shift.start, tzinfo=zone) + shift_by
        finish = datetime.combine(local_day, shift.end, tzinfo=zone) + shift_by
        if finish <= begin:
            finish += timedelta(days=1)
        on = max((begin - zero).total_seconds(), 0.0)
        off = min((finish - zero).total_seconds(), horizon)
        if on < off:
            intervals.append((on, off))
    return tuple(intervals)


def agents_expand(*, scenario: Scenario, first_id: int = 1) -> list[AgentSpec]:
    """One AgentSpec per agent of every group; a group's starts spread over `stagger_minutes`."""
    agents: list[AgentSpec] = []
    for group in scenario.agent_groups:
        stagger = group.shift.stagger_minutes if group.shift else 0.0
        for index in range(group.count):
            agents.append(
                AgentSpec(
                    id=first_id + len(agents),
                    group=group.name,
                    skills=dict(group.skills),
                    capacity=group.capacity,
                    intervals=shift_intervals(
                        shift=group.shift,
                        scenario=scenario,
                        offset_minutes=stagger * index / group.count,
                    ),
                )
            )
    return agents


def fallbacks_of(scenario: Scenario, extra: Sequence[str] = ()) -> dict[str, tuple[str, ...]]:
    """Fallback chain per language; a tag the scenario does not describe has none."""
    chains = {tag: spec.fallbacks for tag, spec in scenario.languages.items()}
    for tag in extra:
        chains.setdefault(tag, ())
    return chains
