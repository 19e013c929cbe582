"""Staffing advice per language: observed load in, Erlang C (staffing.py) out.

Observed arrival rate: tickets created in the last `rate_window` (default one hour). Observed
handle time: the mean time a ticket held a capacity slot (assigned → solved) over tickets solved in
`handle_window` (default 24 hours). Each capacity slot is one Erlang C server (see staffing.py for
why that is an approximation); agents needed = slots needed / the mean capacity of the language's
available agents (DEFAULT_AGENT_CAPACITY when nobody is online), rounded up.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db.models import Avg, Count, Q
from django.utils import timezone

from supportdesk.dashboards import staffing
from supportdesk.dashboards.expressions import SecondsBetween
from supportdesk.dashboards.selectors import (
    LAST_HOUR,
    Supply,
    language_name,
    queue_languages,
    supply_by_language_base,
)
from supportdesk.dashboards.waits import DEFAULT_WINDOW
from supportdesk.languages import tags
from supportdesk.tickets.models import Ticket

HANDLE = SecondsBetween("solved_at", "assigned_at")


@dataclass(frozen=True, slots=True)
class StaffingAdvice:
    language: str
    name: str
    arrivals_per_hour: float
    mean_handle_seconds: float | None
    capacity_per_agent: float
    agents_online: int
    slots_online: int
    service_level_now: float | None
    needed: staffing.Staffing | None  # None: arrivals but no handle time observed yet
    agents_needed: int | None


def _observed(
    *, now: datetime, rate_window: timedelta, handle_window: timedelta
) -> dict[str, dict[str, Any]]:
    arrived = Q(created_at__gte=now - rate_window)
    handled = Q(solved_at__gte=now - handle_window, assigned_at__isnull=False)
    rows = cast(
        "Iterable[dict[str, Any]]",
        Ticket.objects.filter(arrived | handled)
        .order_by()
        .values("language")
        .annotate(arrivals=Count("id", filter=arrived), handle=Avg(HANDLE, filter=handled)),
    )
    return {row["language"]: row for row in rows}


def _advise(
    *,
    tag: str,
    row: dict[str, Any],
    supply: Supply,
    rate_window: timedelta,
    target: tuple[float, float],
) -> StaffingAdvice:
    target_seconds, target_level = target
    rate = row.get("arrivals", 0) / rate_window.total_seconds()
    handle = row.get("handle")
    handle = float(handle) if handle is not None and handle > 0 else None
    per_agent = supply.slots / supply.agents if supply.agents else settings.DEFAULT_AGENT_CAPACITY
    # no arrivals: nothing to staff, whatever the handle time; arrivals without an observed
    # handle time: no advice yet
    model_handle = handle if rate > 0 else (handle or 1.0)
    needed: staffing.Staffing | None = None
    level_now: float | None = None
    if model_handle is not None:
        needed = staffing.servers_needed(
            rate_per_second=rate,
            handle_seconds=model_handle,
            target_seconds=target_seconds,
            target_level=target_level,
        )
        level_now = staffing.service_level(
            traffic=rate * model_handle,
            servers=supply.slots,
            handle_seconds=model_handle,
            target_seconds=target_seconds,
        )
    return StaffingAdvice(
        language=tag,
        name=language_name(tag),
        arrivals_per_hour=rate * 3600,
        mean_handle_seconds=handle,
        capacity_per_agent=per_agent,
        agents_online=supply.agents,
        slots_online=supply.slots,
        service_level_now=level_now,
        needed=needed,
        agents_needed=(
            None
            if needed is None or per_agent <= 0
            else staffing.agents_for_servers(servers=needed.servers, capacity_per_agent=per_agent)
        ),
    )


def staffing_advice(
    *,
    target_seconds: float,
    target_level: float,
    now: datetime | None = None,
    rate_window: timedelta = LAST_HOUR,
    handle_window: timedelta = DEFAULT_WINDOW,
) -> list[StaffingAdvice]:
    """Per language: agents needed so that `target_level` of tickets wait at most
    `target_seconds` for an agent, at the observed arrival rate and handle time."""
    now = now or timezone.now()
    observed = _observed(now=now, rate_window=rate_window, handle_window=handle_window)
    supply = supply_by_language_base(now=now)
    return [
        _advise(
            tag=tag,
            row=observed.get(tag, {}),
            supply=supply.get(tags.primary(tag), Supply()),
            rate_window=rate_window,
            target=(target_seconds, target_level),
        )
        for tag in queue_languages(observed)
    ]
