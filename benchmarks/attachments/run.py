"""Attachment intake benchmark (issue 14): tickets with one 1 MB file through gunicorn, beside
the same tickets as JSON in the same run (the baseline); then the web workers' peak RSS while
100 tickets with a 10 MB file each, and 10 with a 20 MB file, are uploaded.

    .venv/bin/python benchmarks/attachments/run.py [--duration 20] [--rounds 4] [--clients 4]
                                                  [--uploads 100] [--huge-uploads 10]
                                                  [--redis-url URL]

Creates (and drops afterwards) the database `sd_bench_attachments` and a temporary MEDIA_ROOT;
uses Redis (`--redis-url`) as Celery broker and throttle cache, as production does, and
removes the keys it created. Writes benchmarks/results/attachments.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.attachments.load import Job, Result, drive  # noqa: E402
from benchmarks.attachments.media import fresh_media_root  # noqa: E402
from benchmarks.intake.run import (  # noqa: E402
    _free_port,
    _manage,
    _ok,
    _percentile,
    _recreate_database,
    _start_server,
    _statuses,
)

RESULTS = ROOT / "benchmarks" / "results" / "attachments.md"
MB = 1024 * 1024


@dataclass(frozen=True)
class Figures:
    name: str
    ok: int
    duration: float
    p50: float
    p99: float
    statuses: dict[int, int]
    cpu_ms: float = 0.0  # web workers' CPU time (user + system) per successful request

    @property
    def rate(self) -> float:
        return self.ok / self.duration


def _figures(name: str, results: list[Result], duration: float) -> Figures:
    latencies = [x for r in results for x in r.latencies]
    statuses = _statuses(results)
    figures = Figures(
        name, _ok(results), duration, _percentile(latencies, 0.5), _percentile(latencies, 0.99),
        statuses,
    )  # fmt: skip
    print(
        f"{name:<40} {figures.rate:7.1f} tickets/s  p50 {figures.p50:7.1f} ms  "
        f"p99 {figures.p99:7.1f} ms  statuses {statuses}",
        flush=True,
    )
    return figures


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _drive(job: Job, clients: int, pool: ProcessPoolExecutor) -> list[Result]:
    return list(pool.map(drive, [replace(job, seed=job.seed * 100 + n) for n in range(clients)]))


def _alternating(
    jobs: dict[str, Job], clients: int, rounds: int, pool: ProcessPoolExecutor, workers: list[int]
) -> tuple[list[Figures], list[float]]:
    """Each job's duration in `rounds` slices run in turn (JSON, multipart, JSON, …), so a
    machine whose speed drifts weighs on both alike; also each round's multipart/JSON ratio.
    The web workers' CPU time is counted per job: what a request costs the server, whatever
    else the machine is doing."""
    results: dict[str, list[Result]] = {name: [] for name in jobs}
    cpu = dict.fromkeys(jobs, 0.0)
    ratios = []
    for number in range(rounds):
        done = []
        for name, job in jobs.items():
            part = replace(job, duration=job.duration / rounds, seed=job.seed * 10 + number)
            before = _cpu_seconds(workers)
            slice_results = _drive(part, clients, pool)
            cpu[name] += _cpu_seconds(workers) - before
            results[name] += slice_results
            done.append(_ok(slice_results))
        ratios.append(done[1] / done[0] if done[0] else 0.0)
    figures = []
    for name, job in jobs.items():
        measured = _figures(name, results[name], job.duration)
        figures.append(replace(measured, cpu_ms=1000 * cpu[name] / max(1, measured.ok)))
        print(f"{'':<40} web workers' CPU {figures[-1].cpu_ms:.2f} ms/ticket", flush=True)
    return figures, ratios


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


class RssSampler:
    """Samples the workers' RSS every 20 ms (and reads the kernel's high-water mark, VmHWM,
    which catches a peak between samples)."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.before = {pid: _status_kb(pid, "VmRSS") for pid in pids}
        self.hwm_before = {pid: _status_kb(pid, "VmHWM") for pid in pids}
        self.peak = dict(self.before)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            for pid in self.pids:
                self.peak[pid] = max(self.peak[pid], _status_kb(pid, "VmRSS"))

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.hwm_after = {pid: _status_kb(pid, "VmHWM") for pid in self.pids}


def _environment(args: argparse.Namespace, media: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"{args.postgres}/{args.database}",
        "SECRET_KEY": "benchmark-only-secret",
        "DEBUG": "0",
        "CONN_MAX_AGE": "600",
        "CELERY_BROKER_URL": args.redis_url,
        "CACHE_URL": args.redis_url,
        "API_THROTTLE_RATE": "1000000/min",
        "LOG_LEVEL": "WARNING",
        "MEDIA_ROOT": media,
        "PYTHONPATH": str(ROOT),
    }


@dataclass(frozen=True)
class Memory:
    """One memory phase: `uploads` tickets of one `megabytes` file each, from one client."""

    uploads: int
    megabytes: float
    figures: Figures
    sampler: RssSampler

    @property
    def growth_mb(self) -> float:
        pids = self.sampler.pids
        return max(self.sampler.peak[p] - self.sampler.before[p] for p in pids) / 1024

    def rows(self) -> str:
        out, sampler = [], self.sampler
        for pid in sampler.pids:
            before, peak = sampler.before[pid] / 1024, sampler.peak[pid] / 1024
            hwm = max(sampler.hwm_after[pid], sampler.hwm_before[pid]) / 1024
            out.append(
                f"| {self.uploads} x {self.megabytes:g} MB | {pid} | {before:.1f} | {peak:.1f} | "
                f"{peak - before:+.1f} | {hwm:.1f} | {hwm - sampler.hwm_before[pid] / 1024:+.1f} |"
            )
        return "\n".join(out)


def _report(
    args: argparse.Namespace, phases: list[Figures], ratios: list[float],
    memory: list[Memory], stored_mb: float,
) -> str:  # fmt: skip
    json_, multipart = phases
    media_note = f"`{args.media_parent}`" if args.media_parent else "the system's temporary folder"
    media_note += (
        ", in a new folder that ext4 places in a fresh block group (`benchmarks/attachments/"
        "media.py`: a run does not pay for the previous run's clean-up)"
        if args.spread
        else " (the file system refused FS_TOPDIR_FL: a run right after another pays for its "
        "clean-up, see `benchmarks/attachments/media.py`)"
    )
    ratio = multipart.rate / json_.rate if json_.rate else 0.0
    rows = "\n".join(
        f"| {f.name} | {f.rate:.1f} | {f.p50:.1f} | {f.p99:.1f} | "
        f"{f.cpu_ms:.2f} | {f.statuses} |".replace("| 0.00 |", "| n/a |")
        for f in (*phases, *(m.figures for m in memory))
    )
    growth = "; ".join(
        f"{m.growth_mb:.1f} MB while receiving {m.megabytes:g} MB files" for m in memory
    )
    return f"""# Attachment intake benchmark

`{" ".join(["python", "benchmarks/attachments/run.py", *sys.argv[1:]])}`

- gunicorn, {args.workers} workers x 4 threads (`config/gunicorn.py`), PostgreSQL (fresh
  database), Redis as broker and throttle cache, attachments on the file system (a temporary
  MEDIA_ROOT); {args.clients} load processes on 127.0.0.1 sharing the machine's
  {os.cpu_count()} CPUs with the server; {args.duration:.0f} s per phase, in {args.rounds}
  alternating slices (JSON, multipart, JSON, …) after a warm-up.
- The same ticket each time (customer locale given, so no detection), a fresh
  `Idempotency-Key` each; as JSON, or as multipart/form-data with one {args.file_mb:g} MB PDF.
  Each load process builds its request bodies before the clock starts (a ring of 32), so its
  CPU goes to sending them. Files are stored under {media_note}.
- Machine: {platform.machine()}, Python {platform.python_version()}, {platform.system()};
  load average at the end {"/".join(f"{x:.1f}" for x in os.getloadavg())}.

| phase | tickets/s | p50 ms | p99 ms | server CPU ms/ticket | statuses |
| --- | ---: | ---: | ---: | ---: | --- |
{rows}

**Multipart with a {args.file_mb:g} MB file: {multipart.rate:.1f} tickets/s = {ratio:.0%} of the
JSON intake ({json_.rate:.1f}/s) in the same run** (target ≥ 50%). Per round:
{", ".join(f"{r:.0%}" for r in ratios)}. The web workers spend {multipart.cpu_ms:.2f} ms of CPU on a
ticket with a file against {json_.cpu_ms:.2f} ms on a JSON ticket
({multipart.cpu_ms / json_.cpu_ms if json_.cpu_ms else 0:.1f}x): receiving, parsing, hashing and
writing the megabyte.

## Web workers' memory during large uploads

One client, one file per ticket ({stored_mb:.0f} MB stored in the whole run). RSS sampled every
20 ms; VmHWM is the kernel's peak RSS of the process since it started (it includes the
earlier phases).

| uploads | worker | RSS before MB | peak RSS MB | growth MB | VmHWM after MB | VmHWM growth |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
{chr(10).join(m.rows() for m in memory)}

**Largest RSS growth of a worker: {growth}**. The API's multipart parser reads the body in
pieces of at most 256 KB (from gunicorn's socket) and writes each file to its storage key as it
arrives (ADR 0018): no temporary file, no copy, no file held whole.
"""


def _memory(
    pool: ProcessPoolExecutor, job: Job, master: int, uploads: int, megabytes: float
) -> Memory:
    big = replace(job, seed=4, duration=600, count=uploads, file_bytes=int(megabytes * MB))
    with RssSampler(_workers(master)) as sampler:
        results = list(pool.map(drive, [big]))
    figures = _figures(f"multipart, one {megabytes:g} MB file", results, sum(results[0].latencies))
    return Memory(uploads, megabytes, figures, sampler)


def _measure(
    args: argparse.Namespace, port: int, api_key: str, master: int
) -> tuple[list[Figures], list[float], list[Memory]]:
    json_job = Job(port=port, api_key=api_key, kind="json", duration=args.duration, seed=1)
    multipart_job = replace(json_job, kind="multipart", seed=2, file_bytes=int(args.file_mb * MB))
    with ProcessPoolExecutor(max_workers=args.clients) as pool:
        _figures("warm-up JSON", _drive(replace(json_job, duration=3), args.clients, pool), 3)
        _figures(
            "warm-up multipart",
            _drive(replace(multipart_job, duration=3, seed=3), args.clients, pool),
            3,
        )
        phases, ratios = _alternating(
            {"JSON: POST /api/v1/tickets/": json_job, "multipart, 1 file": multipart_job},
            args.clients,
            args.rounds,
            pool,
            _workers(master),
        )
        memory = [
            _memory(pool, multipart_job, master, args.uploads, args.big_mb),
            _memory(pool, multipart_job, master, args.huge_uploads, args.huge_mb),
        ]
    return phases, ratios, memory


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--file-mb", type=float, default=1.0)
    parser.add_argument("--uploads", type=int, default=100)
    parser.add_argument("--big-mb", type=float, default=10.0)
    parser.add_argument("--huge-uploads", type=int, default=10)
    parser.add_argument("--huge-mb", type=float, default=20.0)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="sd_bench_attachments")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/1")
    parser.add_argument(
        "--media-parent",
        default="",
        help="folder for the temporary MEDIA_ROOT (default: the system's temporary folder)",
    )
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    media, args.spread = fresh_media_root(args.media_parent or None)
    env = _environment(args, media)
    store = redis.Redis.from_url(args.redis_url)
    keys_before = set(store.scan_iter())
    _recreate_database(args)
    _manage(env, "migrate", "--verbosity=0")
    api_key = _manage(env, "create_api_key", "bench-attachments").splitlines()[-1]
    port = _free_port()
    server = _start_server(env, port, args.workers)
    try:
        phases, ratios, memory = _measure(args, port, api_key, server.pid)
        stored_mb = sum(p.stat().st_size for p in Path(media).rglob("*") if p.is_file()) / MB
    finally:
        server.terminate()
        server.wait(timeout=30)
        _recreate_database(args, drop_only=True)
        shutil.rmtree(media, ignore_errors=True)
        created = [key for key in store.scan_iter() if key not in keys_before]
        if created:
            store.delete(*created)
    report = _report(args, phases, ratios, memory, stored_mb)
    for phase in memory:
        mb, growth = phase.megabytes, phase.growth_mb
        print(f"largest RSS growth of a worker ({mb:g} MB files): {growth:.1f} MB")
    print(f"\nmultipart (1 file) = {phases[1].rate / phases[0].rate:.0%} of the JSON intake")
    if not args.no_write:
        RESULTS.write_text(report, encoding="utf-8")
        print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
