"""Time series and distributions for the dashboard's charts and SLA panel (DESIGN §8).

Hours are UTC hour buckets (`date_trunc('hour', …)` in the database); the page labels them in the
viewer's time zone. Each function is one or two grouped queries whatever the ticket count.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Count, F, Min, Q, Sum, Value
from django.db.models.functions import Greatest, TruncHour
from django.utils import timezone

from supportdesk.agents.selectors import available_agents
from supportdesk.dashboards.selectors import ACTIVE, window_filters
from supportdesk.dashboards.waits import DEFAULT_WINDOW
from supportdesk.sla.selectors import at_risk_filter, breached_filter
from supportdesk.tickets.models import Ticket, TicketEvent, TicketStatus

HOURS = 24


@dataclass(frozen=True, slots=True)
class SlaPoint:
    hour: datetime
    due: int
    met: int

    @property
    def attainment(self) -> float | None:
        return self.met / self.due if self.due else None


@dataclass(frozen=True, slots=True)
class SlaFigures:
    at_risk: int
    breached: int
    met: int
    decided: int
    trend: tuple[SlaPoint, ...]

    @property
    def first_response_sla_attainment(self) -> float | None:
        return self.met / self.decided if self.decided else None


@dataclass(frozen=True, slots=True)
class FlowSeries:
    language: str
    arrivals: tuple[int, ...]
    solved: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class HourlyFlow:
    hours: tuple[datetime, ...]
    total: FlowSeries
    by_language: tuple[FlowSeries, ...]


def hour_starts(now: datetime) -> tuple[datetime, ...]:
    """The last HOURS hour buckets (UTC), oldest first; the last one contains `now`."""
    current = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return tuple(current - timedelta(hours=HOURS - 1 - i) for i in range(HOURS))


def sla_figures(*, now: datetime | None = None, window: timedelta = DEFAULT_WINDOW) -> SlaFigures:
    """At risk and breached now, attainment over `window`, attainment per hour of deadline."""
    now = now or timezone.now()
    live = Ticket.objects.filter(status__in=ACTIVE).aggregate(
        at_risk=Count("id", filter=at_risk_filter(now)),
        breached=Count("id", filter=breached_filter(now)),
    )
    q = window_filters(now=now, since=now - window)
    outcome = Ticket.objects.filter(q["deadline"]).aggregate(
        met=Count("id", filter=q["met"]), decided=Count("id", filter=q["decided"])
    )
    hours = hour_starts(now)
    rows = (
        Ticket.objects.filter(first_response_due_at__gte=hours[0], first_response_due_at__lt=now)
        .order_by()
        .values(hour=TruncHour("first_response_due_at", tzinfo=UTC))
        .annotate(
            due=Count("id"),
            met=Count("id", filter=Q(first_response_at__lte=F("first_response_due_at"))),
        )
    )
    by_hour = {row["hour"]: row for row in rows}
    empty: dict[str, Any] = {}
    return SlaFigures(
        at_risk=live["at_risk"],
        breached=live["breached"],
        met=outcome["met"],
        decided=outcome["decided"],
        trend=tuple(
            SlaPoint(
                hour=hour,
                due=by_hour.get(hour, empty).get("due", 0),
                met=by_hour.get(hour, empty).get("met", 0),
            )
            for hour in hours
        ),
    )


def _hourly_counts(
    *, column: str, hours: tuple[datetime, ...], now: datetime
) -> dict[str, list[int]]:
    rows = (
        Ticket.objects.filter(**{f"{column}__gte": hours[0], f"{column}__lte": now})
        .order_by()
        .values("language", hour=TruncHour(column, tzinfo=UTC))
        .annotate(n=Count("id"))
    )
    index = {hour: i for i, hour in enumerate(hours)}
    counts: dict[str, list[int]] = {}
    for row in rows:
        counts.setdefault(row["language"], [0] * len(hours))[index[row["hour"]]] = row["n"]
    return counts


def hourly_flow(*, now: datetime | None = None) -> HourlyFlow:
    """Arrivals and solved tickets per hour over the last 24 hours, per language and in all."""
    now = now or timezone.now()
    hours = hour_starts(now)
    arrivals = _hourly_counts(column="created_at", hours=hours, now=now)
    solved = _hourly_counts(column="solved_at", hours=hours, now=now)
    zeros = (0,) * len(hours)
    by_language = tuple(
        FlowSeries(
            language=tag,
            arrivals=tuple(arrivals.get(tag, zeros)),
            solved=tuple(solved.get(tag, zeros)),
        )
        for tag in sorted(arrivals.keys() | solved.keys())
    )
    total = FlowSeries(
        language="",
        arrivals=tuple(sum(s.arrivals[i] for s in by_language) for i in range(len(hours))),
        solved=tuple(sum(s.solved[i] for s in by_language) for i in range(len(hours))),
    )
    return HourlyFlow(hours=hours, total=total, by_language=by_language)


@dataclass(frozen=True, slots=True)
class QueueDepth:
    language: str
    waiting: int
    oldest_wait_seconds: float


@dataclass(frozen=True, slots=True)
class Backlog:
    agents_online: int
    free: int


def queue_depths(*, now: datetime | None = None) -> list[QueueDepth]:
    """Waiting tickets and the oldest wait per language (the waiting-queue index only)."""
    now = now or timezone.now()
    rows = (
        Ticket.objects.filter(status=TicketStatus.NEW)
        .order_by()
        .values("language")
        .annotate(waiting=Count("id"), oldest=Min("created_at"))
        .order_by("language")
    )
    return [
        QueueDepth(
            language=row["language"],
            waiting=row["waiting"],
            oldest_wait_seconds=max((now - row["oldest"]).total_seconds(), 0.0),
        )
        for row in rows
    ]


def routing_backlog(*, now: datetime | None = None) -> Backlog:
    totals = available_agents(now=now or timezone.now()).aggregate(
        agents=Count("id"), free=Sum(Greatest(F("capacity") - F("load"), Value(0)))
    )
    return Backlog(agents_online=totals["agents"], free=totals["free"] or 0)


def event_counts() -> dict[str, int]:
    """All ticket events ever, by kind (the log is append-only, so these only grow)."""
    rows = TicketEvent.objects.order_by().values("kind").annotate(n=Count("id")).order_by("kind")
    return {row["kind"]: row["n"] for row in rows}
