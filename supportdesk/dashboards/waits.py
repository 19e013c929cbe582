"""Honest wait figures: every wait statistic counts the tickets still waiting, at their wait so far.

A wait is created → assigned for a ticket routing (or a person) assigned, and created → now for a
ticket still `new` (censored at now: its wait is at least that). Leaving the waiting tickets out
would show a quiet median while hundreds of tickets queue unseen; counting them at their current
wait can only understate their final wait, never hide it. The median, p90 and histogram all use
`censored_wait`; the oldest wait is the oldest still-waiting ticket's.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from django.db.models import Case, Count, DateTimeField, Q, Value, When
from django.utils import timezone

from supportdesk.dashboards.expressions import SecondsBetween
from supportdesk.tickets.models import Ticket, TicketStatus

DEFAULT_WINDOW = timedelta(hours=24)
# upper bounds (seconds) of the wait-time histogram's buckets; the last bucket is open-ended
WAIT_BOUNDS: tuple[int, ...] = (60, 300, 900, 1800, 3600, 4 * 3600)


def censored_wait(now: datetime) -> Case:
    """Seconds a ticket waited for an agent: to its assignment, or to `now` while still new."""
    return Case(
        When(
            status=TicketStatus.NEW,
            then=SecondsBetween(Value(now, output_field=DateTimeField()), "created_at"),
        ),
        default=SecondsBetween("assigned_at", "created_at"),
    )


def waited_filter(*, now: datetime, since: datetime) -> Q:
    """The waits of a window: tickets assigned in it, and every ticket still waiting now."""
    return Q(assigned_at__gte=since, assigned_at__lte=now) | Q(status=TicketStatus.NEW)


@dataclass(frozen=True, slots=True)
class WaitDistribution:
    bounds: tuple[int, ...]  # counts has one more entry: waits above the last bound
    total: tuple[int, ...]
    by_language: dict[str, tuple[int, ...]]


def wait_distribution(
    *, now: datetime | None = None, window: timedelta = DEFAULT_WINDOW
) -> WaitDistribution:
    """How long tickets waited, in buckets: those assigned in `window` (created → assigned) and
    those still waiting (created → now)."""
    now = now or timezone.now()
    buckets: dict[str, Any] = {}
    lower = 0
    for i, upper in enumerate(WAIT_BOUNDS):
        buckets[f"b{i}"] = Count("id", filter=Q(wait__gte=lower, wait__lt=upper))
        lower = upper
    buckets[f"b{len(WAIT_BOUNDS)}"] = Count("id", filter=Q(wait__gte=lower))
    rows = cast(
        "Iterable[dict[str, Any]]",
        Ticket.objects.filter(waited_filter(now=now, since=now - window))
        .annotate(wait=censored_wait(now))
        .order_by()
        .values("language")
        .annotate(**buckets),
    )
    by_language = {
        row["language"]: tuple(row[f"b{i}"] for i in range(len(WAIT_BOUNDS) + 1)) for row in rows
    }
    total = tuple(
        sum(counts[i] for counts in by_language.values()) for i in range(len(WAIT_BOUNDS) + 1)
    )
    return WaitDistribution(bounds=WAIT_BOUNDS, total=total, by_language=by_language)
