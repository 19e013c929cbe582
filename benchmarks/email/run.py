"""Inbound e-mail benchmark (issue 15): messages parsed, stripped of quoted history, language
detected, threaded and stored per second, from a local maildir of 5,000 messages written for
the project, beside the API's ticket intake (gunicorn, as benchmarks/intake measures it) in the
same run. Target: e-mail ≥ 0.3 x the API's rate.

    .venv/bin/python benchmarks/email/run.py [--messages 5000] [--processes 2] [--rounds 4]
                                             [--duration 40] [--clients 4]

The API runs in 2 gunicorn workers, the e-mail pipeline in 2 processes (one per mailbox, as
two Celery fetch tasks would): both get the machine's 2 CPUs. The two run in alternating
slices (API for duration/rounds seconds, then a quarter of the messages, and so on), so a
machine whose load drifts weighs on both alike; each round's ratio is reported.
Creates (and drops afterwards) the database `sd_bench_email`; Redis as broker, keys removed.
Writes benchmarks/results/email.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.email.corpus import write_maildir  # noqa: E402
from benchmarks.email.pipeline import Slice, Timing, run, setup  # noqa: E402
from benchmarks.intake.load import Job  # noqa: E402
from benchmarks.intake.run import (  # noqa: E402
    _environment,
    _free_port,
    _manage,
    _phase,
    _recreate_database,
    _start_server,
    _texts,
)

RESULTS = ROOT / "benchmarks" / "results" / "email.md"
SETUP = """
from supportdesk.clients.models import ClientApplication
from supportdesk.mail.models import Mailbox
app = ClientApplication.objects.get(name="bench-intake")
for address in {addresses!r}:
    Mailbox.objects.create(address=address, client_app=app, transport="webhook")
"""


def _tickets(args: argparse.Namespace, port: int, api_key: str, seed: int) -> Job:
    return Job(
        port=port, path="/api/v1/tickets/", kind="ticket", duration=args.duration / args.rounds,
        seed=seed, api_key=api_key, texts=_texts(),
    )  # fmt: skip


def _slices(
    args: argparse.Namespace, folder: Path, addresses: list[str]
) -> tuple[dict[str, Slice], list[dict[str, Slice]]]:
    """Per mailbox: a warm-up slice, then one slice per round."""
    written = write_maildir(folder, args.messages, addresses)
    warmups: dict[str, Slice] = {}
    rounds: list[dict[str, Slice]] = [{} for _ in range(args.rounds)]
    for address in addresses:
        paths = [str(path) for box, path in written if box == address]
        warmups[address] = Slice(address, tuple(paths[: args.email_warmup]))
        timed = paths[args.email_warmup :]
        size = -(-len(timed) // args.rounds)
        for number in range(args.rounds):
            rounds[number][address] = Slice(
                address, tuple(timed[number * size : (number + 1) * size])
            )
    return warmups, rounds


def _email_round(pools: dict[str, ProcessPoolExecutor], parts: dict[str, Slice]) -> Timing:
    futures = [pools[address].submit(run, part) for address, part in parts.items()]
    timings = [future.result() for future in futures]
    outcomes: dict[str, int] = {}
    for timing in timings:
        for outcome, count in timing.outcomes.items():
            outcomes[outcome] = outcomes.get(outcome, 0) + count
    start, end = min(t.start for t in timings), max(t.end for t in timings)
    return Timing(sum(t.landed for t in timings), start, end, outcomes)


@dataclass
class Totals:
    api_ok: int = 0
    api_seconds: float = 0.0
    landed: int = 0
    email_seconds: float = 0.0
    outcomes: dict[str, int] = field(default_factory=dict)
    ratios: list[float] = field(default_factory=list)

    @property
    def api_rate(self) -> float:
        return self.api_ok / self.api_seconds if self.api_seconds else 0.0

    @property
    def email_rate(self) -> float:
        return self.landed / self.email_seconds if self.email_seconds else 0.0


def _measure(args: argparse.Namespace, env: dict[str, str], api_key: str, folder: Path) -> Totals:
    addresses = [f"support-{n}@hub.example" for n in range(args.processes)]
    _manage(env, "shell", "-c", SETUP.format(addresses=addresses))
    warmups, rounds = _slices(args, folder, addresses)
    pools = {
        address: ProcessPoolExecutor(max_workers=1, initializer=setup, initargs=(env,))
        for address in addresses
    }
    port = _free_port()
    server = _start_server(env, port, args.workers)
    totals = Totals()
    try:
        with ProcessPoolExecutor(max_workers=args.clients) as clients:
            warm = replace(_tickets(args, port, api_key, 1), duration=args.warmup)
            _phase("warm-up tickets", warm, args.clients, clients)
            _email_round(pools, warmups)
            for number, parts in enumerate(rounds):
                api = _phase(
                    f"round {number + 1}: tickets", _tickets(args, port, api_key, 10 + number),
                    args.clients, clients,
                )  # fmt: skip
                mail = _email_round(pools, parts)
                seconds = mail.end - mail.start
                print(f"round {number + 1}: e-mail {mail.landed / seconds:8.1f} messages/s")
                totals.api_ok += api.ok
                totals.api_seconds += api.duration
                totals.landed += mail.landed
                totals.email_seconds += seconds
                for outcome, count in mail.outcomes.items():
                    totals.outcomes[outcome] = totals.outcomes.get(outcome, 0) + count
                totals.ratios.append((mail.landed / seconds) / api.rate if api.rate else 0.0)
    finally:
        server.terminate()
        server.wait(timeout=30)
        for pool in pools.values():
            pool.shutdown()
    return totals


def _report(args: argparse.Namespace, totals: Totals) -> str:
    ratio = totals.email_rate / totals.api_rate if totals.api_rate else 0.0
    load = os.getloadavg()
    verdict = "met" if ratio >= 0.3 else "NOT met"
    rounds = ", ".join(f"{r:.2f}" for r in totals.ratios)
    api = f"{totals.api_ok} tickets in {totals.api_seconds:.0f} s"
    email = f"{totals.landed} messages in {totals.email_seconds:.1f} s"
    return f"""# Inbound e-mail benchmark

`python benchmarks/email/run.py --messages {args.messages} --processes {args.processes} \\
--rounds {args.rounds} --duration {args.duration:.0f}`

- A maildir of {args.messages:,} messages written by `benchmarks/email/corpus.py` from the seed
  ticket texts (many languages): signatures and phone footers, 30% with an HTML alternative,
  25% replies quoting an earlier message and naming it in In-Reply-To/References.
- E-mail: {args.processes} processes, one mailbox each, each message through `mail_receive`
  (parse, strip quotes, detect the language, thread, store the raw message, the ticket or
  reply and its events; routing nudges to Redis); the first {args.email_warmup} of each
  process not timed.
- API: `POST /api/v1/tickets/` through gunicorn, {args.workers} workers (`config/gunicorn.py`),
  {args.clients} load processes, detection from the text, {args.duration:.0f} s in all.
- The two alternate in {args.rounds} rounds (API slice, then e-mail slice), so load that
  drifts during the run weighs on both. PostgreSQL (fresh database), Redis broker.
- Machine: {platform.machine()}, Python {platform.python_version()}; load average at the end
  {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f} on 2 cores (other work on the machine shows up here).

| phase | per second |
| --- | ---: |
| API ticket intake ({api}) | {totals.api_rate:.1f} |
| e-mail pipeline ({email}) | {totals.email_rate:.1f} |

Outcomes: {totals.outcomes}. Ratio in each round (e-mail / API): {rounds}.

**E-mail: {totals.email_rate:.1f} messages/s = {ratio:.2f} x the API's {totals.api_rate:.1f}
tickets/s (target 0.3: {verdict}).**
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--email-warmup", type=int, default=50)
    parser.add_argument("--duration", type=float, default=40.0, help="API seconds in all")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--warmup", type=float, default=4.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="sd_bench_email")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/1")
    parser.add_argument("--no-write", action="store_true", help="do not write the results file")
    args = parser.parse_args()
    env = {**_environment(args), "MAIL_RATE_LIMIT_TICKETS": "1000000"}
    store = redis.Redis.from_url(args.redis_url)
    keys_before = set(store.scan_iter())
    _recreate_database(args)
    try:
        _manage(env, "migrate", "--run-syncdb", "--verbosity=0")
        api_key = _manage(env, "create_api_key", "bench-intake").splitlines()[-1]
        with tempfile.TemporaryDirectory(prefix="sd-bench-mail-") as folder:
            totals = _measure(args, env, api_key, Path(folder))
    finally:
        _recreate_database(args, drop_only=True)
        created = [key for key in store.scan_iter() if key not in keys_before]
        if created:
            store.delete(*created)
    report = _report(args, totals)
    print(report)
    if not args.no_write:
        RESULTS.write_text(report, encoding="utf-8")
        print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
