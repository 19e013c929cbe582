"""Every Celery task's delivery guarantees, in one place (STYLE §2c).

`acks_late` + `reject_on_worker_lost`: a message whose worker died is redelivered — safe only
because every task is idempotent (the database decides). Retries with jittered exponential
backoff, on transient errors only. Soft and hard time limits stop a task that would otherwise
kill its worker again and again unseen. Queues come from `task_routes` in config/celery.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from celery import Task, shared_task

P = ParamSpec("P")
R = TypeVar("R")


def durable_task(
    name: str,
    *,
    retry_for: tuple[type[BaseException], ...],
    limits: tuple[int, int],
    backoff: tuple[int, int] = (2, 60),
    max_retries: int | None = 5,
    **options: Any,
) -> Callable[[Callable[P, R]], Task[P, R]]:
    """`name` is stable (a rename must not orphan queued messages); `limits` are the soft and
    hard time limits in seconds; `backoff` the first and largest retry delay."""
    decorator: Callable[[Callable[P, R]], Task[P, R]] = shared_task(
        name=name,
        acks_late=True,
        reject_on_worker_lost=True,
        autoretry_for=retry_for,
        retry_backoff=backoff[0],
        retry_backoff_max=backoff[1],
        retry_jitter=True,
        max_retries=max_retries,
        soft_time_limit=limits[0],
        time_limit=limits[1],
        **options,
    )
    return decorator
