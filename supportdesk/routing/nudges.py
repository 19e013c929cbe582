"""Routing nudges published after commit. The database is the truth; a message only speeds
things up, so a broker that is down must never fail the request that committed the change:
the publish is tried briefly, a failure is logged as a warning, and the sweep routes later.
Tasks are named, not imported: the tasks module imports the services that call these nudges.
"""

from __future__ import annotations

from functools import partial

from celery import Task, current_app
from django.db import transaction

from supportdesk.core.batching import Kind, batcher
from supportdesk.core.publishing import publish_on_commit, task_named
from supportdesk.languages.subtags import primary


def routing_queue(language: str) -> str | None:
    """The per-language routing queue for `language`, when ROUTING_QUEUES_BY_LANGUAGE maps it
    (by exact tag or primary subtag); None means the task's own queue (`routing`)."""
    mapping: dict[str, str] = current_app.conf.get("routing_queues_by_language") or {}
    return mapping.get(language) or mapping.get(primary(language))


def _queue(language: str) -> str:
    return (routing_queue(language) if language else None) or "routing"


def route_ticket_on_commit(*, ticket_id: int, language: str = "") -> None:
    """After the surrounding transaction commits, ask a worker to route the ticket."""
    publish_on_commit("routing.route_ticket", ticket_id, queue=_queue(language))


def route_new_ticket_on_commit(
    *, ticket_id: int, language: str, then: Task[..., object] | None = None
) -> None:
    """After commit, hand a new ticket to this process's nudge batcher (ADR 0009): one
    `routing.route_tickets` message per batch and queue, then `then(ticket_ids)` (e.g. the
    customers' acknowledgements) once the worker has routed them."""
    kind = Kind(
        task=task_named("routing.route_tickets"),
        queue=routing_queue(language) or "routing",
        then=then,
    )
    transaction.on_commit(partial(batcher.add, kind, ticket_id), robust=True)


def fill_agent_on_commit(*, agent_id: int) -> None:
    """After the surrounding transaction commits, ask a worker to fill the agent's free room.
    (A duplicate nudge is harmless: the task is idempotent.)"""
    publish_on_commit("routing.fill_agent", agent_id, queue=_queue(""))
