"""Live figures for the managers' dashboard (DESIGN §8): per language, per agent, hub totals.

Every figure is an aggregate computed by the database (COUNT/MIN/SUM with FILTER, and
PostgreSQL's `percentile_cont` for medians and p90s); Python only merges a handful of grouped rows
per language. On SQLite (the demo) the percentiles fall back to `expressions.percentile_cont` over
the windowed durations: correct, slower, fine at demo size.

Definitions (also in docs/subsystems/dashboard.md):
- waiting: `new` tickets (always unassigned); oldest wait: now - the oldest one's `created_at`;
- assigned open: `open` tickets; agents online: online agents seen within AGENT_TTL_SECONDS who
  speak the language or a variant of it (same primary subtag, routing ranks 0 and 1);
  free capacity: the sum of their free slots (an agent with several languages counts in each);
- at risk: `new`/`open`, no first response, first-response deadline within the next 15 minutes;
  breached: `new`/`open`, no first response, deadline passed (no deadline: neither);
- median/p90 wait: created → assigned over tickets assigned in the window, AND created → now over
  every ticket still waiting (censored at now, see waits.py): the waiting are never left out;
  first response: created → first response, over tickets first answered in the window;
- first match (native-language service, native.py): of the tickets created in the last hour /
  24 h that routing has assigned, how many first went to an exact / same-primary / fallback
  speaker;
- first-response SLA attainment: of the tickets created in the window with a deadline whose
  outcome is known (answered, or deadline passed), the share answered by the deadline.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db.models import Count, Expression, F, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Greatest
from django.utils import timezone, translation

from supportdesk.agents.models import AgentLanguage
from supportdesk.agents.selectors import available_agents
from supportdesk.core.database import on_postgresql
from supportdesk.dashboards.expressions import PercentileCont, SecondsBetween, percentile_cont
from supportdesk.dashboards.native import FirstMatch, first_match_by_language
from supportdesk.dashboards.waits import DEFAULT_WINDOW, censored_wait, waited_filter
from supportdesk.languages import tags
from supportdesk.languages.selectors import enabled_tags
from supportdesk.sla.selectors import at_risk_filter, breached_filter
from supportdesk.tickets.models import Ticket, TicketStatus

LAST_HOUR = timedelta(hours=1)
ACTIVE = (TicketStatus.NEW, TicketStatus.OPEN)

FIRST_RESPONSE = SecondsBetween("first_response_at", "created_at")
PERCENTILES = {"median": 0.5, "p90": 0.9}


@dataclass(frozen=True, slots=True)
class WindowStats:
    median_wait_seconds: float | None = None
    p90_wait_seconds: float | None = None
    median_first_response_seconds: float | None = None
    p90_first_response_seconds: float | None = None
    first_response_sla_attainment: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LiveFigures:
    """What a language's queue and the whole hub both show."""

    waiting: int
    oldest_wait_seconds: int | None
    assigned_open: int
    agents_online: int
    free_capacity: int
    at_risk: int
    breached: int
    arrivals_last_hour: int
    solved_last_hour: int


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueFigures(LiveFigures):
    language: str
    name: str
    stats: WindowStats = field(default_factory=WindowStats)
    first_match: FirstMatch = field(default_factory=FirstMatch)


@dataclass(frozen=True, slots=True, kw_only=True)
class HubTotals(LiveFigures):
    capacity_online: int
    stats: WindowStats
    first_match: FirstMatch = field(default_factory=FirstMatch)


@dataclass(slots=True)
class Supply:
    agents: int = 0
    slots: int = 0
    free: int = 0


def _seconds_since(moment: datetime | None, now: datetime) -> int | None:
    return None if moment is None else max(int((now - moment).total_seconds()), 0)


def _live_by_language(*, now: datetime) -> dict[str, dict[str, Any]]:
    rows = cast(
        "Iterable[dict[str, Any]]",
        Ticket.objects.filter(status__in=ACTIVE)
        .order_by()
        .values("language")
        .annotate(
            waiting=Count("id", filter=Q(status=TicketStatus.NEW)),
            oldest=Min("created_at", filter=Q(status=TicketStatus.NEW)),
            assigned_open=Count("id", filter=Q(status=TicketStatus.OPEN)),
            at_risk=Count("id", filter=at_risk_filter(now)),
            breached=Count("id", filter=breached_filter(now)),
        ),
    )
    return {row["language"]: row for row in rows}


def _last_hour_by_language(*, now: datetime) -> dict[str, dict[str, Any]]:
    since = now - LAST_HOUR
    rows = cast(
        "Iterable[dict[str, Any]]",
        Ticket.objects.filter(Q(created_at__gte=since) | Q(solved_at__gte=since))
        .order_by()
        .values("language")
        .annotate(
            arrivals=Count("id", filter=Q(created_at__gte=since)),
            solved=Count("id", filter=Q(solved_at__gte=since)),
        ),
    )
    return {row["language"]: row for row in rows}


def window_filters(*, now: datetime, since: datetime) -> dict[str, Q]:
    deadline = Q(created_at__gte=since, first_response_due_at__isnull=False)
    return {
        "assigned": Q(assigned_at__gte=since),
        "waited": waited_filter(now=now, since=since),
        "responded": Q(first_response_at__gte=since),
        "deadline": deadline,
        "met": deadline & Q(first_response_at__lte=F("first_response_due_at")),
        "decided": deadline
        & (Q(first_response_at__isnull=False) | Q(first_response_due_at__lt=now)),
    }


def _python_percentiles(
    tickets: "QuerySet[Ticket]", *, key: str | None, seconds: Expression, name: str
) -> dict[object, dict[str, float | None]]:
    """SQLite fallback: sorted durations per group, interpolated like percentile_cont."""
    rows = tickets.annotate(_seconds=seconds).filter(_seconds__isnull=False).order_by("_seconds")
    groups: dict[object, list[float]] = defaultdict(list)
    if key is None:
        groups[None] = list(rows.values_list("_seconds", flat=True))
    else:
        for group, value in rows.values_list(key, "_seconds"):
            groups[group].append(value)
    return {
        group: {
            f"{name}_median": percentile_cont(values, 0.5),
            f"{name}_p90": percentile_cont(values, 0.9),
        }
        for group, values in groups.items()
        if values
    }


def grouped_with_percentiles(
    tickets: "QuerySet[Ticket]",
    aggregates: dict[str, Any],
    *,
    key: str | None,
    durations: Sequence[tuple[str, Expression, Q]],
    fractions: Mapping[str, float] = PERCENTILES,
) -> dict[object, dict[str, Any]]:
    """`aggregates` over `tickets` grouped by `key` (None: one group), plus `<name>_median` and
    `<name>_p90` of each `(name, seconds, condition)` over the tickets matching `condition`:
    PostgreSQL computes them (those in `fractions`) in the same query, SQLite through
    `_python_percentiles` (both)."""
    if on_postgresql():
        for name, seconds, condition in durations:
            for label, fraction in fractions.items():
                aggregates[f"{name}_{label}"] = PercentileCont(
                    seconds, fraction=fraction, filter=condition
                )
    rows: Iterable[dict[str, Any]] = (
        tickets.values(key).annotate(**aggregates) if key else [tickets.aggregate(**aggregates)]
    )
    merged: dict[object, dict[str, Any]] = {row.get(key) if key else None: row for row in rows}
    if not on_postgresql():
        for name, seconds, condition in durations:
            found = _python_percentiles(
                Ticket.objects.filter(condition), key=key, seconds=seconds, name=name
            )
            for group, values in found.items():
                merged.setdefault(group, {}).update(values)
    return merged


def _window_stats(
    *, now: datetime, window: timedelta, key: str | None
) -> dict[object, WindowStats]:
    """Percentiles and attainment over `window`, grouped by `key` (None: the whole hub)."""
    since = now - window
    q = window_filters(now=now, since=since)
    tickets = Ticket.objects.filter(q["waited"] | q["responded"] | q["deadline"]).order_by()
    aggregates: dict[str, Any] = {
        "met": Count("id", filter=q["met"]),
        "decided": Count("id", filter=q["decided"]),
    }
    durations = (
        ("wait", censored_wait(now), q["waited"]),
        ("first_response", FIRST_RESPONSE, q["responded"]),
    )
    merged = grouped_with_percentiles(tickets, aggregates, key=key, durations=durations)
    return {group: _stats_of(row) for group, row in merged.items()}


def _stats_of(row: Mapping[str, Any]) -> WindowStats:
    decided = row.get("decided") or 0
    return WindowStats(
        median_wait_seconds=row.get("wait_median"),
        p90_wait_seconds=row.get("wait_p90"),
        median_first_response_seconds=row.get("first_response_median"),
        p90_first_response_seconds=row.get("first_response_p90"),
        first_response_sla_attainment=(row.get("met") or 0) / decided if decided else None,
    )


def supply_by_language_base(*, now: datetime) -> dict[str, Supply]:
    """Available agents, their slots and free slots per primary language subtag."""
    pairs = (
        AgentLanguage.objects.filter(agent__in=available_agents(now=now))
        .order_by()
        .values_list("language_base", "agent_id", "agent__capacity", "agent__load")
        .distinct()
    )
    supply: dict[str, Supply] = defaultdict(Supply)
    for base, _agent_id, capacity, load in pairs:
        supply[base].agents += 1
        supply[base].slots += capacity
        supply[base].free += max(capacity - load, 0)
    return supply


def queue_languages(*extra: Iterable[str]) -> list[str]:
    """Enabled languages in their configured order, then any other tag that has tickets."""
    ordered = enabled_tags()
    known = set(ordered)
    others = sorted({tag for tags_ in extra for tag in tags_} - known)
    return ordered + others


def language_name(tag: str) -> str:
    return tags.display_name(tag, in_language=translation.get_language() or settings.LANGUAGE_CODE)


def queue_figures(
    *, now: datetime | None = None, window: timedelta = DEFAULT_WINDOW
) -> list[QueueFigures]:
    """One row per language: enabled languages first, then tags seen on recent tickets."""
    now = now or timezone.now()
    live = _live_by_language(now=now)
    hour = _last_hour_by_language(now=now)
    stats = _window_stats(now=now, window=window, key="language")
    supply = supply_by_language_base(now=now)
    matches = first_match_by_language(now=now)
    languages = queue_languages(live, hour, (str(tag) for tag in stats), matches)
    empty: dict[str, Any] = {}
    figures = []
    for tag in languages:
        row, recent = live.get(tag, empty), hour.get(tag, empty)
        agents = supply.get(tags.primary(tag), Supply())
        figures.append(
            QueueFigures(
                language=tag,
                name=language_name(tag),
                waiting=row.get("waiting", 0),
                oldest_wait_seconds=_seconds_since(row.get("oldest"), now),
                assigned_open=row.get("assigned_open", 0),
                agents_online=agents.agents,
                free_capacity=agents.free,
                at_risk=row.get("at_risk", 0),
                breached=row.get("breached", 0),
                arrivals_last_hour=recent.get("arrivals", 0),
                solved_last_hour=recent.get("solved", 0),
                stats=stats.get(tag, WindowStats()),
                first_match=matches.get(tag, FirstMatch()),
            )
        )
    return figures


def hub_totals(
    *,
    queues: Sequence[QueueFigures],
    now: datetime | None = None,
    window: timedelta = DEFAULT_WINDOW,
) -> HubTotals:
    """The whole hub: ticket counts summed from `queues` (one language per ticket), agents
    counted once however many languages they speak, percentiles over all tickets."""
    now = now or timezone.now()
    agents = available_agents(now=now).aggregate(
        agents=Count("id"),
        slots=Sum("capacity"),
        free=Sum(Greatest(F("capacity") - F("load"), Value(0))),
    )
    waits = [q.oldest_wait_seconds for q in queues if q.oldest_wait_seconds is not None]
    return HubTotals(
        waiting=sum(q.waiting for q in queues),
        oldest_wait_seconds=max(waits, default=None),
        assigned_open=sum(q.assigned_open for q in queues),
        agents_online=agents["agents"],
        capacity_online=agents["slots"] or 0,
        free_capacity=agents["free"] or 0,
        at_risk=sum(q.at_risk for q in queues),
        breached=sum(q.breached for q in queues),
        arrivals_last_hour=sum(q.arrivals_last_hour for q in queues),
        solved_last_hour=sum(q.solved_last_hour for q in queues),
        stats=_window_stats(now=now, window=window, key=None).get(None, WindowStats()),
        first_match=FirstMatch.total(q.first_match for q in queues),
    )
