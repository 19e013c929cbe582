"""Publishing Celery messages after commit without ever failing the committed change.

The database is the truth and a message only a nudge (ADR 0002): when the broker is down the
publish is tried briefly, the failure is logged as a warning, and a periodic sweep does the
work later (routing sweep, webhook outbox sweep).
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from celery import Signature, Task
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


def publish(
    task: Task[..., object],
    args: tuple[object, ...],
    *,
    queue: str | None = None,
    then: Signature[object] | None = None,
) -> bool:
    """Send `task(*args)` now; False (and a warning) when the broker is unavailable. `then`
    rides in the same message and is sent by the worker once `task` has succeeded."""
    options: dict[str, Any] = {"retry": True, "retry_policy": dict(PUBLISH_RETRY)}
    if queue:  # else the queue comes from task_routes
        options["queue"] = queue
    if then is not None:
        options["link"] = then
    try:
        task.apply_async(args=args, **options)
    except BROKER_DOWN as exc:
        logger.warning("%s%r not published (broker unavailable: %s)", task.name, args, exc)
        return False
    return True


def publish_on_commit(task: Task[..., object], *args: object, queue: str | None = None) -> None:
    """`publish` once the surrounding transaction commits (at once outside a transaction).
    `robust`: in the embedded eager mode the task itself runs here, and its failure is logged
    and left to the sweeps; it must not turn the committed request into a 500."""
    transaction.on_commit(partial(publish, task, args, queue=queue), robust=True)
