"""Thin Celery tasks: e-mails on `notifications`, webhooks on `webhooks` (queues come from
the name prefix through `task_routes` in config/celery.py; Celery 5.7 deprecates `queue=`).

The database decides (DESIGN §1): a duplicate or late webhook message finds its delivery
done or locked; the beat sweep re-queues deliveries no message reached.
"""

from __future__ import annotations

from smtplib import SMTPException

from celery import Task
from django.conf import settings
from django.db import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from supportdesk.core.publishing import publish
from supportdesk.core.tasks import durable_task
from supportdesk.notifications import services
from supportdesk.notifications.services.customer_emails import ACKNOWLEDGEMENT

TRANSIENT_MAIL = (SMTPException, ConnectionError, TimeoutError, OperationalError)
TRANSIENT_DB = (OperationalError, RedisConnectionError)


@durable_task(
    "notifications.send_ticket_email", retry_for=TRANSIENT_MAIL, limits=(30, 45), backoff=(5, 600)
)
def send_ticket_email_task(ticket_id: int, kind: str, message_id: int | None = None) -> bool:
    return services.email_send(ticket_id=ticket_id, kind=kind, message_id=message_id)


@durable_task("notifications.email_sweep", retry_for=TRANSIENT_DB, limits=(20, 30))
def email_sweep_task(limit: int = 500) -> int:
    return services.email_sweep(limit=limit)


@durable_task("notifications.acknowledge_tickets", retry_for=TRANSIENT_DB, limits=(30, 45))
def acknowledge_tickets_task(ticket_ids: list[int]) -> int:
    """Fan a batch of new tickets out into one acknowledgement e-mail task each (each retries
    on its own, so a failing address never re-sends the others)."""
    for ticket_id in ticket_ids:
        publish(send_ticket_email_task, (ticket_id, ACKNOWLEDGEMENT))
    return len(ticket_ids)


@durable_task(
    "notifications.notify_managers", retry_for=TRANSIENT_MAIL, limits=(30, 45), backoff=(5, 600)
)
def notify_managers_task(subject: str, body: str) -> int:
    return services.managers_notify(subject=subject, body=body)


@durable_task(
    "webhooks.deliver",
    retry_for=TRANSIENT_DB,
    limits=(60, 90),
    max_retries=None,  # the delivery row counts attempts (WEBHOOK_MAX_ATTEMPTS)
    bind=True,
)
def deliver_webhook_task(self: Task[[int], str], delivery_id: int) -> str:
    """One HTTP try. On a transient failure the row gets its next time and, with a broker,
    this message comes back then; eager (embedded) mode leaves the retry to the sweep."""
    outcome = services.webhook_deliver(delivery_id=delivery_id)
    if outcome.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in, max_retries=settings.WEBHOOK_MAX_ATTEMPTS)
    return outcome.status


@durable_task("webhooks.sweep", retry_for=TRANSIENT_DB, limits=(20, 30))
def webhook_sweep_task(limit: int = 500) -> int:
    return services.webhook_sweep(limit=limit)
