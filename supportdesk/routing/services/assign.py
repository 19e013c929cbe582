"""Assignment: route a ticket, drain a language's queue (and, in fill.py, fill an agent's
free room).

All three end in `_commit`, one short transaction per batch that is safe with any number of
concurrent workers: the tickets are locked `FOR NO KEY UPDATE SKIP LOCKED` and re-checked
(still new, unassigned), and each agent's capacity is claimed with ONE conditional UPDATE
(`load = load + k WHERE status = 'online' AND load + k <= capacity`) — so a stale snapshot
can only make a claim fail (the tickets stay waiting), never over-assign.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from supportdesk.agents.models import Agent
from supportdesk.core.database import on_postgresql
from supportdesk.notifications import services as notifications
from supportdesk.routing import message_reads, policy, selectors
from supportdesk.routing.services.commit_rows import assignments_write
from supportdesk.tickets.models import EventKind, MatchRank, Ticket, TicketEvent, TicketStatus

DRAIN_BATCH = 200
DRAIN_MAX_BATCHES = 25
ACTOR = "routing"
Outcome = Literal["assigned", "waiting", "not-routable"]


@dataclass(frozen=True, slots=True)
class RouteResult:
    ticket_id: int
    agent_id: int | None
    outcome: Outcome


@dataclass(slots=True)
class DrainResult:
    assigned: dict[int, int] = field(default_factory=dict)  # ticket id -> agent id
    waiting: int = 0


@dataclass(frozen=True, slots=True)
class Assignment:
    ticket_id: int
    agent_id: int
    trace: Mapping[str, object]

    @property
    def match_rank(self) -> MatchRank | None:
        """The winner's language match, from the trace (`rank`: exact/same_base/fallback)."""
        name = self.trace.get("rank")
        return MatchRank[name.upper()] if isinstance(name, str) else None


def _relax_commit() -> None:
    """PostgreSQL: this transaction's COMMIT does not wait for the WAL flush (ADR 0003). A
    crash can lose only the last few milliseconds of assignments, and consistently (ticket,
    load and event together), so the tickets are simply new again and the sweep re-routes
    them; the database is never left inconsistent."""
    if on_postgresql():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def _commit(assignments: Sequence[Assignment], *, now: datetime) -> list[Assignment]:
    """Write what can be written of `assignments`; return what was. One transaction."""
    if not assignments:
        return []
    with transaction.atomic(durable=True):
        _relax_commit()
        if on_postgresql():  # one statement: commit_rows.py
            written = assignments_write(
                tickets=[item.ticket_id for item in assignments],
                agents=[item.agent_id for item in assignments],
                ranks=[item.match_rank for item in assignments],
                traces=[item.trace for item in assignments],
                now=now,
                actor=ACTOR,
            )
            granted = [item for item in assignments if item.ticket_id in written]
        else:
            granted = _commit_with_orm(assignments, now=now)
        notifications.tickets_assigned(ticket_ids=[item.ticket_id for item in granted])
    return granted


def _commit_with_orm(assignments: Sequence[Assignment], *, now: datetime) -> list[Assignment]:
    """`commit_rows.assignments_write` for other databases (the embedded SQLite), statement by
    statement: lock, claim per agent in id order, update the tickets, insert the events."""
    locked = set(
        Ticket.objects.select_for_update(skip_locked=True, no_key=True)
        .filter(
            id__in=[a.ticket_id for a in assignments],
            status=TicketStatus.NEW,
            assignee__isnull=True,
        )
        .values_list("id", flat=True)
    )
    by_agent: dict[int, list[Assignment]] = defaultdict(list)
    for item in assignments:
        if item.ticket_id in locked:
            by_agent[item.agent_id].append(item)
    granted: list[Assignment] = []
    rank_field = Ticket._meta.get_field("first_match_rank")
    for agent_id in sorted(by_agent):  # one lock order for every worker: no deadlocks
        items = by_agent[agent_id]
        claimed = Agent.objects.filter(
            id=agent_id,
            status=Agent.Status.ONLINE,
            load__lte=F("capacity") - len(items),
        ).update(load=F("load") + len(items), last_assigned_at=now)
        if claimed:
            granted.extend(items)
    Ticket.objects.bulk_update(
        [
            Ticket(
                id=item.ticket_id,
                assignee_id=item.agent_id,
                status=TicketStatus.OPEN,
                assigned_at=now,
                routing_note={},
                updated_at=now,
                # first assignment only: a ticket routed again keeps its first match
                first_match_rank=Coalesce(
                    F("first_match_rank"), Value(item.match_rank), output_field=rank_field
                ),
            )
            for item in granted
        ],
        ["assignee", "status", "assigned_at", "routing_note", "updated_at", "first_match_rank"],
    )
    TicketEvent.objects.bulk_create(
        TicketEvent(
            ticket_id=item.ticket_id,
            kind=EventKind.ASSIGNED,
            actor_label=ACTOR,
            data=dict(item.trace),
        )
        for item in granted
    )
    return granted


def _note_waiting(waiting: Iterable[tuple[Ticket, dict[str, object]]]) -> None:
    """Store why each ticket waits, writing only notes that changed (grouped: few UPDATEs)."""
    groups: dict[str, list[int]] = defaultdict(list)
    for ticket, note in waiting:
        if ticket.routing_note != note:
            groups[json.dumps(note, sort_keys=True)].append(ticket.id)
    for encoded, ids in groups.items():
        Ticket.objects.filter(id__in=ids, status=TicketStatus.NEW, assignee__isnull=True).update(
            routing_note=json.loads(encoded)
        )


def _probe(
    *,
    language: str,
    fallbacks: tuple[str, ...],
    candidates: Sequence[policy.AgentSnapshot],
    now: datetime,
    rules: policy.RoutingPolicy,
) -> tuple[policy.Decision, int] | None:
    """Who could take the language's longest-waiting ticket, and how much room they have.

    If nobody may take the oldest, the drain leaves the language (a newer ticket waits behind
    it on this path), so a flood of messages for a full language costs two queries each."""
    oldest = (
        selectors.waiting_tickets()
        .filter(language=language)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if oldest is None:
        return None
    sample = policy.TicketSnapshot(
        id=0, language=language, fallbacks=fallbacks, waiting_since=oldest
    )
    decision = policy.choose_agent(ticket=sample, candidates=candidates, now=now, policy=rules)
    by_id = {a.id: a for a in candidates}
    return decision, sum(by_id[a].capacity - by_id[a].load for a in decision.ranked)


def _drain_batch(
    *, language: str, fallbacks: tuple[str, ...], now: datetime, result: DrainResult
) -> int:
    rules = selectors.routing_policy()
    candidates = selectors.agent_snapshots_for(languages=(language, *fallbacks))
    probe = _probe(
        language=language, fallbacks=fallbacks, candidates=candidates, now=now, rules=rules
    )
    if probe is None:
        return 0
    decision, room = probe
    if room == 0:  # every waiting ticket of the language waits for the same reason
        note = decision.explain(None)
        selectors.waiting_tickets().filter(language=language).exclude(
            routing_note=note
        ).order_by().update(routing_note=note)
        return 0
    limit = min(DRAIN_BATCH, room)
    rows = list(selectors.waiting_rows().filter(language=language)[:limit])
    snapshots = selectors.ticket_snapshots(
        tickets=rows, fallbacks={language: fallbacks}, continuity=rules.continuity
    )
    planned = policy.plan(tickets=snapshots, candidates=candidates, now=now, policy=rules)
    by_id = {t.id: t for t in rows}
    wanted = [
        Assignment(t.id, d.winner, d.explain(d.winner)) for t, d in planned if d.winner is not None
    ]
    _note_waiting((by_id[t.id], d.explain(None)) for t, d in planned if d.winner is None)
    granted = _commit(wanted, now=now)
    result.assigned.update((a.ticket_id, a.agent_id) for a in granted)
    result.waiting = len(planned) - len(wanted)
    return len(granted) if len(rows) == limit else 0


def language_drain(*, language: str, max_batches: int = DRAIN_MAX_BATCHES) -> DrainResult:
    """Route the waiting tickets of one language in queue order, many per transaction.

    What a burst needs: one message assigns up to `DRAIN_BATCH * max_batches` tickets. It
    stops when a batch assigns nothing (everyone who may take them is full) or the queue ends.
    """
    result = DrainResult()
    fallbacks = selectors.fallbacks_for(languages=[language])[language]
    for _ in range(max_batches):
        if not _drain_batch(
            language=language, fallbacks=fallbacks, now=timezone.now(), result=result
        ):
            break
    return result


def ticket_route(*, ticket_id: int) -> RouteResult:
    """Route one ticket: its whole language queue is drained in order up to it and past it,
    so a message can never let a newer ticket overtake an older one of the same language.

    Idempotent: a ticket that is no longer new and unassigned is `not-routable`. A ticket that
    already says why it waits, while nobody who could take a ticket of its language has a free
    slot, still waits: two queries, no drain (a burst sends one message per ticket, most of
    them while the language is full; the sweep's drain refreshes the notes).
    """
    found = message_reads.waiting_ticket(ticket_id=ticket_id)
    if found is None:
        return RouteResult(ticket_id, None, "not-routable")
    language, explained = found
    if explained and not message_reads.room_among_speakers(
        languages=(language, *selectors.fallbacks_for(languages=[language])[language]),
        now=timezone.now(),
        agent_ttl=selectors.routing_policy().agent_ttl,
    ):
        return RouteResult(ticket_id, None, "waiting")
    drained = language_drain(language=language)
    if ticket_id in drained.assigned:
        return RouteResult(ticket_id, drained.assigned[ticket_id], "assigned")
    still_waiting = Ticket.objects.filter(
        id=ticket_id, status=TicketStatus.NEW, assignee__isnull=True
    ).exists()
    return RouteResult(ticket_id, None, "waiting" if still_waiting else "not-routable")
