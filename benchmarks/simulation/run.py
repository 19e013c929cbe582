"""Simulation benchmark: a full day of the Amsterdam hub (about 100,000 tickets, 400 agents,
31 languages) through the real routing policy.

    .venv/bin/python benchmarks/simulation/run.py              # time it
    .venv/bin/python benchmarks/simulation/run.py --profile    # + where the time goes (cProfile)

Prints events/s, wall and CPU time; writes benchmarks/results/simulation.md.
Target: under 60 s wall on the 2-core reference machine.
"""

import argparse
import cProfile
import io
import os
import platform
import pstats
import sys
import time
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 60.0


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default=str(ROOT / "seeds/scenarios/amsterdam-hub.yaml"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="a second run under cProfile")
    parser.add_argument("--output", default=str(ROOT / "benchmarks/results/simulation.md"))
    return parser.parse_args()


def setup_django() -> None:
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()  # for gettext only: the simulation never touches the database


def main() -> None:
    args = parse()
    setup_django()
    from supportdesk.simulation.engine import scenario_simulate
    from supportdesk.simulation.metrics import report_build
    from supportdesk.simulation.scenario import scenario_load

    scenario = scenario_load(path=Path(args.scenario))
    load_before = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    result = scenario_simulate(scenario=scenario, seed=args.seed)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    report = report_build(result=result, sla_target_seconds=scenario.sla_target_seconds, meta={})
    hub = cast("dict[str, float]", report["hub"])
    agents = len(result.agents)
    line = (
        f"{len(result.arrival)} tickets, {agents} agents, {result.events} events in "
        f"{wall:.1f} s wall ({cpu:.1f} s CPU): {result.events / wall:,.0f} events/s, "
        f"{len(result.arrival) / wall:,.0f} tickets/s"
    )
    print(line)
    profile = ""
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        scenario_simulate(scenario=scenario, seed=args.seed)
        profiler.disable()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(15)
        profile = text.getvalue()
        print(profile)
    verdict = "meets" if wall < TARGET_SECONDS else "MISSES"
    Path(args.output).write_text(
        f"""# Simulation benchmark

`.venv/bin/python benchmarks/simulation/run.py{" --profile" if args.profile else ""}` — one
simulated day of `{Path(args.scenario).relative_to(ROOT)}` (seed {args.seed}), every routing
decision through `supportdesk/routing/policy.py`.

Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python
{platform.python_version()}, {platform.system()} {platform.release()}. Wall time depends on
what else runs on the machine (1-minute load average {load_before:.1f} when the run started);
CPU time is the simulation's own.

| figure | value |
| --- | --- |
| tickets | {len(result.arrival):,} |
| agents | {agents} |
| events (arrivals, completions, shifts, timers) | {result.events:,} |
| wall time | {wall:.1f} s ({verdict} the {TARGET_SECONDS:.0f} s target) |
| CPU time | {cpu:.1f} s |
| events/s (wall) | {result.events / wall:,.0f} |
| hub: SLA attainment ({scenario.sla_target_seconds:.0f} s) | {hub["sla_attainment"]:.1%} |
| hub: fallback share | {hub["fallback_share"]:.1%} |
| hub: occupancy | {hub["occupancy"]:.1%} |
| hub: peak queue | {hub["peak_queue"]} |

{"## Profile (cProfile, sorted by own time)" if profile else ""}

{"```" + chr(10) + profile.strip() + chr(10) + "```" if profile else ""}
""".rstrip()
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
