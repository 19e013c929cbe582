"""Where a web worker's CPU goes on a ticket with a file, beside a JSON ticket: the WSGI app
called in this process (no server, no client), each request kind `--requests` times, CPU time
per request (`time.process_time`), then a cProfile of the multipart requests.

    .venv/bin/python benchmarks/attachments/cpu_profile.py [--requests 200] [--file-mb 1]
                                                          [--top 30] [--redis-url URL]

Creates (and drops afterwards) the database `sd_bench_attachments_profile` and a temporary
MEDIA_ROOT. Prints only; writes no results file (benchmarks/attachments/run.py does).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.attachments.load import BOUNDARY, Job, json_body, multipart_body, pdf_of  # noqa: E402

MB = 1024 * 1024


def _environ(body: bytes, content_type: str, api_key: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/v1/tickets/",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT": "application/json",
        "HTTP_AUTHORIZATION": f"Api-Key {api_key}",
        "HTTP_IDEMPOTENCY_KEY": f"profile-{uuid.uuid4().hex}",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def _call(app: Callable[..., Any], environ: dict[str, Any]) -> str:
    status: list[str] = []
    for _chunk in app(environ, lambda s, h, e=None: status.append(s)):
        pass
    return status[0]


def _run(app: Callable[..., Any], make: Callable[[int], dict[str, Any]], count: int) -> float:
    """CPU seconds per request over `count` requests (all must be 201)."""
    environs = [make(n) for n in range(count)]
    start = time.process_time()
    for environ in environs:
        status = _call(app, environ)
        if not status.startswith("201"):
            raise SystemExit(f"unexpected status {status}")
    return (time.process_time() - start) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--file-mb", type=float, default=1.0)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="tottime", help="a pstats sort key: tottime, cumulative")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="sd_bench_attachments_profile")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/1")
    args = parser.parse_args()

    import psycopg

    media = tempfile.mkdtemp(prefix="sd-profile-media-")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"{args.postgres}/{args.database}",
            "SECRET_KEY": "benchmark-only-secret",
            "DEBUG": "0",
            "CELERY_BROKER_URL": args.redis_url,
            "CACHE_URL": args.redis_url,
            "API_THROTTLE_RATE": "1000000/min",
            "LOG_LEVEL": "WARNING",
            "MEDIA_ROOT": media,
        }
    )
    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.database}"')
    try:
        _profile(args)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        shutil.rmtree(media, ignore_errors=True)


def _profile(args: argparse.Namespace) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from config.wsgi import application
    from supportdesk.clients.services import api_key_create

    _app, key = api_key_create(name="profile")
    job = Job(port=0, api_key=key, kind="multipart", duration=0, seed=1)
    file = pdf_of(int(args.file_mb * MB), 1)
    multipart_type = f"multipart/form-data; boundary={BOUNDARY}"

    def as_json(n: int) -> dict[str, Any]:
        return _environ(json_body(job, n), "application/json", key)

    def as_multipart(n: int) -> dict[str, Any]:
        return _environ(multipart_body(job, n, file), multipart_type, key)

    _run(application, as_json, 20)  # warm-up: imports, connections, caches
    _run(application, as_multipart, 20)
    json_cpu = _run(application, as_json, args.requests)
    multipart_cpu = _run(application, as_multipart, args.requests)
    print(
        json.dumps(
            {
                "json_cpu_ms": round(1000 * json_cpu, 3),
                "multipart_cpu_ms": round(1000 * multipart_cpu, 3),
                "ratio": round(multipart_cpu / json_cpu, 2),
            }
        )
    )
    profile = cProfile.Profile()
    profile.enable()
    _run(application, as_multipart, args.requests)
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).sort_stats(args.sort)
    stats.print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
