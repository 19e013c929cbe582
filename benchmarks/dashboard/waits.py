"""What honest waits and the native-language figure cost: on the dashboard benchmark's hub
(benchmarks/dashboard/run.py seeds it: 1,000,000 tickets), interleaved in one run, the
per-language window statistics with waits counted over assigned tickets only (the baseline, as
before issue 13) and censored at now (still-waiting tickets included, as now), and the
first-match query.

    .venv/bin/python benchmarks/dashboard/waits.py [--calls 25]

Writes benchmarks/results/dashboard-waits.md. No target: the figure is the relative cost.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.dashboard.run import DEFAULT_DB, percentile  # noqa: E402


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--calls", type=int, default=25, help="timed calls of each query")
    parser.add_argument("--output", default=str(ROOT / "benchmarks/results/dashboard-waits.md"))
    return parser.parse_args()


def main() -> None:
    args = parse()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.db.models import Count
    from django.utils import timezone

    from supportdesk.dashboards import selectors
    from supportdesk.dashboards.expressions import SecondsBetween
    from supportdesk.dashboards.native import first_match_by_language
    from supportdesk.tickets.models import Ticket, TicketStatus

    def assigned_only() -> object:
        now = timezone.now()
        q = selectors.window_filters(now=now, since=now - selectors.DEFAULT_WINDOW)
        tickets = Ticket.objects.filter(q["assigned"] | q["responded"] | q["deadline"]).order_by()
        aggregates = {
            "met": Count("id", filter=q["met"]),
            "decided": Count("id", filter=q["decided"]),
        }
        durations = (
            ("wait", SecondsBetween("assigned_at", "created_at"), q["assigned"]),
            ("first_response", selectors.FIRST_RESPONSE, q["responded"]),
        )
        return selectors.grouped_with_percentiles(
            tickets, aggregates, key="language", durations=durations
        )

    def censored() -> object:
        return selectors._window_stats(
            now=timezone.now(), window=selectors.DEFAULT_WINDOW, key="language"
        )

    cases: dict[str, Callable[[], object]] = {
        "window stats, waits of assigned tickets only (baseline)": assigned_only,
        "window stats, waits censored at now (issue 13)": censored,
        "first match per language (issue 13)": first_match_by_language,
    }
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for round_ in range(args.calls + 3):  # interleaved: the machine's load hits all alike
        for name, call in cases.items():
            start = time.perf_counter()
            call()
            if round_ >= 3:  # warm-up
                samples[name].append((time.perf_counter() - start) * 1000)
    total = Ticket.objects.count()
    waiting = Ticket.objects.filter(status=TicketStatus.NEW).count()
    lines = [
        "# Dashboard: the cost of honest waits and the native-language figure",
        "",
        f"`benchmarks/dashboard/waits.py` on {platform.node()} ({platform.machine()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}), PostgreSQL, "
        f"{total:,} tickets ({waiting:,} waiting), {args.calls} interleaved calls each.",
        "",
        "| query (per language, 24 h window) | p50 ms | p95 ms |",
        "| --- | ---: | ---: |",
    ]
    for name, values in samples.items():
        p50, p95 = statistics.median(values), percentile(values, 0.95)
        lines.append(f"| {name} | {p50:.1f} | {p95:.1f} |")
        print(f"{name:60s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    Path(args.output).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"report: {args.output}")


if __name__ == "__main__":
    main()
