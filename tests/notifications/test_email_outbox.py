"""The customer e-mail outbox: every acknowledgement and reply e-mail leaves exactly once,
also when the broker was down while they were owed (a real worker, a private redis-server
stopped and restarted, a real SMTP server)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from email.message import Message as MimeMessage
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from supportdesk.clients.services import api_key_create
from supportdesk.notifications import services
from supportdesk.notifications.models import EmailDelivery, EmailStatus
from supportdesk.tickets.commands import NewCustomer, NewTicket
from supportdesk.tickets.services import ticket_create, ticket_reply
from tests.factories import AgentFactory, TicketFactory
from tests.routing.conftest import (
    PrivateRedis,
    database_url,
    free_port,
    publishing_to,
    wait_until,
)

ROOT = Path(__file__).resolve().parents[2]


def test_an_email_is_sent_once_however_often_it_is_asked_for(
    db: None, smtp_server: list[MimeMessage]
) -> None:
    ticket = TicketFactory()
    assert services.email_send(ticket_id=ticket.pk, kind="acknowledgement")
    assert not services.email_send(ticket_id=ticket.pk, kind="acknowledgement")
    assert len(smtp_server) == 1
    assert EmailDelivery.objects.get().status == EmailStatus.SENT


def test_the_sweep_sends_what_no_message_delivered_and_nothing_twice(
    db: None,
    smtp_server: list[MimeMessage],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    # given a ticket whose acknowledgement was never published, one too old to be sent late,
    # and a reply whose outbox row is still pending
    owed = TicketFactory(created_at=timezone.now() - timedelta(minutes=10))
    TicketFactory(created_at=timezone.now() - timedelta(days=3))
    agent = AgentFactory()
    reply = ticket_reply(ticket_id=owed.pk, body="Hallo", internal=False, actor=agent)
    EmailDelivery.objects.filter(kind="reply").update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    # when the sweep runs twice (eager: each queued task sends at once)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.email_sweep() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.email_sweep() == 0
    # then each owed e-mail left once
    assert len(smtp_server) == 2
    assert set(EmailDelivery.objects.values_list("kind", "message_id", "status")) == {
        ("acknowledgement", 0, "sent"),
        ("reply", reply.pk, "sent"),
    }


def _worker(tmp_path: Path, broker: str, smtp_port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "EMAIL_SWEEP_SECONDS": "1",
        "EMAIL_SWEEP_GRACE_SECONDS": "0",
        "ROUTING_SWEEP_SECONDS": "3600",
        "SLA_CHECK_SECONDS": "3600",
        "WEBHOOK_SWEEP_SECONDS": "3600",
        "CONN_MAX_AGE": "0",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-B",
        "--scheduler", "celery.beat:PersistentScheduler", "-s", str(tmp_path / "beat"),
        "-Q", "routing,notifications", "-c", "1", "-n", f"outbox-{os.getpid()}@%h",
        "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "INFO",
    ]  # fmt: skip
    with (tmp_path / "worker.log").open("wb") as log:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


@pytest.fixture
def outbox_broker(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(port=free_port(), directory=tmp_path)
    server.start()
    yield server
    server.stop()


def _new_ticket(n: int) -> NewTicket:
    return NewTicket(
        subject=f"Pakket {n} kwijt",
        body="Mijn pakket is niet aangekomen.",
        customer=NewCustomer(email=f"klant{n}@example.nl", locale="nl-NL"),
        language="nl",
    )


def _empty_sweeps(log: Path) -> int:
    pattern = rb"notifications\.email_sweep\[[^\]]+\] succeeded in [0-9.]+s: 0\b"
    return len(re.findall(pattern, log.read_bytes()))


@pytest.mark.celery
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_broker_stopped_and_restarted_every_email_arrives_exactly_once(
    outbox_broker: PrivateRedis, smtp_server: list[MimeMessage], tmp_path: Path
) -> None:
    app, _key = api_key_create(name="help-centre")
    agent = AgentFactory()
    worker = _worker(tmp_path, outbox_broker.url, settings.EMAIL_PORT)  # smtp_server's port
    log = tmp_path / "worker.log"
    try:
        wait_until(lambda: b" ready." in log.read_bytes(), seconds=60, what="the worker")
        with publishing_to(outbox_broker.url):
            # given one ticket while the broker is up
            first, _ = ticket_create(client_app=app, new=_new_ticket(1))
            # when the broker stops, and two tickets and a reply happen meanwhile
            outbox_broker.stop()
            second, _ = ticket_create(client_app=app, new=_new_ticket(2))
            third, _ = ticket_create(client_app=app, new=_new_ticket(3))
            ticket_reply(ticket_id=first.pk, body="We zoeken het uit.", internal=False, actor=agent)
            # and comes back
            outbox_broker.start()
        # then every e-mail arrives, and later sweeps find nothing more to send
        wait_until(lambda: len(smtp_server) >= 4, seconds=90, what="four e-mails")
        done = _empty_sweeps(log)
        wait_until(lambda: _empty_sweeps(log) >= done + 2, seconds=30, what="two empty sweeps")
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
    received = sorted((m["X-Supportdesk-Ticket"], m["To"]) for m in smtp_server)
    assert received == sorted(
        [
            (first.reference, "klant1@example.nl"),
            (first.reference, "klant1@example.nl"),
            (second.reference, "klant2@example.nl"),
            (third.reference, "klant3@example.nl"),
        ]
    )
    assert not EmailDelivery.objects.exclude(status=EmailStatus.SENT).exists()
