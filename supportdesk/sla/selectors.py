"""Reads for SLA: the policy that applies to a ticket, as plain policy objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet

from supportdesk.core.snapshots import Snapshot
from supportdesk.languages.tags import primary
from supportdesk.sla import policy
from supportdesk.sla.models import BusinessHours, SlaPolicy, WorkingInterval
from supportdesk.tickets.models import Ticket, TicketStatus

CLOCK_RUNNING = (TicketStatus.NEW, TicketStatus.OPEN)
AT_RISK_WITHIN = timedelta(minutes=15)


def at_risk_filter(now: datetime) -> Q:
    """First response due within 15 minutes and not given yet (dashboard, admin filter)."""
    return Q(
        first_response_at__isnull=True,
        first_response_due_at__gte=now,
        first_response_due_at__lt=now + AT_RISK_WITHIN,
    )


def breached_filter(now: datetime) -> Q:
    """First response due and not given."""
    return Q(first_response_at__isnull=True, first_response_due_at__lt=now)


@dataclass(frozen=True, slots=True)
class AppliedPolicy:
    id: int
    targets: policy.Targets
    calendar: policy.Calendar | None
    escalate_on_breach: bool


def _minute(value: time, *, is_end: bool) -> int:
    minute = value.hour * 60 + value.minute
    return policy.MINUTES_PER_DAY if is_end and minute == 0 else minute


def calendar_of(hours: BusinessHours | None) -> policy.Calendar | None:
    """A BusinessHours row as a pure calendar; no hours (or no intervals) is 24/7."""
    if hours is None:
        return None
    intervals = tuple(
        policy.Interval(
            weekday=i.weekday,
            start_minute=_minute(i.starts, is_end=False),
            end_minute=_minute(i.ends, is_end=True),
        )
        for i in hours.intervals.all()
    )
    if not intervals:
        return None
    holidays: frozenset[date] = frozenset(h.day for h in hours.holidays.all())
    return policy.Calendar(timezone=hours.timezone, intervals=intervals, holidays=holidays)


def _policies() -> QuerySet[SlaPolicy]:
    return SlaPolicy.objects.select_related("business_hours").prefetch_related(
        Prefetch("business_hours__intervals", queryset=WorkingInterval.objects.all()),
        "business_hours__holidays",
    )


def policy_for(*, priority: int, language: str) -> AppliedPolicy | None:
    """The policy for this priority: the language's own, its primary language's, or the
    one for every language. None: no SLA (no deadlines). Every policy is read at once into a
    per-process snapshot (ADR 0008): a policy edit applies within REFERENCE_CACHE_SECONDS."""
    applied = _all_policies.get(None) or {}
    return (
        applied.get((priority, language))
        or applied.get((priority, primary(language)))
        or applied.get((priority, ""))
    )


def _applied(chosen: SlaPolicy) -> AppliedPolicy:
    return AppliedPolicy(
        id=chosen.pk,
        targets=policy.Targets(
            first_response=timedelta(minutes=chosen.first_response_minutes),
            resolution=timedelta(minutes=chosen.resolution_minutes),
        ),
        calendar=calendar_of(chosen.business_hours),
        escalate_on_breach=chosen.escalate_on_breach,
    )


def _load_policies(_key: None) -> dict[tuple[int, str], AppliedPolicy]:
    return {(p.priority, p.language): _applied(p) for p in _policies()}


_all_policies: Snapshot[None, dict[tuple[int, str], AppliedPolicy]] = Snapshot(
    _load_policies,
    depends_on=("sla.SlaPolicy", "sla.BusinessHours", "sla.WorkingInterval", "sla.Holiday"),
)


def tickets_breached(*, now: datetime, limit: int) -> list[int]:
    """Ids of running tickets past a deadline not yet marked, most overdue first."""
    first_response = Q(
        first_response_at__isnull=True,
        first_response_breached_at__isnull=True,
        first_response_due_at__lt=now,
    )
    resolution = Q(resolution_breached_at__isnull=True, resolution_due_at__lt=now)
    return list(
        Ticket.objects.filter(first_response | resolution)
        .filter(status__in=CLOCK_RUNNING, sla_paused_at__isnull=True)
        .order_by("first_response_due_at", "id")
        .values_list("id", flat=True)[:limit]
    )
