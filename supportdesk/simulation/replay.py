"""Replay: the real tickets of a past period, from the database, as the simulator's input.

Arrivals are the tickets' `created_at`; the handle time is the observed `assigned_at` →
`solved_at` when the ticket was solved, else a draw from the scenario's handle-time
distribution for its language. Agents: the scenario's groups, plus — with
`include_database_agents: true` — every agent in the database with its current skills and
capacity, on duty for the whole period. Fallback chains come from the database's languages.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime

from django.utils.translation import gettext as _

from supportdesk.agents.models import AgentLanguage
from supportdesk.languages.selectors import fallback_chain
from supportdesk.routing.policy import Proficiency
from supportdesk.routing.selectors import PROFICIENCY
from supportdesk.simulation.scenario import Scenario, ScenarioError
from supportdesk.simulation.workload import (
    SECONDS_PER_HOUR,
    AgentSpec,
    Arrival,
    agents_expand,
    draw_handle,
    horizon_of,
    start_of,
)
from supportdesk.tickets.models import Ticket

DATABASE_GROUP = "database"


@dataclass(frozen=True, slots=True)
class Replay:
    scenario: Scenario  # the scenario re-timed to the period
    arrivals: list[Arrival]
    agents: list[AgentSpec]
    fallbacks: dict[str, tuple[str, ...]]
    observed_handles: int  # tickets whose handle time was observed (the rest were drawn)


def _database_agents(*, first_id: int, horizon: float) -> list[AgentSpec]:
    skills: dict[int, dict[str, Proficiency]] = {}
    capacity: dict[int, int] = {}
    rows = AgentLanguage.objects.order_by("agent_id", "tag").values_list(
        "agent_id", "tag", "proficiency", "agent__capacity"
    )
    for agent_id, tag, level, agent_capacity in rows:
        skills.setdefault(agent_id, {})[tag] = PROFICIENCY[level]
        capacity[agent_id] = agent_capacity
    return [
        AgentSpec(
            id=first_id + index,
            group=DATABASE_GROUP,
            skills=skills[agent_id],
            capacity=max(capacity[agent_id], 1),
            intervals=((0.0, horizon),),
        )
        for index, agent_id in enumerate(sorted(skills))
    ]


def replay_build(*, scenario: Scenario, start: datetime, end: datetime, seed: int) -> Replay:
    """The tickets created in [start, end) against the scenario's (and the stored) agents."""
    if end <= start:
        raise ScenarioError(_("the replay period must end after it starts"))
    day = start.astimezone(start_of(scenario).tzinfo).date()
    timed = replace(scenario, day=day)
    zero = start_of(timed)
    timed = replace(timed, hours=(end - zero).total_seconds() / SECONDS_PER_HOUR)
    rows = (
        Ticket.objects.filter(created_at__gte=start, created_at__lt=end)
        .order_by("created_at", "id")
        .values_list("created_at", "language", "assigned_at", "solved_at")
    )
    handles = random.Random(f"{seed}:replay:handle")  # noqa: S311 - simulation, not secrets
    arrivals, observed = [], 0
    for created, language, assigned, solved in rows.iterator(chunk_size=5000):
        if assigned is not None and solved is not None and solved > assigned:
            handle = (solved - assigned).total_seconds()
            observed += 1
        else:
            spec = timed.languages.get(language)
            handle = draw_handle(spec.handle if spec else timed.handle, handles)
        arrivals.append(Arrival((created - zero).total_seconds(), language, handle))
    agents = agents_expand(scenario=timed)
    if timed.include_database_agents:
        agents += _database_agents(first_id=len(agents) + 1, horizon=horizon_of(timed))
    languages = {a.language for a in arrivals} | set(timed.languages)
    return Replay(
        scenario=timed,
        arrivals=arrivals,
        agents=agents,
        fallbacks={tag: fallback_chain(tag=tag) for tag in sorted(languages)},
        observed_handles=observed,
    )
