"""Queue notification tasks after commit without ever failing the committed change: a broker
that is down is logged; webhook deliveries are then picked up by the sweep (they are rows),
customer e-mails are lost (they have no outbox; see docs/subsystems/sla-and-notifications.md)."""

from __future__ import annotations

import logging
from functools import partial

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

BROKER_DOWN = (KombuOperationalError, RedisConnectionError, RedisTimeoutError, ConnectionError)
PUBLISH_RETRY: dict[str, float] = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}


def _publish(task: Task[..., object], args: tuple[object, ...]) -> None:
    try:
        task.apply_async(args=args, retry=True, retry_policy=dict(PUBLISH_RETRY))
    except BROKER_DOWN as exc:
        logger.warning("%s%s not published (%s); the sweep may retry it", task.name, args, exc)


def on_commit(task: Task[..., object], *args: object) -> None:
    """Publish `task(*args)` once the surrounding transaction commits (now, outside one)."""
    transaction.on_commit(partial(_publish, task, args))
