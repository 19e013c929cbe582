"""Run a scenario (or a replay) and write its report: what the `simulate` command calls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.utils import timezone

from supportdesk.simulation.engine import Progress, scenario_simulate
from supportdesk.simulation.metrics import report_build
from supportdesk.simulation.replay import replay_build
from supportdesk.simulation.report import report_write
from supportdesk.simulation.scenario import scenario_load
from supportdesk.simulation.selectors import reports_root
from supportdesk.simulation.workload import horizon_of


@dataclass(frozen=True, slots=True)
class SimulationRun:
    report: dict[str, object]
    path: Path  # report.json
    horizon_seconds: float


@dataclass(frozen=True, slots=True)
class RunRequest:
    scenario_path: Path
    seed: int | None = None  # None: the scenario's own seed
    replay: tuple[datetime, datetime] | None = None
    out: Path | None = None  # None: var/simulations/<timestamp>/
    charts: bool = True


def simulation_run(
    *, request: RunRequest, progress: Progress | None = None, on_start: Progress | None = None
) -> SimulationRun:
    """Load, simulate, summarise, write report.json (+ charts). `on_start` gets the horizon
    (seconds) before the loop starts, `progress` the simulated time as it advances."""
    scenario = scenario_load(path=request.scenario_path)
    seed = scenario.seed if request.seed is None else request.seed
    meta: dict[str, object] = {
        "scenario": scenario.name,
        "scenario_file": str(request.scenario_path),
        "seed": seed,
        "created_at": timezone.now().isoformat(),
    }
    if request.replay is None:
        if on_start is not None:
            on_start(horizon_of(scenario))
        result = scenario_simulate(scenario=scenario, seed=seed, progress=progress)
    else:
        replay = replay_build(
            scenario=scenario, start=request.replay[0], end=request.replay[1], seed=seed
        )
        scenario = replay.scenario
        meta["replay"] = {
            "from": request.replay[0].isoformat(),
            "to": request.replay[1].isoformat(),
            "observed_handle_times": replay.observed_handles,
        }
        if on_start is not None:
            on_start(horizon_of(scenario))
        result = scenario_simulate(
            scenario=scenario,
            seed=seed,
            arrivals=replay.arrivals,
            agents=replay.agents,
            fallbacks=replay.fallbacks,
            progress=progress,
        )
    meta["start"] = f"{scenario.day.isoformat()}T00:00 {scenario.timezone}"
    report = report_build(result=result, sla_target_seconds=scenario.sla_target_seconds, meta=meta)
    out = request.out or reports_root() / timezone.now().strftime("%Y%m%d-%H%M%S")
    path = report_write(report=report, directory=out, charts=request.charts)
    return SimulationRun(report=report, path=path, horizon_seconds=horizon_of(scenario))
