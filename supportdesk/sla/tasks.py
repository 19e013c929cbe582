from celery import shared_task
from django.db import OperationalError

from supportdesk.sla import services


@shared_task(
    name="sla.check",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=50,
    time_limit=60,
)
def sla_check_task(limit: int = 500) -> int:
    """Beat: mark missed SLA targets and escalate. Returns how many were marked."""
    return services.sla_check(limit=limit)
