"""Routing nudges published after commit. The database is the truth; a message only speeds
things up, so a broker that is down must never fail the request that committed the change:
the publish is tried briefly, a failure is logged as a warning, and the sweep routes later.
"""

from __future__ import annotations

import logging
from functools import partial

from celery import Task, current_app
from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

BROKER_DOWN = (KombuOperationalError, RedisConnectionError, RedisTimeoutError, ConnectionError)
# a short retry: the web request must answer quickly when the broker is away
PUBLISH_RETRY: dict[str, float] = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}


def routing_queue(language: str) -> str | None:
    """The per-language routing queue for `language`, when ROUTING_QUEUES_BY_LANGUAGE maps it
    (by exact tag or primary subtag); None means the task's own queue (`routing`)."""
    mapping: dict[str, str] = current_app.conf.get("routing_queues_by_language") or {}
    return mapping.get(language) or mapping.get(language.split("-", 1)[0])


def _publish(task_name: str, target_id: int, *, language: str = "") -> bool:
    from supportdesk.routing import tasks

    task: Task[[int], object] = (
        tasks.route_ticket_task if task_name == "route_ticket" else tasks.fill_agent_task
    )
    queue = (routing_queue(language) if language else None) or "routing"
    try:
        task.apply_async(
            args=(target_id,), queue=queue, retry=True, retry_policy=dict(PUBLISH_RETRY)
        )
    except BROKER_DOWN as exc:
        logger.warning(
            "routing nudge %s(%s) not published (broker unavailable: %s); the sweep will do it",
            task_name,
            target_id,
            exc,
        )
        return False
    return True


def route_ticket_on_commit(*, ticket_id: int, language: str = "") -> None:
    """After the surrounding transaction commits, ask a worker to route the ticket."""
    transaction.on_commit(partial(_publish, "route_ticket", ticket_id, language=language))


def fill_agent_on_commit(*, agent_id: int) -> None:
    """After the surrounding transaction commits, ask a worker to fill the agent's free room.
    (A duplicate nudge is harmless: the task is idempotent.)"""
    transaction.on_commit(partial(_publish, "fill_agent", agent_id))


def publish_on_commit(task: Task[..., object], *args: object) -> None:
    """`task.delay_on_commit(*args)` that survives a broker outage: for any follow-up whose
    loss is made good by a periodic sweep (a failed publish is logged, not raised)."""

    def publish() -> None:
        try:
            task.apply_async(args=args, retry=True, retry_policy=dict(PUBLISH_RETRY))
        except BROKER_DOWN as exc:
            logger.warning("%s%r not published (broker unavailable: %s)", task.name, args, exc)

    transaction.on_commit(publish)
