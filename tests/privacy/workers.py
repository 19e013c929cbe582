"""A real Celery worker on the `privacy` queue, for the tests whose behaviour depends on one."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

from tests.redis_urls import redis_url
from tests.routing.conftest import ROOT, Worker, database_url, wait_until

BROKER = redis_url(11)  # this suite's own Redis database


def flush_broker() -> None:
    client = redis.Redis.from_url(BROKER)
    client.flushdb()
    client.close()


@contextmanager
def privacy_worker(tmp_path: Path, media: Path, name: str = "w", **env: str) -> Iterator[Worker]:
    log = tmp_path / f"privacy-{name}.log"
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "privacy",
        "-c", "1", "-P", "prefork", "-l", "INFO", "-n", f"privacy-{os.getpid()}-{name}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "CELERY_BROKER_URL": BROKER,
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(media),
        "CONN_MAX_AGE": "0",
        **env,
    }
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    worker = Worker(process, log)
    try:
        wait_until(
            lambda: b" ready." in log.read_bytes() or process.poll() is not None,
            seconds=60,
            what="the Celery worker to start",
        )
        assert process.poll() is None, log.read_text()
        yield worker
    finally:
        worker.stop()
