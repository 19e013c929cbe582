"""Routing benchmark: a hub of 400 agents over 30 languages (capacities 3-8), 2 Celery worker
processes over Redis, its own PostgreSQL database.

    .venv/bin/python benchmarks/routing/run.py

Phases: (0) a no-op Celery task baseline through the same broker and workers; (1) a burst of
10,000 tickets (inserted at once, one route_ticket message each, as intake sends) while
agents keep finishing work (a bench thread solves open tickets, freeing slots); (2) a steady
50 tickets/s through the real intake service (`ticket_create`). Prints assignments/s,
creation→assignment p50/p95/p99 and the invariant check; writes benchmarks/results/routing.md.
Targets: >= 500 assignments/s in the burst; p95 < 250 ms at 50 tickets/s. Bounded: each wait
has a deadline, the whole run takes a few minutes at most.
"""

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/sd_bench_routing"
DEFAULT_BROKER = "redis://127.0.0.1:6379/4"
NOOP_COUNTER = "bench:routing:noop"


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--broker-url", default=os.environ.get("BENCH_BROKER_URL", DEFAULT_BROKER))
    parser.add_argument("--agents", type=int, default=400)
    parser.add_argument("--languages", type=int, default=30)
    parser.add_argument("--burst", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=50.0, help="steady tickets per second")
    parser.add_argument("--steady-seconds", type=float, default=20.0)
    parser.add_argument("--noop", type=int, default=2_000)
    parser.add_argument("--output", default=str(ROOT / "benchmarks/results/routing.md"))
    return parser.parse_args()


def setup_django(args: argparse.Namespace) -> None:
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["CELERY_BROKER_URL"] = args.broker_url
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["LOG_LEVEL"] = "WARNING"
    import psycopg

    name = args.database_url.rsplit("/", 1)[1]
    admin_url = args.database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def reset_and_seed(args: argparse.Namespace) -> list[str]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from supportdesk.agents.models import Agent, AgentLanguage
    from supportdesk.languages.models import Language
    from supportdesk.languages.tags import primary

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE tickets_ticketevent, tickets_message, tickets_ticket, tickets_customer,"
            " agents_agentlanguage, agents_agent CASCADE"
        )
    get_user_model().objects.filter(username__startswith="bench-").delete()
    languages = list(Language.objects.order_by("position", "tag").values_list("tag", flat=True))
    languages = languages[: args.languages]
    rng = random.Random(7)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bench-{i}", is_staff=True) for i in range(args.agents)
    )
    now = timezone.now()
    agents = Agent.objects.bulk_create(
        Agent(
            user=u,
            status="online",
            last_seen=now + timezone.timedelta(hours=1),
            capacity=rng.randint(3, 8),
        )
        for u in users
    )  # fmt: skip  (seen "in the future": stays available for the whole run)
    skills = []
    for i, agent in enumerate(agents):
        native = languages[i % len(languages)]
        extra = rng.sample([t for t in languages if t != native], k=rng.randint(0, 2))
        for tag, level in [(native, "native"), *((t, "fluent") for t in extra)]:
            skills.append(
                AgentLanguage(agent=agent, tag=tag, language_base=primary(tag), proficiency=level)
            )
    AgentLanguage.objects.bulk_create(skills)
    return languages


def start_workers(args: argparse.Namespace, log_dir: Path) -> list[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "CELERY_BROKER_URL": args.broker_url,
        "PYTHONPATH": str(ROOT),
    }
    workers = []
    for n in range(2):
        log = (log_dir / f"routing-bench-worker{n}.log").open("wb")
        workers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "-Q",
                    "routing",
                    "-c",
                    "1",
                    "-P",
                    "prefork",
                    "-l",
                    "WARNING",
                    "-n",
                    f"bench{n}@%h",
                    "--include",
                    "benchmarks.routing.noop",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    return workers


def wait_for(predicate: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.5 if os.environ.get("BENCH_TRACE") else 0.05)
    return False


def noop_baseline(args: argparse.Namespace) -> float:
    import redis

    from benchmarks.routing.noop import noop_task

    client = redis.Redis.from_url(args.broker_url)
    client.set(NOOP_COUNTER, 0)
    noop_task.apply_async(args=(NOOP_COUNTER,), queue="routing")  # warm-up, one
    wait_for(lambda: int(client.get(NOOP_COUNTER) or 0) >= 1, 60)
    client.set(NOOP_COUNTER, 0)
    started = time.monotonic()
    for _ in range(args.noop):
        noop_task.apply_async(args=(NOOP_COUNTER,), queue="routing")
    wait_for(lambda: int(client.get(NOOP_COUNTER) or 0) >= args.noop, 120)
    return int(client.get(NOOP_COUNTER) or 0) / (time.monotonic() - started)


class Solver(threading.Thread):
    """Agents finishing work: every tick, open tickets assigned more than `hold` seconds ago
    are solved in one transaction, their slots released and each agent nudged to fill."""

    def __init__(self, hold: float) -> None:
        super().__init__(daemon=True)
        self.hold = hold
        self.stop = threading.Event()
        self.solved = 0

    def run(self) -> None:
        from django.db import connection

        try:
            while not self.stop.wait(0.1):
                self.solved += solve_batch(self.hold)
        finally:
            connection.close()


def solve_batch(hold: float) -> int:
    from collections import Counter

    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from supportdesk.agents.models import Agent
    from supportdesk.routing.nudges import fill_agent_on_commit
    from supportdesk.tickets.models import Ticket

    cutoff = timezone.now() - timezone.timedelta(seconds=hold)
    with transaction.atomic():
        rows = list(
            Ticket.objects.select_for_update(skip_locked=True, no_key=True)
            .filter(status="open", assigned_at__lte=cutoff)
            .values_list("id", "assignee_id")[:2000]
        )
        if not rows:
            return 0
        Ticket.objects.filter(id__in=[r[0] for r in rows]).update(
            status="solved", solved_at=timezone.now()
        )
        for agent_id, n in sorted(Counter(r[1] for r in rows).items()):
            Agent.objects.filter(id=agent_id).update(load=F("load") - n)
            fill_agent_on_commit(agent_id=agent_id)
    return len(rows)


def queued(args: argparse.Namespace) -> int:
    import redis

    return int(redis.Redis.from_url(args.broker_url).llen("routing"))


def burst(args: argparse.Namespace, languages: list[str]) -> dict[str, float]:
    from django.utils import timezone

    from config.celery import app as celery_app
    from supportdesk.clients.models import ClientApplication
    from supportdesk.routing.tasks import route_ticket_task
    from supportdesk.tickets.models import Customer, Ticket

    app, _ = ClientApplication.objects.get_or_create(name="bench-routing")
    customer, _ = Customer.objects.get_or_create(client_app=app, email="burst@example.com")
    rng = random.Random(11)
    started = time.monotonic()
    t0 = timezone.now()
    tickets = Ticket.objects.bulk_create(
        Ticket(client_app=app, customer=customer, subject="burst", language=rng.choice(languages),
               language_source="explicit", priority=rng.choice((1, 2, 2, 2, 3, 4)))
        for _ in range(args.burst)
    )  # fmt: skip
    with celery_app.producer_or_acquire() as producer:  # one connection, as a web process has
        for ticket in tickets:
            route_ticket_task.apply_async(args=(ticket.id,), producer=producer)
    published = time.monotonic() - started
    ids = [t.id for t in tickets]

    def all_assigned() -> bool:
        left = Ticket.objects.filter(id__in=ids, assignee__isnull=True).count()
        if os.environ.get("BENCH_TRACE"):
            print(f"  t={time.monotonic() - started:5.1f}s waiting={left} queue={queued(args)}")
        return left == 0

    done = wait_for(all_assigned, 240)
    elapsed = time.monotonic() - started
    assigned = Ticket.objects.filter(id__in=ids, assignee__isnull=False).count()
    return {
        "assigned": assigned,
        "seconds": elapsed,
        "publish_seconds": published,
        "rate": assigned / elapsed,
        "complete": float(done),
        **latencies(ids, t0),
    }


def latencies(ids: list[int], since: object) -> dict[str, float]:
    from supportdesk.tickets.models import Ticket

    waits = sorted(
        (assigned - created).total_seconds() * 1000
        for created, assigned in Ticket.objects.filter(
            id__in=ids, assigned_at__isnull=False
        ).values_list("created_at", "assigned_at")
    )
    if not waits:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan")}
    q = statistics.quantiles(waits, n=100, method="inclusive")
    return {"p50": q[49], "p95": q[94], "p99": q[98]}


def steady(args: argparse.Namespace, languages: list[str]) -> dict[str, float]:
    from supportdesk.clients.models import ClientApplication
    from supportdesk.tickets.commands import NewCustomer, NewTicket
    from supportdesk.tickets.models import Ticket
    from supportdesk.tickets.services import ticket_create

    app, _ = ClientApplication.objects.get_or_create(name="bench-routing")
    rng = random.Random(13)
    total = int(args.rate * args.steady_seconds)
    ids = []
    started = time.monotonic()
    for i in range(total):
        due = started + i / args.rate
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        ticket, _ = ticket_create(
            client_app=app,
            new=NewTicket(
                subject=f"steady {i}",
                body="Hello",
                customer=NewCustomer(email=f"steady{i % 500}@example.com"),
                language=rng.choice(languages),
            ),
        )
        ids.append(ticket.id)
    achieved = total / (time.monotonic() - started)
    wait_for(lambda: Ticket.objects.filter(id__in=ids, assignee__isnull=True).count() == 0, 60)
    assigned = Ticket.objects.filter(id__in=ids, assignee__isnull=False).count()
    return {"assigned": assigned, "offered": total, "rate": achieved, **latencies(ids, None)}


def invariants() -> tuple[bool, str]:
    from django.db.models import Count, F, Q

    from supportdesk.agents.models import Agent
    from supportdesk.tickets.models import Ticket, TicketEvent

    drift = (
        Agent.objects.annotate(n=Count("tickets", filter=Q(tickets__status="open")))
        .exclude(load=F("n"))
        .count()
    )
    over = Agent.objects.filter(load__gt=F("capacity")).count()
    twice = (
        TicketEvent.objects.filter(kind="assigned")
        .values("ticket_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    lost = Ticket.objects.exclude(
        Q(assignee__isnull=False) | Q(status="new", assignee__isnull=True)
    ).count()
    ok = drift == over == twice == lost == 0
    return ok, f"load drift {drift}, over capacity {over}, assigned twice {twice}, lost {lost}"


def report(args: argparse.Namespace, noop: float, b: dict, s: dict, check: tuple) -> str:
    ok, detail = check
    lines = [
        "# Routing benchmark",
        "",
        "`.venv/bin/python benchmarks/routing/run.py` (defaults below). Machine: "
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        "PostgreSQL and Redis on 127.0.0.1; 2 Celery worker processes (`-c 1` each).",
        "",
        f"Hub: {args.agents} agents over {args.languages} languages (1 native + 0-2 fluent "
        "each), capacities 3-8.",
        "",
        "| phase | figure | value | target |",
        "| --- | --- | --- | --- |",
        f"| no-op baseline | Celery no-op tasks/s, end to end | {noop:.0f} | |",
        f"| burst | tickets | {args.burst} ({b['assigned']} assigned"
        f"{'' if b['complete'] else ', deadline hit'}) | |",
        f"| burst | assignments/s | {b['rate']:.0f} | >= 500 |",
        f"| burst | seconds (publish of {args.burst} messages: {b['publish_seconds']:.1f} s)"
        f" | {b['seconds']:.1f} | |",
        f"| burst | creation→assignment p50 / p95 / p99 ms | {b['p50']:.0f} / {b['p95']:.0f} /"
        f" {b['p99']:.0f} | (waits for capacity) |",
        f"| steady | offered tickets/s (through `ticket_create`) | {s['rate']:.1f} | 50 |",
        f"| steady | assigned / offered | {s['assigned']} / {s['offered']} | |",
        f"| steady | creation→assignment p50 / p95 / p99 ms | {s['p50']:.0f} / {s['p95']:.0f} /"
        f" {s['p99']:.0f} | p95 < 250 |",
        f"| end | invariants | {'OK' if ok else 'FAILED'}: {detail} | all zero |",
        "",
        "How: a route_ticket message drains its language's queue in order, up to 200 tickets",
        "per transaction (tickets locked SKIP LOCKED, one conditional capacity UPDATE per",
        "agent); a message for an already-assigned ticket is a one-query no-op; when nobody",
        "has room one UPDATE records why every waiting ticket of the language waits. During",
        "the burst a bench thread solves tickets held longer than 1 s (one transaction per",
        "batch, a fill_agent nudge per agent), so the hub's ~2,200 slots recycle.",
        "",
        "Two settings made the difference on this machine: workers keep their PostgreSQL",
        "connection between tasks (`CELERY_DB_REUSE_MAX` in config/celery.py; Celery's Django",
        "fixup otherwise reconnects around every task, ~5 ms each: 183 -> 546 assignments/s,",
        "steady p95 5.9 s -> 26 ms), and routing transactions commit with",
        "`synchronous_commit = off` (ADR 0003: a crash can only lose whole, recent",
        "assignments, which the sweep redoes). The burst figure includes publishing the 10,000",
        "messages from one process on the same 2 cores.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    args = parse()
    setup_django(args)
    import redis

    from config.celery import app as celery_app

    celery_app.conf.task_always_eager = False
    redis.Redis.from_url(args.broker_url).flushdb()
    languages = reset_and_seed(args)
    log_dir = Path(tempfile.gettempdir())
    workers = start_workers(args, log_dir)
    try:
        time.sleep(3)  # let the workers boot before timing anything
        noop = noop_baseline(args)
        print(f"no-op baseline: {noop:.0f} tasks/s")
        solver = Solver(hold=1.0)
        solver.start()
        b = burst(args, languages)
        print(f"burst: {b['assigned']} assigned in {b['seconds']:.1f} s = {b['rate']:.0f}/s; "
              f"p50 {b['p50']:.0f} ms p95 {b['p95']:.0f} ms p99 {b['p99']:.0f} ms")  # fmt: skip
        wait_for(lambda: queued(args) == 0, 120)  # the burst's leftover no-op messages
        s = steady(args, languages)
        print(f"steady {s['rate']:.1f}/s: {s['assigned']}/{s['offered']} assigned; "
              f"p50 {s['p50']:.0f} ms p95 {s['p95']:.0f} ms p99 {s['p99']:.0f} ms")  # fmt: skip
        solver.stop.set()
        solver.join(timeout=10)
        check = invariants()
        print(f"invariants: {'OK' if check[0] else 'FAILED'} ({check[1]})")
        Path(args.output).write_text(report(args, noop, b, s, check))
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=20)


if __name__ == "__main__":
    main()
