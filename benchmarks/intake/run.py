"""Ticket intake benchmark (issue 3): gunicorn (2 workers x 4 threads) on PostgreSQL, driven from
separate processes on 127.0.0.1; a bare DRF create endpoint measured in the same run is the floor.

    .venv/bin/python benchmarks/intake/run.py [--duration 20] [--rounds 4] [--clients 4]
                                              [--with-locale]

Creates (and drops afterwards) the database `sd_bench_intake`; uses Redis (`--redis-url`) as
Celery broker and throttle cache, as production does, and removes the keys it created.
Writes benchmarks/results/intake.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.intake.load import Job, Result, drive  # noqa: E402

VENV = ROOT / ".venv" / "bin"
RESULTS = ROOT / "benchmarks" / "results" / "intake.md"


@dataclass(frozen=True)
class Figures:
    name: str
    ok: int
    total: int
    duration: float
    p50: float
    p95: float
    p99: float
    statuses: dict[int, int]

    @property
    def rate(self) -> float:
        return self.ok / self.duration


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _texts() -> tuple[tuple[str, str, str], ...]:
    texts = []
    for path in sorted((ROOT / "seeds" / "tickets").glob("*.json")):
        texts += [(path.stem, t["subject"], t["body"]) for t in json.loads(path.read_text())]
    return tuple(texts)


def _environment(args: argparse.Namespace) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.intake.bench_settings",
        "DATABASE_URL": f"{args.postgres}/{args.database}",
        "SECRET_KEY": "benchmark-only-secret",
        "DEBUG": "0",
        "CONN_MAX_AGE": "600",
        "CELERY_BROKER_URL": args.redis_url,
        "CACHE_URL": args.redis_url,
        "API_THROTTLE_RATE": "1000000/min",  # on, as in production, but never reached
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def _manage(env: dict[str, str], *argv: str) -> str:
    done = subprocess.run(
        [str(VENV / "python"), "manage.py", *argv],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def _recreate_database(args: argparse.Namespace, *, drop_only: bool = False) -> None:
    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{args.database}"')


def _start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(VENV / "gunicorn"),
            "config.wsgi:application",
            "-c",
            str(ROOT / "config" / "gunicorn.py"),
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            "--timeout=60",
            # no recycling while measuring (production: every ~10,000 requests): a run sends
            # more than that, and the CPU counters read from /proc need the same workers
            "--max-requests=0",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not answer /healthz within 30 s")


def _drive(job: Job, clients: int, pool: ProcessPoolExecutor) -> list[Result]:
    jobs = [replace(job, seed=job.seed * 100 + n) for n in range(clients)]
    return list(pool.map(drive, jobs))


def _ok(results: list[Result]) -> int:
    return sum(n for r in results for status, n in r.statuses.items() if 200 <= status < 300)


def _statuses(results: list[Result]) -> dict[int, int]:
    """How many requests of every client ended with each status."""
    statuses: dict[int, int] = {}
    for result in results:
        for status, count in result.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    return statuses


def _figures(name: str, results: list[Result], duration: float) -> Figures:
    latencies = [x for r in results for x in r.latencies]
    statuses = _statuses(results)
    figures = Figures(
        name=name,
        ok=_ok(results),
        total=len(latencies),
        duration=duration,
        p50=_percentile(latencies, 0.50),
        p95=_percentile(latencies, 0.95),
        p99=_percentile(latencies, 0.99),
        statuses=statuses,
    )
    print(
        f"{name:<34} {figures.rate:8.1f} req/s  p50 {figures.p50:6.1f} ms  "
        f"p95 {figures.p95:6.1f} ms  p99 {figures.p99:6.1f} ms  statuses {statuses}"
    )
    return figures


def _phase(name: str, job: Job, clients: int, pool: ProcessPoolExecutor) -> Figures:
    return _figures(name, _drive(job, clients, pool), job.duration)


def _alternating(
    jobs: dict[str, Job], clients: int, rounds: int, pool: ProcessPoolExecutor
) -> tuple[list[Figures], list[float]]:
    """Each job's duration split into `rounds` slices run in turn (floor, tickets, floor, …):
    a machine that speeds up or slows down during the run affects both alike. Also returns
    each round's ratio of the second job to the first (how much the machine drifted)."""
    results: dict[str, list[Result]] = {name: [] for name in jobs}
    ratios = []
    for number in range(rounds):
        done = []
        for name, job in jobs.items():
            part = replace(job, duration=job.duration / rounds, seed=job.seed * 10 + number)
            slice_results = _drive(part, clients, pool)
            results[name] += slice_results
            done.append(_ok(slice_results))
        ratios.append(done[1] / done[0] if done[0] else 0.0)
    figures = [_figures(name, results[name], job.duration) for name, job in jobs.items()]
    return figures, ratios


def _report(args: argparse.Namespace, phases: list[Figures], ratios: list[float]) -> str:
    floor, peak, half = phases
    ratio = peak.rate / floor.rate if floor.rate else 0.0
    language = "customer locale (no detection)" if args.with_locale else "detected from the text"
    rows = "\n".join(
        f"| {f.name} | {f.rate:.1f} | {f.p50:.1f} | {f.p95:.1f} | {f.p99:.1f} | {f.statuses} |"
        for f in phases
    )
    return f"""# Ticket intake benchmark

`{" ".join(["python", "benchmarks/intake/run.py", *sys.argv[1:]])}`

- gunicorn, {args.workers} workers x 4 threads, PostgreSQL (fresh database), Redis as broker and
  throttle cache; {args.clients} load processes on 127.0.0.1 (same machine: they share its
  {os.cpu_count()} CPUs with the server), {args.duration:.0f} s per phase after a warm-up; the
  floor and the tickets run in turn, {args.rounds} slices each, so that a machine whose speed
  drifts during the run weighs on both alike.
- Machine: {platform.machine()}, Python {platform.python_version()}, {platform.system()};
  load average when the run ended {"/".join(f"{x:.1f}" for x in os.getloadavg())} (anything
  else running on the machine shows up here: compare runs only at similar load).
- Ticket requests: texts from `seeds/tickets/` in {len(_texts())} samples; language
  {language}; a fresh `Idempotency-Key` each; 5,000 distinct customers; throttling on.
- Floor: a bare DRF `CreateAPIView` of one small model (no auth, no throttle), same server.

| phase | requests/s | p50 ms | p95 ms | p99 ms | statuses |
| --- | ---: | ---: | ---: | ---: | --- |
{rows}

**Tickets/s: {peak.rate:.1f} = {ratio:.0%} of the floor ({floor.rate:.1f}/s).**
Ratio in each round (floor slice, then tickets slice): {", ".join(f"{r:.0%}" for r in ratios)}.
At half the peak rate ({half.rate:.1f}/s offered open-loop), p99 = {half.p99:.1f} ms
(latency counted from each request's scheduled send time).
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=4.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=4, help="floor/tickets alternations")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--with-locale", action="store_true", help="skip detection")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="sd_bench_intake")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/1")
    parser.add_argument("--no-write", action="store_true", help="do not write the results file")
    args = parser.parse_args()

    env = _environment(args)
    store = redis.Redis.from_url(args.redis_url)
    keys_before = set(store.scan_iter())
    _recreate_database(args)
    _manage(env, "migrate", "--run-syncdb", "--verbosity=0")
    api_key = _manage(env, "create_api_key", "bench-intake").splitlines()[-1]
    port = _free_port()
    server = _start_server(env, port, args.workers)
    try:
        floor = Job(port=port, path="/bench/floor/", kind="floor", duration=args.duration, seed=1)
        tickets = Job(
            port=port,
            path="/api/v1/tickets/",
            kind="ticket",
            duration=args.duration,
            seed=2,
            api_key=api_key,
            texts=_texts(),
            with_locale=args.with_locale,
        )
        with ProcessPoolExecutor(max_workers=args.clients) as pool:
            _phase("warm-up floor", replace(floor, duration=args.warmup), args.clients, pool)
            _phase("warm-up tickets", replace(tickets, duration=args.warmup, seed=3), 2, pool)
            phases, ratios = _alternating(
                {"floor: bare DRF create": floor, "tickets: POST /api/v1/tickets/": tickets},
                args.clients,
                args.rounds,
                pool,
            )
            half_rate = phases[1].rate / 2 / args.clients
            half = replace(tickets, seed=4, rate=half_rate)
            phases.append(_phase("tickets at half the peak rate", half, args.clients, pool))
    finally:
        server.terminate()
        server.wait(timeout=30)
        _recreate_database(args, drop_only=True)
        created = [key for key in store.scan_iter() if key not in keys_before]
        if created:
            store.delete(*created)
    report = _report(args, phases, ratios)
    print(f"\nticket intake = {phases[1].rate / phases[0].rate:.0%} of the floor")
    print("per round: " + ", ".join(f"{r:.0%}" for r in ratios))
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(report, encoding="utf-8")
        print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
