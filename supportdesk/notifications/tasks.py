"""Thin Celery tasks: e-mails on `notifications`, webhooks on `webhooks` (queues come from
the name prefix through `task_routes` in config/celery.py; Celery 5.7 deprecates `queue=`).

The database decides (DESIGN §1): a duplicate or late webhook message finds its delivery
done or locked; the beat sweep re-queues deliveries no message reached.
"""

from __future__ import annotations

from smtplib import SMTPException

from celery import Task, shared_task
from django.conf import settings
from django.db import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from supportdesk.notifications import services

TRANSIENT_MAIL = (SMTPException, ConnectionError, TimeoutError, OperationalError)
TRANSIENT_DB = (OperationalError, RedisConnectionError)


@shared_task(
    name="notifications.send_ticket_email",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_MAIL,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=30,
    time_limit=45,
)
def send_ticket_email_task(ticket_id: int, kind: str, message_id: int | None = None) -> bool:
    return services.email_send(ticket_id=ticket_id, kind=kind, message_id=message_id)


@shared_task(
    name="notifications.notify_managers",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_MAIL,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=30,
    time_limit=45,
)
def notify_managers_task(subject: str, body: str) -> int:
    return services.managers_notify(subject=subject, body=body)


@shared_task(
    bind=True,
    name="webhooks.deliver",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_DB,
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=None,  # the delivery row counts attempts (WEBHOOK_MAX_ATTEMPTS)
    soft_time_limit=60,
    time_limit=90,
)
def deliver_webhook_task(self: Task[[int], str], delivery_id: int) -> str:
    """One HTTP try. On a transient failure the row gets its next time and, with a broker,
    this message comes back then; eager (embedded) mode leaves the retry to the sweep."""
    outcome = services.webhook_deliver(delivery_id=delivery_id)
    if outcome.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in, max_retries=settings.WEBHOOK_MAX_ATTEMPTS)
    return outcome.status


@shared_task(
    name="webhooks.sweep",
    acks_late=True,
    soft_time_limit=20,
    time_limit=30,
)
def webhook_sweep_task(limit: int = 500) -> int:
    return services.webhook_sweep(limit=limit)
