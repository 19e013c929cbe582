"""The admin's "Fetch new mail now" runs in the web process, which (README) holds no mailbox
secret: it queues the fetch for a real Celery worker (Redis broker) that has the secret, and
leaves the mailbox's last error alone."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from supportdesk.mail.models import Mailbox
from supportdesk.tickets.models import Ticket
from tests.mail.conftest import SECRET_ENV
from tests.mail.imap import ImapServer
from tests.mail.messages import mail
from tests.redis_urls import redis_url
from tests.routing.conftest import publishing_to

pytestmark = [pytest.mark.celery, pytest.mark.slow]

BROKER = redis_url(12)
ROOT = Path(__file__).resolve().parents[2]


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture
def broker() -> Iterator[redis.Redis]:
    """This process publishes to Redis instead of running tasks eagerly."""
    client = redis.Redis.from_url(BROKER)
    client.flushdb()
    try:
        with publishing_to(BROKER):
            yield client
    finally:
        client.flushdb()
        client.close()


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}{password}@{host}/{db['NAME']}"


@contextmanager
def worker(tmp_path: Path, secret: str) -> Iterator[Path]:
    """A Celery worker on the notifications queue whose environment holds the secret."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER,
        "CONN_MAX_AGE": "0",
        SECRET_ENV: secret,
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "notifications",
        "-c", "1", "-n", f"mailgaps-{os.getpid()}@%h",
        "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "INFO",
    ]  # fmt: skip
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        yield log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fetch_now_is_done_by_a_worker_not_by_the_web_process(
    broker: redis.Redis,
    imap_server: ImapServer,
    imap_mailbox: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # given an unseen message, and a web process without the mailbox's secret (README)
    imap_server.append(mail(subject="fetched by the worker"))
    secret = os.environ[SECRET_ENV]
    monkeypatch.delenv(SECRET_ENV)
    manager = get_user_model().objects.create_superuser("root", "root@hub.example", "x" * 16)
    client = Client()
    client.force_login(manager)
    # when an administrator asks for a fetch
    answer = client.post(
        reverse("admin:mail_mailbox_changelist"),
        {"action": "fetch_now", "_selected_action": [imap_mailbox.pk]},
        follow=True,
    )
    # then the web process only queued it: nothing read, no error written over the status
    assert any("fetch requested" in str(message) for message in answer.context["messages"])
    imap_mailbox.refresh_from_db()
    assert (imap_mailbox.last_fetch_at, imap_mailbox.last_error) == (None, "")
    assert imap_server.unseen() == 1
    assert broker.llen("notifications") == 1
    # and a worker, which holds the secret, fetches it
    with worker(tmp_path, secret) as log:
        wait_until(
            lambda: Mailbox.objects.filter(
                pk=imap_mailbox.pk, last_fetch_at__isnull=False
            ).exists(),
            timeout=60,
            what=f"the worker's fetch:\n{log.read_text()}",
        )
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.last_error == ""
    assert Ticket.objects.get().subject == "fetched by the worker"
    assert imap_server.unseen() == 0
