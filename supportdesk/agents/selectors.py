"""Reads of agents. `available` is the one database definition of "routing may give this agent a
ticket" (DESIGN §5: online and seen within AGENT_TTL_SECONDS), the same rule as
`routing.policy.is_available` applies to snapshots."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet

from supportdesk.agents.models import Agent


def available(*, now: datetime, prefix: str = "") -> Q:
    """`prefix` reaches an agent through a relation, e.g. `prefix="assignee__"`."""
    seen_after = now - timedelta(seconds=settings.AGENT_TTL_SECONDS)
    return Q(**{f"{prefix}status": Agent.Status.ONLINE, f"{prefix}last_seen__gte": seen_after})


def available_agents(*, now: datetime) -> QuerySet[Agent]:
    return Agent.objects.filter(available(now=now))
