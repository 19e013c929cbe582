"""Publishing Celery messages after commit without ever failing the committed change.

The database is the truth and a message only a nudge (ADR 0002): when the broker is down the
publish is tried briefly, the failure is logged as a warning, and a periodic sweep does the
work later (routing sweep, webhook outbox sweep).

A task a module may not import (a higher layer's, or one whose tasks module imports the caller
back) is published by its stable name (`task_named`, ADR 0017).
"""

from __future__ import annotations

import logging
import threading
import traceback
from functools import partial
from typing import Any

from celery import Signature, Task, current_app
from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_discovery = threading.Lock()

BROKER_DOWN = (KombuOperationalError, RedisConnectionError, RedisTimeoutError, ConnectionError)
# a short retry: the web request must answer quickly when the broker is away
PUBLISH_RETRY: dict[str, float] = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}


def task_named(name: str) -> Task[..., object]:
    """The task registered as `name`. Workers import every tasks module when they start; any
    other process (the web, eager mode) imports them here, on the first name it does not know.

    One thread discovers at a time: Celery's discovery returns at once, importing nothing, to
    a thread that calls it while another is inside it, and that thread's lookup then failed
    (NotRegistered, a 500 after the commit) in a threaded web worker's first requests."""
    if name not in current_app.tasks:
        with _discovery:
            if name not in current_app.tasks:
                current_app.autodiscover_tasks(force=True)
    task: Task[..., object] = current_app.tasks[name]
    return task


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
        # the name, never the arguments: they may be subjects or e-mail addresses
        logger.warning("%s not published (broker unavailable: %s)", task.name, exc)
        return False
    return True


def publish_on_commit(
    task: Task[..., object] | str, *args: object, queue: str | None = None
) -> None:
    """`publish` once the surrounding transaction commits (at once outside a transaction);
    a `str` names the task (`task_named`). `robust`: in the embedded eager mode the task itself
    runs here, and its failure is logged and left to the sweeps; it must not turn the
    committed request into a 500."""
    task = task_named(task) if isinstance(task, str) else task
    transaction.on_commit(partial(_publish_committed, task, args, queue), robust=True)


def _publish_committed(
    task: Task[..., object], args: tuple[object, ...], queue: str | None
) -> None:
    """`publish`, logging an eager task's failure by the task's name, the exception's class and
    the traceback's frames: an exception's text may quote the arguments (a subject, an e-mail
    address), so it is left out (as is Django's own robust on_commit log, which quotes it)."""
    try:
        publish(task, args, queue=queue)
    except Exception as exc:  # noqa: BLE001 - an eager task's failure: the sweeps take over
        logger.error(
            "%s failed after the commit (%s); the periodic sweeps take it over\n%s",
            task.name,
            type(exc).__name__,
            failure_frames(exc),
        )


def failure_frames(exc: BaseException) -> str:
    """Where `exc` was raised (the traceback's frames) without its text, which may quote task
    arguments or recipients (`SMTPRecipientsRefused` lists the addresses)."""
    return "".join(traceback.format_tb(exc.__traceback__)).rstrip()
