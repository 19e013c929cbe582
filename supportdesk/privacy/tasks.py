"""Thin Celery tasks on the `privacy` queue (route in config/celery.py). Idempotent: the
database decides (an export is written once, a retention batch takes only what is due)."""

from __future__ import annotations

from django.db import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from supportdesk.core.tasks import durable_task

TRANSIENT = (OperationalError, RedisConnectionError)


@durable_task("privacy.export", retry_for=TRANSIENT, limits=(1800, 1900))
def export_task(job_id: str) -> bool:
    from supportdesk.privacy.services.export import export_write

    return export_write(job_id=job_id)


@durable_task("privacy.retention", retry_for=TRANSIENT, limits=(240, 300))
def retention_task() -> int:
    from supportdesk.privacy.services.export import exports_expire
    from supportdesk.privacy.services.retention import retention_run

    exports_expire()
    return retention_run(seconds=120)
