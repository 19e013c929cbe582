"""Thin Celery tasks, on the `notifications` queue (after-commit side work; the route of
`attachments.*` is in config/celery.py). Both are idempotent: the database decides."""

from __future__ import annotations

from django.db import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from supportdesk.core.tasks import durable_task

TRANSIENT = (OperationalError, RedisConnectionError)


@durable_task("attachments.make_thumbnail", retry_for=TRANSIENT, limits=(30, 45))
def make_thumbnail_task(attachment_id: str) -> bool:
    from supportdesk.attachments.services import thumbnail_make

    return thumbnail_make(attachment_id=attachment_id)


@durable_task("attachments.sweep_orphans", retry_for=TRANSIENT, limits=(300, 360))
def sweep_orphans_task() -> int:
    from supportdesk.attachments.services import attachments_sweep_orphans

    return attachments_sweep_orphans()
