"""Reads of agents. `available` is the one database definition of "routing may give this agent a
ticket" (DESIGN §5: online and seen within AGENT_TTL_SECONDS), the same rule as
`routing.policy.is_available` applies to snapshots."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet

from supportdesk.agents.models import Agent
from supportdesk.agents.roles import MANAGERS_GROUP


def available(*, now: datetime, prefix: str = "") -> Q:
    """`prefix` reaches an agent through a relation, e.g. `prefix="assignee__"`."""
    seen_after = now - timedelta(seconds=settings.AGENT_TTL_SECONDS)
    return Q(**{f"{prefix}status": Agent.Status.ONLINE, f"{prefix}last_seen__gte": seen_after})


def available_agents(*, now: datetime) -> QuerySet[Agent]:
    return Agent.objects.filter(available(now=now))


def is_manager(user: object) -> bool:
    """Superuser or in the managers group. Remembered on the user object, which lives for one
    request: a page asks many times (every admin module of the sidebar, the header link)."""
    if getattr(user, "is_superuser", False):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    known = getattr(user, "_supportdesk_is_manager", None)
    if known is None:
        known = user.groups.filter(name=MANAGERS_GROUP).exists()  # type: ignore[attr-defined]  # authenticated: a User
        user._supportdesk_is_manager = known  # type: ignore[attr-defined]  # per-request memo
    return bool(known)
