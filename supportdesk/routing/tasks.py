"""Thin, idempotent routing tasks: a message is a nudge, the database decides (ADR 0002).

A duplicate, late or replayed message is a no-op; a lost one is made good by `sweep`.
`acks_late` + `reject_on_worker_lost`: a message whose worker was SIGKILLed is redelivered,
which is safe only because every task is idempotent; time limits stop a poisoned one.
Queues come from `task_routes` in config/celery.py (`routing.*` → `routing`): Celery 5.7
deprecates the `queue=` task attribute.
"""

from django.db import InterfaceError, OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from supportdesk.core.tasks import durable_task
from supportdesk.routing import services

TRANSIENT = (OperationalError, InterfaceError, RedisConnectionError)


@durable_task("routing.route_ticket", retry_for=TRANSIENT, limits=(20, 30))
def route_ticket_task(ticket_id: int) -> str:
    """Route the ticket (draining its language's queue in order). Returns the outcome."""
    return services.ticket_route(ticket_id=ticket_id).outcome


@durable_task("routing.route_tickets", retry_for=TRANSIENT, limits=(50, 60))
def route_tickets_task(ticket_ids: list[int]) -> int:
    """Route a batch of new tickets (intake's nudges, batched per web process). Returns how
    many were assigned by this task."""
    return sum(services.ticket_route(ticket_id=i).outcome == "assigned" for i in ticket_ids)


@durable_task("routing.fill_agent", retry_for=TRANSIENT, limits=(10, 20))
def fill_agent_task(agent_id: int) -> int:
    """Give an agent that gained room its next waiting tickets. Returns how many."""
    return services.agent_fill(agent_id=agent_id)


@durable_task("routing.sweep", retry_for=TRANSIENT, limits=(50, 60), backoff=(2, 30), max_retries=3)
def sweep_task() -> int:
    """Beat: route what no message reached. Returns how many tickets were assigned."""
    return services.route_waiting().assigned


@durable_task(
    "routing.reconcile", retry_for=TRANSIENT, limits=(50, 60), backoff=(2, 30), max_retries=3
)
def reconcile_task() -> int:
    """Beat: re-derive agent loads from open tickets. Returns how many agents drifted."""
    return len(services.reconcile_loads().drift)
