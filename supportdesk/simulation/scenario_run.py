"""One scenario run: its arrivals, agents and fallback chains handed to the event loop
(`engine.Simulation`), unless a caller (a replay, a comparison) brings its own."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from supportdesk.simulation.engine import Progress, Simulation
from supportdesk.simulation.queues import SimulationResult
from supportdesk.simulation.scenario import Scenario
from supportdesk.simulation.workload import (
    AgentSpec,
    Arrival,
    agents_expand,
    arrivals_generate,
    fallbacks_of,
    horizon_of,
    start_of,
)


def scenario_simulate(
    *,
    scenario: Scenario,
    seed: int,
    arrivals: Sequence[Arrival] | None = None,
    agents: Sequence[AgentSpec] | None = None,
    fallbacks: Mapping[str, tuple[str, ...]] | None = None,
    progress: Progress | None = None,
) -> SimulationResult:
    """Run `scenario` (its own Poisson arrivals unless `arrivals` are given, e.g. a replay;
    its agent groups unless `agents` are given; its fallback chains unless `fallbacks`)."""
    tickets = arrivals_generate(scenario=scenario, seed=seed) if arrivals is None else arrivals
    simulation = Simulation(
        agents=agents_expand(scenario=scenario) if agents is None else agents,
        fallbacks=fallbacks_of(scenario, [a.language for a in tickets])
        if fallbacks is None
        else fallbacks,
        policy=scenario.policy,
        zero=start_of(scenario),
        horizon=horizon_of(scenario),
        sla_target_seconds=scenario.sla_target_seconds,
        handles={tag: spec.handle.mean_seconds for tag, spec in scenario.languages.items()},
    )
    return simulation.run(tickets, progress)
