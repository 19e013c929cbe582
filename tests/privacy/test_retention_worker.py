"""Retention with real Celery workers: batches stay bounded, and a worker killed (SIGKILL) in
the middle of a batch leaves that batch untouched for the next worker to finish."""

from __future__ import annotations

import os
import signal
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from supportdesk.audit.models import AuditAction, AuditRecord
from supportdesk.core.publishing import task_named
from supportdesk.privacy.models import TicketAnonymisation
from supportdesk.tickets.models import Ticket
from tests.factories import MessageFactory, TicketFactory
from tests.privacy.workers import BROKER, flush_broker, privacy_worker
from tests.routing.conftest import database_url, publishing_to, wait_until

BATCH = 5


def _expired_tickets(count: int) -> list[Ticket]:
    tickets = []
    for _ in range(count):
        ticket = TicketFactory(
            status="solved", solved_at=timezone.now() - timedelta(days=800), subject="private"
        )
        MessageFactory(ticket=ticket, body="a secret story")
        tickets.append(ticket)
    return tickets


def _run_retention() -> None:
    with publishing_to(BROKER):
        task_named("privacy.retention").apply_async()


def _blocked_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        )
        return bool(cursor.fetchone()[0])


def _other_transactions() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
        )
        return int(cursor.fetchone()[0])


@pytest.mark.celery
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_batches_are_bounded_and_a_killed_worker_loses_only_its_open_batch(
    tmp_path: Path, attachment_media: Path
) -> None:
    # given 12 expired tickets, and the customer of the 7th (in the second batch) locked by
    # another transaction, so that the second batch stops midway
    tickets = _expired_tickets(12)
    flush_broker()
    blocker = psycopg.connect(database_url(), autocommit=False)
    blocker.execute(
        "SELECT id FROM tickets_customer WHERE id = %s FOR UPDATE", [tickets[6].customer_id]
    )
    env = {"RETENTION_BATCH_SIZE": str(BATCH)}
    try:
        with privacy_worker(tmp_path, attachment_media, "first", **env) as first:
            _run_retention()
            # when the first batch has committed and the second waits for the lock
            wait_until(
                lambda: TicketAnonymisation.objects.count() == BATCH and _blocked_on_a_lock(),
                seconds=60,
                what="the first batch, then the second blocked",
            )
            # and the worker is killed
            os.killpg(first.process.pid, signal.SIGKILL)
            first.process.wait(timeout=10)
    finally:
        blocker.rollback()
        blocker.close()
    wait_until(lambda: _other_transactions() == 0, seconds=30, what="the dead batch to end")

    # then the second batch left nothing half done
    assert TicketAnonymisation.objects.count() == BATCH
    second_batch = Ticket.objects.filter(pk__in=[t.pk for t in tickets[BATCH : 2 * BATCH]])
    assert set(second_batch.values_list("subject", flat=True)) == {"private"}

    # when a new worker runs retention again, then it finishes the work
    with privacy_worker(tmp_path, attachment_media, "second", **env):
        _run_retention()
        wait_until(
            lambda: TicketAnonymisation.objects.count() == len(tickets),
            seconds=60,
            what="every ticket anonymised",
        )
    assert set(Ticket.objects.values_list("subject", flat=True)) == {""}
    batches = [
        record.detail["tickets"]
        for record in AuditRecord.objects.filter(action=AuditAction.RETENTION)
    ]
    assert all(len(batch) <= BATCH for batch in batches)
    assert sorted(pk for batch in batches for pk in batch) == sorted(t.pk for t in tickets)
