"""Routing nudges published after commit. The database is the truth; a message only speeds
things up, so a broker that is down must never fail the request that committed the change:
the publish is tried briefly, a failure is logged as a warning, and the sweep routes later.
"""

from __future__ import annotations

from functools import partial

from celery import Signature, Task, current_app
from django.db import transaction

from supportdesk.core.publishing import publish


def routing_queue(language: str) -> str | None:
    """The per-language routing queue for `language`, when ROUTING_QUEUES_BY_LANGUAGE maps it
    (by exact tag or primary subtag); None means the task's own queue (`routing`)."""
    mapping: dict[str, str] = current_app.conf.get("routing_queues_by_language") or {}
    return mapping.get(language) or mapping.get(language.split("-", 1)[0])


def _publish(
    task_name: str, target_id: int, *, language: str = "", then: Signature[object] | None = None
) -> bool:
    from supportdesk.routing import tasks

    task: Task[[int], object] = (
        tasks.route_ticket_task if task_name == "route_ticket" else tasks.fill_agent_task
    )
    queue = (routing_queue(language) if language else None) or "routing"
    return publish(task, (target_id,), queue=queue, then=then)


def route_ticket_on_commit(
    *, ticket_id: int, language: str = "", then: Signature[object] | None = None
) -> None:
    """After the surrounding transaction commits, ask a worker to route the ticket; `then`
    (e.g. the customer's acknowledgement) follows once routing has run, in the same message."""
    transaction.on_commit(
        partial(_publish, "route_ticket", ticket_id, language=language, then=then)
    )


def fill_agent_on_commit(*, agent_id: int) -> None:
    """After the surrounding transaction commits, ask a worker to fill the agent's free room.
    (A duplicate nudge is harmless: the task is idempotent.)"""
    transaction.on_commit(partial(_publish, "fill_agent", agent_id))
