"""Run a scenario (or a replay) and write its report: what the `simulate` command calls."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from django.utils import timezone

from supportdesk.simulation.compare import COMPARE_FILE, POLICIES, compare_build
from supportdesk.simulation.engine import Progress
from supportdesk.simulation.metrics import report_build
from supportdesk.simulation.queues import SimulationResult
from supportdesk.simulation.replay import replay_build
from supportdesk.simulation.report import report_write
from supportdesk.simulation.scenario import Scenario, scenario_load
from supportdesk.simulation.scenario_run import scenario_simulate
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


def _simulate(
    *,
    request: RunRequest,
    scenario: Scenario,
    seed: int,
    progress: Progress | None,
    on_start: Progress | None,
) -> tuple[Scenario, SimulationResult, dict[str, object]]:
    """One run of a scenario (or a replay): the scenario as run, its result, replay facts."""
    if request.replay is None:
        if on_start is not None:
            on_start(horizon_of(scenario))
        return scenario, scenario_simulate(scenario=scenario, seed=seed, progress=progress), {}
    replay = replay_build(
        scenario=scenario, start=request.replay[0], end=request.replay[1], seed=seed
    )
    facts: dict[str, object] = {
        "from": request.replay[0].isoformat(),
        "to": request.replay[1].isoformat(),
        "observed_handle_times": replay.observed_handles,
    }
    if on_start is not None:
        on_start(horizon_of(replay.scenario))
    result = scenario_simulate(
        scenario=replay.scenario,
        seed=seed,
        arrivals=replay.arrivals,
        agents=replay.agents,
        fallbacks=replay.fallbacks,
        progress=progress,
    )
    return replay.scenario, result, facts


def _meta(request: RunRequest, scenario: Scenario, seed: int) -> dict[str, object]:
    return {
        "scenario": scenario.name,
        "scenario_file": str(request.scenario_path),
        "seed": seed,
        "created_at": timezone.now().isoformat(),
    }


def simulation_run(
    *, request: RunRequest, progress: Progress | None = None, on_start: Progress | None = None
) -> SimulationRun:
    """Load, simulate, summarise, write report.json (+ charts). `on_start` gets the horizon
    (seconds) before the loop starts, `progress` the simulated time as it advances."""
    scenario = scenario_load(path=request.scenario_path)
    seed = scenario.seed if request.seed is None else request.seed
    meta = _meta(request, scenario, seed)
    scenario, result, replay = _simulate(
        request=request, scenario=scenario, seed=seed, progress=progress, on_start=on_start
    )
    if replay:
        meta["replay"] = replay
    meta["start"] = f"{scenario.day.isoformat()}T00:00 {scenario.timezone}"
    meta["policy"] = scenario.policy.mode.value
    report = report_build(result=result, sla_target_seconds=scenario.sla_target_seconds, meta=meta)
    out = request.out or reports_root() / timezone.now().strftime("%Y%m%d-%H%M%S")
    path = report_write(report=report, directory=out, charts=request.charts)
    return SimulationRun(report=report, path=path, horizon_seconds=horizon_of(scenario))


def simulation_compare(
    *, request: RunRequest, progress: Progress | None = None, on_start: Progress | None = None
) -> SimulationRun:
    """Run the scenario once per routing policy (`compare.POLICIES`), same seed and tickets;
    write each policy's report.json (+ charts) under `<out>/<policy>/` and the side-by-side
    figures to `<out>/compare.json`. `report` of the result is the comparison."""
    loaded = scenario_load(path=request.scenario_path)
    seed = loaded.seed if request.seed is None else request.seed
    out = request.out or reports_root() / timezone.now().strftime("%Y%m%d-%H%M%S")
    meta = _meta(request, loaded, seed)
    reports: dict[str, dict[str, object]] = {}
    for mode in POLICIES:
        variant = replace(loaded, policy=replace(loaded.policy, mode=mode))
        scenario, result, replay = _simulate(
            request=request, scenario=variant, seed=seed, progress=progress, on_start=on_start
        )
        report = report_build(
            result=result,
            sla_target_seconds=scenario.sla_target_seconds,
            meta={**meta, "policy": mode.value, **({"replay": replay} if replay else {})},
        )
        report_write(report=report, directory=out / mode.value, charts=request.charts)
        reports[mode.value] = report
    comparison = compare_build(reports=reports, meta=meta)
    out.mkdir(parents=True, exist_ok=True)
    path = out / COMPARE_FILE
    path.write_text(json.dumps(comparison, indent=1), encoding="utf-8")
    return SimulationRun(report=comparison, path=path, horizon_seconds=horizon_of(loaded))
