"""Simulation benchmark: a full day of the Amsterdam hub (about 100,000 tickets, 400 agents,
31 languages) through the real routing policy.

    .venv/bin/python benchmarks/simulation/run.py              # time it
    .venv/bin/python benchmarks/simulation/run.py --profile    # + where the time goes (cProfile)

Prints events/s, wall and CPU time; writes benchmarks/results/simulation.md.
Target: under 60 s wall on the 2-core reference machine.

It then runs the same tickets under the old routing policy (`--compare` of the simulate
command) and writes both side by side, checking issue #13's targets: fallback share at most
half the old one, exact-or-same-base share >= 97%, SLA attainment not lower than the old one
by more than 0.5 points.
"""

import argparse
import cProfile
import io
import os
import platform
import pstats
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

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


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def compare_markdown(comparison: dict[str, Any], *, scenario: str) -> str:
    """A scenario's comparison: the hub with issue #13's targets, then every language."""
    old, new = comparison["hub"]["old"], comparison["hub"]["language_first"]
    native = new["served"]["exact"] + new["served"]["same_base"]
    half = old["fallback_share"] / 2
    targets = [
        ("fallback share <= half the old one", _pct(new["fallback_share"]),
         f"<= {_pct(half)}", new["fallback_share"] <= half),
        ("exact or same base >= 97%", _pct(native), ">= 97.0%", native >= 0.97),
        ("SLA attainment within 0.5 points of the old one", _pct(new["sla_attainment"]),
         f">= {_pct(old['sla_attainment'] - 0.005)}",
         new["sla_attainment"] >= old["sla_attainment"] - 0.005),
    ]  # fmt: skip
    rows = [
        "| figure | old | language_first |",
        "| --- | --- | --- |",
    ]
    for label, key in (
        ("SLA attainment", "sla_attainment"),
        ("exact", None),
        ("same base", None),
        ("fallback share", "fallback_share"),
        ("… nobody on duty spoke the language", "fallback_unstaffed_share"),
        ("… its speakers were on duty but full", "fallback_staffed_share"),
        ("occupancy", "occupancy"),
    ):
        if key is None:
            name = label.replace(" ", "_")
            rows.append(f"| {label} | {_pct(old['served'][name])} | {_pct(new['served'][name])} |")
        else:
            rows.append(f"| {label} | {_pct(old[key])} | {_pct(new[key])} |")
    rows += [
        f"| wait p50 / p90 (s) | {old['wait_p50_seconds']:.0f} / {old['wait_p90_seconds']:.0f} "
        f"| {new['wait_p50_seconds']:.0f} / {new['wait_p90_seconds']:.0f} |"
    ]
    target_rows = ["| target | language_first | needed | verdict |", "| --- | --- | --- | --- |"]
    target_rows += [f"| {a} | {b} | {c} | {_verdict(ok)} |" for a, b, c, ok in targets]
    lines = [
        "| language | policy | tickets | in SLA | p50 s | p90 s | exact | same base | fallback |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for tag, by_policy in comparison["languages"].items():
        for name in ("old", "language_first"):
            f = by_policy[name]
            lines.append(
                f"| {tag} | {name} | {f['arrivals']} | {_pct(f['sla_attainment'])} | "
                f"{f['wait_p50_seconds']:.0f} | {f['wait_p90_seconds']:.0f} | "
                f"{_pct(f['served']['exact'])} | {_pct(f['served']['same_base'])} | "
                f"{_pct(f['served']['fallback'])} |"
            )
    floor = (
        f"Where the fallbacks come from: {_pct(new['fallback_unstaffed_share'])} of the "
        "first assignments went to a fallback speaker because nobody on duty spoke the "
        "language at all; routing falls back at once then (waiting would only miss the "
        "deadline, and no policy can serve those customers natively without someone to do "
        "it). Routing acts on the rest: fallbacks while the language's speakers were on duty "
        f"but full went from {_pct(old['fallback_staffed_share'])} to "
        f"{_pct(new['fallback_staffed_share'])}. The first part is a staffing figure, which "
        "the simulator can price: edit the scenario's agents (as "
        "seeds/scenarios/amsterdam-hub-night-desk.yaml does) and run it again on the same "
        "tickets."
    )
    return "\n\n".join(
        [
            "## Routing policies compared (issue #13): the same tickets, both policies",
            f"`.venv/bin/python manage.py simulate {scenario} --compare` "
            "prints the same comparison.",
            "\n".join(target_rows),
            floor,
            "\n".join(rows),
            "Per language (busiest first):",
            "\n".join(lines),
        ]
    )


def setup_django() -> None:
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()  # for gettext only: the simulation never touches the database


def main() -> None:
    args = parse()
    setup_django()
    from supportdesk.routing.rules import Mode
    from supportdesk.simulation.compare import compare_build
    from supportdesk.simulation.metrics import report_build
    from supportdesk.simulation.scenario import scenario_load
    from supportdesk.simulation.scenario_run import scenario_simulate

    scenario = scenario_load(path=Path(args.scenario))
    scenario = replace(scenario, policy=replace(scenario.policy, mode=Mode.LANGUAGE_FIRST))
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
    old_scenario = replace(scenario, policy=replace(scenario.policy, mode=Mode.OLD))
    old_report = report_build(
        result=scenario_simulate(scenario=old_scenario, seed=args.seed),
        sla_target_seconds=scenario.sla_target_seconds,
        meta={},
    )
    scenario_rel = str(Path(args.scenario).resolve().relative_to(ROOT))
    option = (
        ""
        if scenario_rel == "seeds/scenarios/amsterdam-hub.yaml"
        else f" --scenario {scenario_rel}"
    )
    comparison = compare_markdown(
        compare_build(reports={"old": old_report, "language_first": report}, meta={}),
        scenario=scenario_rel,
    )
    print(comparison.split("\n\n")[2])
    Path(args.output).write_text(
        f"""# Simulation benchmark

`.venv/bin/python benchmarks/simulation/run.py{option}{" --profile" if args.profile else ""}` — one
simulated day of `{scenario_rel}` (seed {args.seed}), every routing
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

{comparison}

{"## Profile (cProfile, sorted by own time)" if profile else ""}

{"```" + chr(10) + profile.strip() + chr(10) + "```" if profile else ""}
""".rstrip()
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
