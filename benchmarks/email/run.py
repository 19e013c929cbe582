"""Inbound e-mail benchmark (issue 15): messages parsed, stripped of quoted history, language
detected, threaded and stored per second, from a local maildir of 5,000 messages written for
the project, beside the API's ticket intake (gunicorn, as benchmarks/intake measures it) in the
same run. Target: e-mail ≥ 0.3 x the API's rate.

    .venv/bin/python benchmarks/email/run.py [--messages 5000] [--processes 2]
                                             [--duration 20] [--clients 4]

The API runs in 2 gunicorn workers, the e-mail pipeline in 2 processes (one per mailbox, as
two Celery fetch tasks would): both get the machine's 2 CPUs. The API phase runs before and
after the e-mail phase and the two are averaged, so a machine that drifts weighs on both.
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
from dataclasses import replace
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.email.corpus import write_maildir  # noqa: E402
from benchmarks.email.pipeline import Share, Timing, run  # noqa: E402
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


def _api(args: argparse.Namespace, env: dict[str, str], api_key: str, seed: int) -> float:
    port = _free_port()
    server = _start_server(env, port, args.workers)
    try:
        tickets = Job(
            port=port, path="/api/v1/tickets/", kind="ticket", duration=args.duration,
            seed=seed, api_key=api_key, texts=_texts(),
        )  # fmt: skip
        with ProcessPoolExecutor(max_workers=args.clients) as pool:
            warm = replace(tickets, duration=args.warmup, seed=seed + 100)
            _phase("warm-up tickets", warm, args.clients, pool)
            return _phase("tickets: POST /api/v1/tickets/", tickets, args.clients, pool).rate
    finally:
        server.terminate()
        server.wait(timeout=30)


def _email(args: argparse.Namespace, env: dict[str, str], folder: Path) -> tuple[float, Timing]:
    addresses = [f"support-{n}@hub.example" for n in range(args.processes)]
    _manage(env, "shell", "-c", SETUP.format(addresses=addresses))
    written = write_maildir(folder, args.messages, addresses)
    shares = [
        Share(
            env=env,
            mailbox=address,
            paths=tuple(str(path) for box, path in written if box == address),
            warmup=args.email_warmup,
        )
        for address in addresses
    ]
    with ProcessPoolExecutor(max_workers=args.processes) as pool:
        timings = list(pool.map(run, shares))
    landed = sum(t.landed for t in timings)
    seconds = max(t.end for t in timings) - min(t.start for t in timings)
    outcomes: dict[str, int] = {}
    for timing in timings:
        for outcome, count in timing.outcomes.items():
            outcomes[outcome] = outcomes.get(outcome, 0) + count
    rate = landed / seconds
    print(f"e-mail pipeline: {landed} messages in {seconds:.1f} s = {rate:.1f}/s {outcomes}")
    return rate, Timing(landed, 0.0, seconds, outcomes)


def _report(args: argparse.Namespace, api: list[float], rate: float, timing: Timing) -> str:
    api_rate = sum(api) / len(api)
    ratio = rate / api_rate if api_rate else 0.0
    load = os.getloadavg()
    verdict = "met" if ratio >= 0.3 else "NOT met"
    return f"""# Inbound e-mail benchmark

`python benchmarks/email/run.py --messages {args.messages} --processes {args.processes}`

- A maildir of {args.messages:,} messages written by `benchmarks/email/corpus.py` from the seed
  ticket texts (many languages): signatures and phone footers, 30% with an HTML alternative,
  25% replies quoting an earlier message and naming it in In-Reply-To/References.
- E-mail: {args.processes} processes, one mailbox each, each message through `mail_receive`
  (parse, strip quotes, detect the language, thread, store the raw message, the ticket or
  reply, its events; routing nudges to Redis), the first {args.email_warmup} of each process
  not timed (warm-up: detector models load).
- API: gunicorn {args.workers} workers (`config/gunicorn.py`), {args.clients} load processes,
  {args.duration:.0f} s, detection from the text, measured before and after the e-mail phase.
- PostgreSQL (fresh database), Redis broker. Machine: {platform.machine()}, Python
  {platform.python_version()}; load average at the end {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}.

| phase | per second |
| --- | ---: |
| API ticket intake, before | {api[0]:.1f} |
| API ticket intake, after | {api[1]:.1f} |
| e-mail pipeline ({timing.landed} messages in {timing.end:.1f} s) | {rate:.1f} |

Outcomes: {timing.outcomes}

**E-mail: {rate:.1f} messages/s = {ratio:.2f} x the API's {api_rate:.1f} tickets/s
(target 0.3: {verdict}).**
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--email-warmup", type=int, default=50)
    parser.add_argument("--duration", type=float, default=20.0)
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
        before = _api(args, env, api_key, seed=2)
        with tempfile.TemporaryDirectory(prefix="sd-bench-mail-") as folder:
            rate, timing = _email(args, env, Path(folder))
        after = _api(args, env, api_key, seed=5)
    finally:
        _recreate_database(args, drop_only=True)
        created = [key for key in store.scan_iter() if key not in keys_before]
        if created:
            store.delete(*created)
    report = _report(args, [before, after], rate, timing)
    print(report)
    if not args.no_write:
        RESULTS.write_text(report, encoding="utf-8")
        print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
