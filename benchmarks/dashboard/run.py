"""Dashboard benchmark: seed 1,000,000 tickets for 400 agents in 30 languages into its own
PostgreSQL database, then time every /api/v1/dashboard/ endpoint through Django's test client
(middleware, session auth, selectors, serializers: everything but the socket).

    .venv/bin/python benchmarks/dashboard/run.py            # seed (if needed) and time
    .venv/bin/python benchmarks/dashboard/run.py --reseed   # start from an empty database

Writes benchmarks/results/dashboard.md with p50/p95 per endpoint and EXPLAIN ANALYZE of the
slowest query of the slowest endpoint. Target: p50 < 150 ms for queues and agents.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/sd_bench_dashboard"
ENDPOINTS = ("queues", "agents", "hub", "sla", "trends", "staffing")
TARGET_MS = {"queues": 150, "agents": 150}


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--agents", type=int, default=400)
    parser.add_argument("--languages", type=int, default=30)
    parser.add_argument("--calls", type=int, default=30, help="timed calls per endpoint")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--output", default=str(ROOT / "benchmarks/results/dashboard.md"))
    return parser.parse_args()


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def time_endpoint(client: object, path: str, calls: int) -> list[float]:
    for _ in range(3):  # warm caches and connections
        assert client.get(path).status_code == 200  # type: ignore[attr-defined]
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        response = client.get(path)  # type: ignore[attr-defined]
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content
    return samples


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def slowest_query(client: object, path: str) -> tuple[float, str, str]:
    """EXPLAIN ANALYZE every query the endpoint runs; return the slowest with its plan."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(path)  # type: ignore[attr-defined]
    worst = (0.0, "", "")
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            ms = float(plan.rsplit("Execution Time:", 1)[1].split("ms")[0])
            if ms > worst[0]:
                worst = (ms, sql, plan)
    return worst


def main() -> None:
    args = parse()
    setup_django(args.database_url)
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from benchmarks.dashboard.seed import seed
    from supportdesk.agents.models import Agent
    from supportdesk.agents.services import agent_upsert
    from supportdesk.tickets.models import Ticket

    if args.reseed or Ticket.objects.count() < args.tickets:
        started = time.perf_counter()
        seed(
            tickets=args.tickets,
            agents=args.agents,
            language_count=args.languages,
            now=timezone.now(),
        )
        print(f"seeded in {time.perf_counter() - started:.1f} s")
    agent_upsert(username="bench-manager", skills={"en": "fluent"}, manager=True)
    # online agents heartbeat (AGENT_TTL_SECONDS): mark them seen now, as a live hub would
    Agent.objects.filter(status=Agent.Status.ONLINE).update(last_seen=timezone.now())
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-manager"))

    counts = dict(
        Ticket.objects.order_by()
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    results = {}
    for endpoint in ENDPOINTS:
        samples = time_endpoint(client, f"/api/v1/dashboard/{endpoint}/", args.calls)
        results[endpoint] = (statistics.median(samples), percentile(samples, 0.95))
        p50, p95 = results[endpoint]
        print(f"{endpoint:10s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    slowest = max(results, key=lambda e: results[e][0])
    ms, sql, plan = slowest_query(client, f"/api/v1/dashboard/{slowest}/")
    write_report(args, results, counts, slowest, (ms, sql, plan))
    print(f"report: {args.output}")


def write_report(args, results, counts, slowest, worst) -> None:
    ms, sql, plan = worst
    lines = [
        "# Dashboard benchmark",
        "",
        f"`benchmarks/dashboard/run.py` on {platform.node()} ({platform.machine()},"
        f" {os.cpu_count()} CPUs), PostgreSQL, {args.tickets:,} tickets, {args.agents} agents,"
        f" {args.languages} languages; {args.calls} timed calls per endpoint after 3 warm-up calls,"
        " through Django's test client (middleware, session auth, selectors, serializers).",
        "",
        "Tickets by status: " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())),
        "",
        "| endpoint | p50 ms | p95 ms | target p50 |",
        "| --- | ---: | ---: | --- |",
    ]
    for endpoint, (p50, p95) in results.items():
        target = TARGET_MS.get(endpoint)
        verdict = "" if target is None else f"< {target} ms {'met' if p50 < target else 'MISSED'}"
        lines.append(f"| /api/v1/dashboard/{endpoint}/ | {p50:.1f} | {p95:.1f} | {verdict} |")
    lines += [
        "",
        f"## Slowest query of the slowest endpoint (`{slowest}`): {ms:.1f} ms",
        "",
        "```sql",
        sql,
        "```",
        "",
        "```",
        plan,
        "```",
        "",
    ]
    Path(args.output).write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
