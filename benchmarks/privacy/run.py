"""Privacy benchmark: a customer export's memory and time, streamed (the Celery task's code:
zipstream-ng, file by file) against a baseline that builds the same zip in memory with the
standard library, each in a fresh process on the same data; and the time of an erasure.

    .venv/bin/python benchmarks/privacy/run.py [--tickets 200] [--files 40] [--file-mb 2]

Seeds its own PostgreSQL database (BENCH_DATABASE_URL, default sd_bench_privacy) and media
folder, and writes benchmarks/results/privacy.md. Target: the streamed export's peak memory
stays flat (well under the export's size) while the baseline's grows with it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/sd_bench_privacy"
MEDIA = Path(tempfile.gettempdir()) / "sd-bench-privacy-media"
EMAIL = "bench.customer@example.org"


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--tickets", type=int, default=200)
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--file-mb", type=int, default=2)
    parser.add_argument("--mode", choices=["stream", "memory"], help=argparse.SUPPRESS)
    parser.add_argument("--job", help=argparse.SUPPRESS)
    parser.add_argument("--output", default=str(ROOT / "benchmarks/results/privacy.md"))
    return parser.parse_args()


def setup_django(database_url: str, *, migrate: bool) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["MEDIA_ROOT"] = str(MEDIA)
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["LOG_LEVEL"] = "WARNING"
    if migrate:
        import psycopg

        name = database_url.rsplit("/", 1)[1]
        admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def seed(args: argparse.Namespace, email: str) -> int:
    """One customer: tickets with three messages each, and files of random bytes."""
    import io

    from supportdesk.attachments.services import attachment_add
    from supportdesk.clients.models import ClientApplication
    from supportdesk.tickets.models import Customer, Message, Ticket

    app, _ = ClientApplication.objects.get_or_create(name="bench-app")
    customer = Customer.objects.create(client_app=app, email=email, name="Bench Customer")
    tickets = Ticket.objects.bulk_create(
        Ticket(client_app=app, customer=customer, subject=f"Question {n}", language="en",
               language_source="explicit", status="solved")
        for n in range(args.tickets)
    )  # fmt: skip
    Message.objects.bulk_create(
        Message(ticket=t, author_kind=kind, body=f"{kind} text " * 40)
        for t in tickets
        for kind in ("customer", "agent", "customer")
    )
    first = list(Message.objects.filter(ticket__customer=customer).order_by("id")[: args.files])
    for message in first:
        content = io.BytesIO(b"%PDF-1.4\n" + os.urandom(args.file_mb * 1024 * 1024))
        attachment_add(message=message, name="scan.pdf", content=content)
    return customer.pk


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def child(args: argparse.Namespace) -> None:
    """One measured export in this fresh process; prints a JSON line."""
    setup_django(args.database_url, migrate=False)
    import zipfile
    from io import BytesIO

    from supportdesk.core.holdings import all_holdings
    from supportdesk.privacy.models import ExportJob
    from supportdesk.privacy.services.export import export_entries, export_write

    job = ExportJob.objects.select_related("customer__client_app").get(pk=args.job)
    list(all_holdings())
    before, start = rss_mb(), time.perf_counter()
    if args.mode == "stream":
        export_write(job_id=args.job)
        size = ExportJob.objects.get(pk=args.job).size or 0
    else:  # baseline: every file read whole, the zip built in memory
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for entry in export_entries(job):
                content = entry.content
                whole = content if isinstance(content, bytes) else b"".join(content())
                archive.writestr(entry.name, whole)
        size = buffer.getbuffer().nbytes
    elapsed = time.perf_counter() - start
    print(json.dumps({"mode": args.mode, "seconds": elapsed, "size_mb": size / 2**20,
                      "peak_rss_mb": rss_mb(), "rss_before_mb": before}))  # fmt: skip


def measure(args: argparse.Namespace, mode: str, job: str) -> dict[str, float]:
    command = [sys.executable, __file__, "--mode", mode, "--job", job,
               "--database-url", args.database_url]  # fmt: skip
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    args = parse()
    if args.mode:
        child(args)
        return
    setup_django(args.database_url, migrate=True)
    from supportdesk.audit.services import SYSTEM
    from supportdesk.privacy.models import ExportJob
    from supportdesk.privacy.services.erasure import customer_erase
    from supportdesk.tickets.models import Customer

    customer_id = seed(args, EMAIL)
    customer = Customer.objects.get(pk=customer_id)
    jobs = [ExportJob.objects.create(client_app_id=customer.client_app_id, customer=customer)
            for _ in range(2)]  # fmt: skip
    stream = measure(args, "stream", str(jobs[0].pk))
    memory = measure(args, "memory", str(jobs[1].pk))
    start = time.perf_counter()
    erased = customer_erase(client_app_id=customer.client_app_id, email=EMAIL, actor=SYSTEM)
    erase_seconds = time.perf_counter() - start
    report(args, stream, memory, erase_seconds, erased.changes)


def report(args: argparse.Namespace, stream: dict[str, float], memory: dict[str, float],
           erase_seconds: float, changes: dict[str, int]) -> None:  # fmt: skip
    def grew(run: dict[str, float]) -> float:
        return run["peak_rss_mb"] - run["rss_before_mb"]

    lines = [
        "# Privacy benchmark",
        "",
        f"`.venv/bin/python benchmarks/privacy/run.py --tickets {args.tickets} --files "
        f"{args.files} --file-mb {args.file_mb}` on {platform.node()} "
        f"({os.cpu_count()} cores, Python {platform.python_version()}), PostgreSQL, files on "
        "the local file system.",
        "",
        f"One customer: {args.tickets} tickets with 3 messages each, {args.files} files of "
        f"{args.file_mb} MB (random bytes). Each export runs in a fresh process.",
        "",
        "| export | time (s) | zip (MB) | peak RSS (MB) | growth over the process's peak "
        "before the export (MB) |",
        "| --- | --- | --- | --- | --- |",
        f"| streamed (zipstream-ng, the task's code) | {stream['seconds']:.2f} | "
        f"{stream['size_mb']:.1f} | {stream['peak_rss_mb']:.1f} | {grew(stream):.1f} |",
        f"| baseline: the same zip built in memory | {memory['seconds']:.2f} | "
        f"{memory['size_mb']:.1f} | {memory['peak_rss_mb']:.1f} | {grew(memory):.1f} |",
        "",
        f"Erasure of that customer: {erase_seconds:.2f} s ({json.dumps(changes, sort_keys=True)}).",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    Path(args.output).write_text(text)


if __name__ == "__main__":
    main()
