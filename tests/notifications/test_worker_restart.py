"""No webhook delivery is lost when a Celery worker dies mid-delivery: a real worker over
Redis DB 7, killed with SIGKILL while the receiver holds its request, then restarted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.db import connection, transaction

from config.celery import app
from supportdesk.notifications import services
from supportdesk.notifications.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tests.factories import TicketFactory
from tests.notifications.conftest import Receiver
from tests.redis_urls import redis_url

pytestmark = [pytest.mark.celery, pytest.mark.slow]

REDIS_URL = redis_url(7)
ROOT = Path(__file__).resolve().parents[2]


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture
def broker() -> Iterator[None]:
    """This process sends its messages to Redis DB 7 instead of running them eagerly."""
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=REDIS_URL, task_always_eager=False)
    try:
        yield
    finally:
        app.conf.update(saved)
        app.close()
        client.flushdb()
        client.close()


@contextmanager
def worker(tmp_path: Path, name: str) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "WEBHOOK_SWEEP_SECONDS": "1",
        "WEBHOOK_SWEEP_GRACE_SECONDS": "2",
        "WEBHOOK_RETRY_BASE_SECONDS": "1",
        "WEBHOOK_TIMEOUT_SECONDS": "20",
        "WEBHOOK_ALLOW_PRIVATE_URLS": "true",
        "SLA_CHECK_SECONDS": "3600",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-B",
        "--scheduler", "celery.beat:PersistentScheduler",
        "-s", str(tmp_path / f"beat-{name}"),
        "-Q", "webhooks,notifications", "-c", "1", "-n", f"{name}@%h",
        "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING",
    ]  # fmt: skip
    log = (tmp_path / f"{name}.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        log.close()


def _database_url() -> str:
    settings = connection.settings_dict
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_delivery_is_lost_when_the_worker_is_killed_mid_delivery(
    broker: None, receiver: Receiver, tmp_path: Path
) -> None:
    # given a receiver that holds the first request it gets
    receiver.hold_first = threading.Event()
    tickets = [TicketFactory(), TicketFactory()]
    client_app = tickets[0].client_app
    tickets[1].client_app = client_app
    tickets[1].save(update_fields=["client_app"])
    WebhookEndpoint.objects.create(client_app=client_app, url=receiver.url)
    # and six events over two tickets, queued on commit to Redis
    with transaction.atomic():
        for event in ("ticket.created", "ticket.assigned", "ticket.solved"):
            for ticket in tickets:
                services.webhook_emit(ticket=ticket, event=event)
    emitted = list(WebhookDelivery.objects.order_by("id").values_list("event_id", "ticket_id"))

    # when the worker is killed (SIGKILL) while its first request hangs, and restarted
    with worker(tmp_path, "first") as first:
        assert receiver.wait_for(1, timeout=60), (tmp_path / "first.log").read_text()
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    receiver.hold_first.set()
    with worker(tmp_path, "second"):
        # then every delivery is eventually delivered
        wait_until(
            lambda: not WebhookDelivery.objects.exclude(status=DeliveryStatus.DELIVERED).exists(),
            timeout=60,
            what="all deliveries delivered",
        )

    received = [json.loads(r.body) for r in receiver.requests]
    assert {str(event_id) for event_id, _ in emitted} <= {p["id"] for p in received}
    # and, per ticket, the first arrival of each event is in the order it happened
    for ticket in tickets:
        seen = list(
            dict.fromkeys(
                p["event"] for p in received if p["ticket"]["id"] == str(ticket.public_id)
            )
        )
        assert seen == ["ticket.created", "ticket.assigned", "ticket.solved"]
