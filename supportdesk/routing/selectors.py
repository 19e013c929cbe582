"""Reads for routing: settings → policy, rows → snapshots, the waiting queue, explanations."""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import connection
from django.db.models import Avg, Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext as _

from supportdesk.agents.models import Agent, AgentLanguage
from supportdesk.core.database import on_postgresql
from supportdesk.languages.selectors import fallback_chains
from supportdesk.routing import policy
from supportdesk.routing.rules import Mode, Supply
from supportdesk.tickets.models import Customer, EventKind, Ticket, TicketEvent, TicketStatus

PROFICIENCY = {
    AgentLanguage.Proficiency.NATIVE.value: policy.Proficiency.NATIVE,
    AgentLanguage.Proficiency.FLUENT.value: policy.Proficiency.FLUENT,
    AgentLanguage.Proficiency.BASIC.value: policy.Proficiency.BASIC,
}
_AGENT_COLUMNS = (
    "agent_id",
    "tag",
    "proficiency",
    "agent__load",
    "agent__capacity",
    "agent__status",
    "agent__last_seen",
    "agent__last_assigned_at",
)


def routing_policy() -> policy.RoutingPolicy:
    """The routing knobs of config/settings.py as a typed policy object, with each
    language's recent handle time (`handle_estimates`)."""
    return policy.RoutingPolicy(
        agent_ttl=timedelta(seconds=settings.AGENT_TTL_SECONDS),
        fallback_after=timedelta(seconds=settings.ROUTING_FALLBACK_AFTER_SECONDS),
        continuity=settings.ROUTING_CONTINUITY,
        release_cooldown=timedelta(seconds=settings.ROUTING_RELEASE_COOLDOWN_SECONDS),
        mode=Mode(settings.ROUTING_POLICY),
        fallback_grace=timedelta(seconds=settings.ROUTING_FALLBACK_GRACE_SECONDS),
        fallback_unstaffed_after=timedelta(
            seconds=settings.ROUTING_FALLBACK_UNSTAFFED_AFTER_SECONDS
        ),
        aging_after=timedelta(seconds=settings.ROUTING_AGING_AFTER_SECONDS),
        handle_estimate=timedelta(seconds=settings.ROUTING_HANDLE_ESTIMATE_SECONDS),
        handle_estimates=_RecentHandles(),
    )


HANDLE_WINDOW = timedelta(hours=1)
HANDLE_TTL_SECONDS = 60.0
_handles: list[tuple[float, dict[str, timedelta]]] = []


class _RecentHandles(Mapping[str, timedelta]):
    """`handle_estimates()`, read only when the policy asks (a timed fallback question):
    routing that never weighs a fallback costs no query for it."""

    def _data(self) -> dict[str, timedelta]:
        return handle_estimates()

    def __getitem__(self, language: str) -> timedelta:
        return self._data()[language]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())


def handle_estimates() -> dict[str, timedelta]:
    """Per language, the mean time from assignment to solved over the last hour's solved
    tickets (one query, remembered for a minute per process). A language with none is
    absent: the policy uses ROUTING_HANDLE_ESTIMATE_SECONDS."""
    clock = time.monotonic()
    if _handles and clock - _handles[0][0] < HANDLE_TTL_SECONDS:
        return _handles[0][1]
    rows = (
        Ticket.objects.filter(
            solved_at__gte=timezone.now() - HANDLE_WINDOW, assigned_at__isnull=False
        )
        .order_by()
        .values("language")
        .annotate(mean=Avg(F("solved_at") - F("assigned_at")))
        .values_list("language", "mean")
    )
    found = {language: mean for language, mean in rows if mean is not None and mean > timedelta(0)}
    _handles[:] = [(clock, found)]
    return found


def waiting_tickets() -> QuerySet[Ticket]:
    """New, unassigned tickets in queue order: priority, first-response deadline, created, id."""
    return Ticket.objects.filter(status=TicketStatus.NEW, assignee__isnull=True).order_by(
        "-priority", F("first_response_due_at").asc(nulls_last=True), "created_at", "id"
    )


# what routing reads of a waiting ticket (`ticket_snapshots`, the waiting note): a drained
# batch is up to 200 rows, and the rest of a ticket's columns would only be carried along
SNAPSHOT_FIELDS = (
    "id",
    "language",
    "created_at",
    "priority",
    "first_response_due_at",
    "customer_id",
    "released_by_id",
    "released_at",
    "routing_note",
)


def waiting_rows() -> QuerySet[Ticket]:
    """`waiting_tickets()` with only the columns routing's snapshots read."""
    return waiting_tickets().only(*SNAPSHOT_FIELDS)


def waiting_languages() -> list[str]:
    """The languages of the waiting tickets, sorted. On PostgreSQL one probe of the waiting
    queue's index per language (a loose index scan), not a read of every waiting ticket: an
    agent's fill asks this every time (a burst leaves thousands waiting)."""
    if on_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(_waiting_languages_sql(), [TicketStatus.NEW.value] * 2)
            return sorted(language for (language,) in cursor.fetchall())
    return sorted(
        set(
            Ticket.objects.filter(status=TicketStatus.NEW, assignee__isnull=True)
            .order_by()
            .values_list("language", flat=True)
            .distinct()
        )
    )


@cache
def _waiting_languages_sql() -> str:
    quote = connection.ops.quote_name
    table = quote(Ticket._meta.db_table)
    language, status = quote("language"), quote("status")
    # `status = new` is the waiting queue index's condition (a new ticket is unassigned: the
    # ticket_new_is_unassigned constraint), so each step is one index probe
    return (
        f"WITH RECURSIVE waiting(language) AS ("  # noqa: S608 - quoted names, no values
        f" (SELECT {language} FROM {table} WHERE {status} = %s ORDER BY {language} LIMIT 1)"
        f" UNION ALL SELECT (SELECT t.{language} FROM {table} t WHERE t.{status} = %s"
        f" AND t.{language} > w.language ORDER BY t.{language} LIMIT 1)"
        f" FROM waiting w WHERE w.language IS NOT NULL"
        f") SELECT language FROM waiting WHERE language IS NOT NULL"
    )


def previous_agents(*, customer_ids: Collection[int]) -> dict[int, int]:
    """customer id → the agent of that customer's latest assigned ticket (one query)."""
    if not customer_ids:
        return {}
    latest = (
        Ticket.objects.filter(customer_id=OuterRef("pk"), assignee__isnull=False)
        .order_by("-assigned_at", "-id")
        .values("assignee_id")[:1]
    )
    rows = (
        Customer.objects.filter(id__in=customer_ids)
        .annotate(previous=Subquery(latest))
        .filter(previous__isnull=False)
        .values_list("id", "previous")
    )
    return dict(rows)


def ticket_snapshots(
    *, tickets: Iterable[Ticket], fallbacks: dict[str, tuple[str, ...]], continuity: bool
) -> list[policy.TicketSnapshot]:
    rows = list(tickets)
    previous = previous_agents(customer_ids={t.customer_id for t in rows}) if continuity else {}
    return [
        policy.TicketSnapshot(
            id=t.id,
            language=t.language,
            fallbacks=fallbacks[t.language],
            waiting_since=t.created_at,
            priority=t.priority,
            due=t.first_response_due_at,
            previous_agent_id=previous.get(t.customer_id),
            released_by=t.released_by_id,
            released_at=t.released_at,
        )
        for t in rows
    ]


CHAIN_TTL_SECONDS = 5.0
_chains: dict[str, tuple[float, tuple[str, ...]]] = {}


def fallbacks_for(*, languages: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each language's fallback chain, remembered for a few seconds per process: a fill looks
    at every waiting language, and chains change only when an admin edits a language."""
    now = time.monotonic()
    wanted = set(languages)
    stale = [
        tag for tag in wanted if tag not in _chains or now - _chains[tag][0] > CHAIN_TTL_SECONDS
    ]
    if stale:  # one read of the languages for all of them
        for tag, chain in fallback_chains(tags=stale).items():
            _chains[tag] = (now, chain)
    return {tag: _chains[tag][1] for tag in wanted}


SkillRow = tuple[int, str, str, int, int, str, datetime | None, datetime | None]


def _snapshots(rows: Iterable[SkillRow]) -> list[policy.AgentSnapshot]:
    grouped: dict[int, list[SkillRow]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    snapshots = []
    for agent_id, skills in sorted(grouped.items()):
        _, _, _, load, capacity, status, last_seen, last_assigned_at = skills[0]
        snapshots.append(
            policy.AgentSnapshot(
                id=agent_id,
                skills={tag: PROFICIENCY[level] for _, tag, level, *_rest in skills},
                load=load,
                capacity=capacity,
                online=status == Agent.Status.ONLINE,
                last_seen=last_seen,
                last_assigned_at=last_assigned_at,
            )
        )
    return snapshots


def agent_snapshots_for(*, languages: Sequence[str]) -> list[policy.AgentSnapshot]:
    """Everyone who speaks one of `languages` or a variant of one, with all skills: 1 query."""
    bases = {policy.base_tag(tag) for tag in languages}
    speakers = AgentLanguage.objects.filter(language_base__in=bases).values("agent_id")
    rows = (
        AgentLanguage.objects.filter(agent_id__in=speakers).order_by().values_list(*_AGENT_COLUMNS)
    )
    return _snapshots(rows)


def agent_snapshot(*, agent_id: int) -> policy.AgentSnapshot | None:
    rows = AgentLanguage.objects.filter(agent_id=agent_id).order_by().values_list(*_AGENT_COLUMNS)
    found = _snapshots(rows)
    return found[0] if found else None


def speaker_supply(*, now: datetime, agent_ttl: timedelta) -> dict[str, Supply]:
    """Per primary subtag spoken by some available agent: how many speak it, their open
    slots and the tickets they hold (decides when fallback is allowed). One grouped query
    (an agent with two variants of one language, pt-PT and pt-BR, counts once as a speaker
    and twice in the slots: rare, and only an estimate's input)."""
    rows = (
        AgentLanguage.objects.filter(
            agent__status=Agent.Status.ONLINE, agent__last_seen__gte=now - agent_ttl
        )
        .order_by()
        .values("language_base")
        .annotate(
            speakers=Count("agent_id", distinct=True),
            free=Sum(Greatest(F("agent__capacity") - F("agent__load"), Value(0))),
            busy=Sum(Least(Greatest(F("agent__load"), Value(0)), F("agent__capacity"))),
        )
        .values_list("language_base", "speakers", "free", "busy")
    )
    return {
        base: Supply(speakers=speakers, free=free or 0, busy=busy or 0)
        for base, speakers, free, busy in rows
    }


def open_load_drift() -> list[int]:
    """Agents whose `load` differs from their number of open tickets (one query)."""
    return list(
        Agent.objects.annotate(
            open_count=Count("tickets", filter=Q(tickets__status=TicketStatus.OPEN))
        )
        .exclude(load=F("open_count"))
        .order_by("id")
        .values_list("id", flat=True)
    )


_WAIT_TEXT = {
    policy.Wait.FULL: lambda: _("Every available agent who speaks its language is full."),
    policy.Wait.FALLBACK_NOT_YET: lambda: (
        _(
            "Only agents speaking a fallback language have room; they may take it after "
            "{seconds} seconds of waiting."
        ).format(seconds=settings.ROUTING_FALLBACK_AFTER_SECONDS)
        if settings.ROUTING_POLICY == Mode.OLD
        else _(
            "Only agents speaking a fallback language have room. They may take it once it "
            "has waited {seconds} seconds and no agent who speaks its language is expected "
            "to have room within {grace} seconds, or once it has waited {aging} seconds."
        ).format(
            seconds=settings.ROUTING_FALLBACK_AFTER_SECONDS,
            grace=settings.ROUTING_FALLBACK_GRACE_SECONDS,
            aging=settings.ROUTING_AGING_AFTER_SECONDS,
        )
    ),
    policy.Wait.OFFLINE: lambda: _("No agent who speaks its language is available."),
    policy.Wait.RELEASED: lambda: _(
        "Only the agent who released it could take it; it waits a few minutes for someone else."
    ),
    policy.Wait.NO_SPEAKER: lambda: _("No agent speaks its language or a fallback language."),
}


def routing_explanation(*, ticket: Ticket) -> dict[str, object]:
    """Why this ticket is where it is, for the admin and the staff API (field `routing`).

    `state` is `assigned`, `manual`, `waiting` or `not-waiting`; `summary` is a sentence in
    the active language; `trace` is the stored decision (see `policy.Decision.explain`).
    """
    if ticket.status == TicketStatus.NEW and ticket.assignee_id is None:
        note = ticket.routing_note or {}
        reason = note.get("waits_because")
        text = _WAIT_TEXT.get(policy.Wait(reason)) if reason in set(policy.Wait) else None
        return {
            "state": "waiting",
            "summary": text() if text else _("Waiting to be routed."),
            "trace": note,
        }
    if ticket.assignee_id is None:
        return {"state": "not-waiting", "summary": _("Not assigned."), "trace": {}}
    if ticket.manually_assigned:
        return {"state": "manual", "summary": _("Assigned by hand."), "trace": {}}
    event = (
        TicketEvent.objects.filter(ticket=ticket, kind=EventKind.ASSIGNED)
        .order_by("-created_at", "-id")
        .values_list("data", flat=True)
        .first()
    )
    trace = event if isinstance(event, dict) else {}
    summary = _("Routed: rank {rank}, proficiency {proficiency}, load {load}/{capacity}.").format(
        rank=trace.get("rank", "?"),
        proficiency=trace.get("proficiency", "?"),
        load=trace.get("load", "?"),
        capacity=trace.get("capacity", "?"),
    )
    return {"state": "assigned", "summary": summary, "trace": trace}
