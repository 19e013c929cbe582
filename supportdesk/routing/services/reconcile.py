"""The reconciler (beat, every minute): `Agent.load` re-derived from open tickets."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F

from supportdesk.agents.models import Agent
from supportdesk.routing import selectors
from supportdesk.routing.nudges import fill_agent_on_commit
from supportdesk.tickets.models import Ticket, TicketStatus

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReconcileReport:
    drift: dict[int, tuple[int, int]] = field(default_factory=dict)  # agent -> (was, now)
    over_capacity: tuple[int, ...] = ()  # allowed only after a capacity cut or a forced claim


def reconcile_loads() -> ReconcileReport:
    """Fix every agent whose load differs from its open tickets and report the drift.

    The check is one query; each fix locks the agent row first, so an assignment in flight
    (which holds that row until it commits) is counted, never undone.
    """
    drift: dict[int, tuple[int, int]] = {}
    for agent_id in selectors.open_load_drift():
        with transaction.atomic(durable=True):
            agent = (
                Agent.objects.select_for_update(no_key=True)
                .filter(id=agent_id)
                .only("load")
                .first()
            )
            if agent is None:
                continue
            actual = Ticket.objects.filter(assignee_id=agent_id, status=TicketStatus.OPEN).count()
            if actual == agent.load:
                continue
            Agent.objects.filter(id=agent_id).update(load=actual)
            drift[agent_id] = (agent.load, actual)
            if actual < agent.load:
                fill_agent_on_commit(agent_id=agent_id)
    if drift:
        logger.warning("routing: agent load drift repaired: %s", drift)
    over = tuple(
        Agent.objects.filter(load__gt=F("capacity")).order_by("id").values_list("id", flat=True)
    )
    return ReconcileReport(drift=drift, over_capacity=over)
