"""Per-agent figures for the managers' dashboard (DESIGN §8): status, load, languages, solved
today, median first response."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from django.db.models import Case, Count, Q, Value, When
from django.utils import timezone

from supportdesk.agents.models import Agent, AgentLanguage
from supportdesk.agents.selectors import available
from supportdesk.dashboards.expressions import SecondsBetween
from supportdesk.dashboards.selectors import grouped_with_percentiles
from supportdesk.dashboards.waits import DEFAULT_WINDOW
from supportdesk.tickets.models import Ticket

AGENT_FIRST_RESPONSE = SecondsBetween("first_response_at", "assigned_at")


@dataclass(frozen=True, slots=True)
class AgentFigures:
    id: int
    name: str
    status: str
    available: bool
    load: int
    capacity: int
    languages: tuple[str, ...]
    solved_today: int
    median_first_response_seconds: float | None


def _agent_ticket_stats(*, now: datetime, window: timedelta) -> dict[int, dict[str, Any]]:
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    responded = Q(first_response_at__gte=now - window, assigned_at__isnull=False)
    tickets = Ticket.objects.filter(
        Q(solved_at__gte=today) | responded, assignee__isnull=False
    ).order_by()
    aggregates: dict[str, Any] = {"solved_today": Count("id", filter=Q(solved_at__gte=today))}
    durations = (("first_response", AGENT_FIRST_RESPONSE, responded & Q(assignee__isnull=False)),)
    rows = grouped_with_percentiles(
        tickets, aggregates, key="assignee_id", durations=durations, fractions={"median": 0.5}
    )
    return cast("dict[int, dict[str, Any]]", rows)


def agent_figures(
    *, now: datetime | None = None, window: timedelta = DEFAULT_WINDOW
) -> list[AgentFigures]:
    """Every agent, available ones first: three queries whatever the number of agents.

    Median first response: assignment → first response, over tickets first answered within
    `window`; solved today: since midnight in the active time zone."""
    now = now or timezone.now()
    agents = (
        Agent.objects.select_related("user")
        .only(
            *("id", "status", "load", "capacity", "last_seen", "user_id"),
            *("user__username", "user__first_name", "user__last_name"),
        )
        .annotate(
            available=Case(
                When(available(now=now), then=Value(True)),
                default=Value(False),
            )
        )
        .order_by("-available", "status", "user__username")
    )
    stats = _agent_ticket_stats(now=now, window=window)
    # one flat query: a prefetch would build 400 related managers (slow at hub size)
    languages: dict[int, list[str]] = defaultdict(list)
    for agent_id, tag in AgentLanguage.objects.order_by("tag").values_list("agent_id", "tag"):
        languages[agent_id].append(tag)
    empty: dict[str, Any] = {}
    return [
        AgentFigures(
            id=agent.id,
            name=agent.display_name,
            status=agent.status,
            available=agent.available,
            load=agent.load,
            capacity=agent.capacity,
            languages=tuple(languages.get(agent.id, ())),
            solved_today=stats.get(agent.id, empty).get("solved_today", 0),
            median_first_response_seconds=stats.get(agent.id, empty).get("first_response_median"),
        )
        for agent in agents
    ]
