from django.db import OperationalError

from supportdesk.core.tasks import durable_task
from supportdesk.sla import services


@durable_task("sla.check", retry_for=(OperationalError,), limits=(50, 60))
def sla_check_task(limit: int = 500) -> int:
    """Beat: mark missed SLA targets and escalate. Returns how many were marked."""
    return services.sla_check(limit=limit)
