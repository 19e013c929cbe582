"""Real Celery workers and private Redis servers for the routing integration tests.

Workers are `celery -A config worker` subprocesses pointed at the pytest-django TEST database
(tests using them are transactional, so the worker sees committed rows) and at a Redis on
127.0.0.1. Every wait is a deadline loop; every process started here is stopped at teardown.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from django.db import connection
from kombu import pools as kombu_pools

from config.celery import app as celery_app
from supportdesk.core.batching import batcher
from tests.redis_urls import redis_url

ROOT = Path(__file__).resolve().parents[2]
SHARED_REDIS = redis_url(3)  # this suite's Redis DB (helper H3)


def wait_until(predicate: Callable[[], bool], *, seconds: float, what: str) -> None:
    """Poll `predicate` until it holds; fail after `seconds` (a deadline, not a sleep)."""
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds}s waiting for {what}")
        time.sleep(0.1)


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}"
    )


def _reset_publisher() -> None:
    kombu_pools.reset()  # closes and forgets every pooled broker connection of this process
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def publishing_to(url: str) -> Iterator[None]:
    """This test process publishes to a real broker (the test settings make tasks eager)."""
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url)
    conf.task_always_eager, conf.broker_url = False, url
    _reset_publisher()
    try:
        yield
    finally:
        batcher.flush()  # intake's nudges leave from a background thread
        conf.task_always_eager, conf.broker_url = saved
        _reset_publisher()


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: Path

    def kill(self) -> None:
        """SIGKILL the worker and its pool children (one process group)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


StartWorker = Callable[..., Worker]


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[StartWorker]:
    """Start `celery -A config worker` subprocesses; `beat=True` embeds beat (sweep every
    ROUTING_SWEEP_SECONDS=1). All are stopped at teardown."""
    started: list[Worker] = []

    def start(*, broker: str = SHARED_REDIS, beat: bool = False, **env: str) -> Worker:
        n = len(started)
        log = tmp_path / f"worker{n}.log"
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "-Q", "routing", "-c", "2", "-P", "prefork", "-l", "INFO",
            "-n", f"h3-{os.getpid()}-{n}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        if beat:
            command += [
                "-B",
                "-s",
                str(tmp_path / f"beat{n}"),
                "--scheduler",  # (the worker's -S is --statedb)
                "celery.beat:PersistentScheduler",
            ]
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "CELERY_BROKER_URL": broker,
            "DATABASE_URL": database_url(),
            "ROUTING_SWEEP_SECONDS": "1",
            "CONN_MAX_AGE": "0",
            **env,
        }
        with log.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                command, cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        worker = Worker(process, log)
        started.append(worker)
        wait_until(
            lambda: b" ready." in log.read_bytes() or process.poll() is not None,
            seconds=60,
            what="the Celery worker to start",
        )
        assert process.poll() is None, log.read_text()
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def shared_redis() -> Iterator[str]:
    client = redis.Redis.from_url(SHARED_REDIS)
    client.flushdb()
    yield SHARED_REDIS
    client.flushdb()
    client.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class PrivateRedis:
    port: int
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "redis-server"
        self.process = subprocess.Popen(  # noqa: S603 - a local redis-server we own
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(host="127.0.0.1", port=self.port)

        def up() -> bool:
            try:
                return bool(client.ping())
            except redis.ConnectionError:
                return False

        wait_until(up, seconds=10, what="the private redis-server")
        client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(port=free_port(), directory=tmp_path)
    server.start()
    yield server
    server.stop()
