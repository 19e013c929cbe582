"""A small hand-built hub with known answers (see each figure's derivation in test_selectors)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from supportdesk.agents.models import Agent
from supportdesk.tickets.models import Ticket, TicketStatus
from tests.factories import AgentFactory, TicketFactory

NOW = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)


def minutes(n: float) -> datetime:
    return NOW - timedelta(minutes=n)


def make_ticket(
    language: str,
    *,
    created: datetime,
    status: str = TicketStatus.NEW,
    assignee: Agent | None = None,
    assigned: datetime | None = None,
    responded: datetime | None = None,
    solved: datetime | None = None,
    due: datetime | None = None,
) -> Ticket:
    ticket: Ticket = TicketFactory(language=language, status=status, assignee=assignee)
    # created_at is auto_now_add: set the whole timeline with one UPDATE
    Ticket.objects.filter(pk=ticket.pk).update(
        created_at=created,
        assigned_at=assigned,
        first_response_at=responded,
        solved_at=solved,
        first_response_due_at=due,
    )
    ticket.refresh_from_db()
    return ticket


@dataclass(frozen=True)
class Hub:
    a1: Agent
    a2: Agent
    a3: Agent
    a4: Agent
    a5: Agent


@pytest.fixture
def hub(db: None) -> Hub:
    """nl: 3 waiting (one at risk, one breached), 2 open (one at risk), 1 solved last hour,
    1 solved days ago; de: 1 waiting. Agents: a1 nl 2/5, a2 nl+de 4/4, a3 nl offline,
    a4 de stale (seen 10 min ago), a5 pt-PT 0/5."""
    a1 = AgentFactory(skills=["nl:native"], capacity=5, load=2, last_seen=NOW)
    a2 = AgentFactory(skills=["nl", "de"], capacity=4, load=4, last_seen=NOW)
    a3 = AgentFactory(skills=["nl"], status=Agent.Status.OFFLINE, last_seen=minutes(60))
    a4 = AgentFactory(skills=["de"], last_seen=minutes(10))
    a5 = AgentFactory(skills=["pt-PT"], capacity=5, load=0, last_seen=NOW)
    make_ticket("nl", created=minutes(10), due=NOW + timedelta(minutes=5))  # W1 at risk
    make_ticket("nl", created=minutes(4), due=minutes(1))  # W2 breached
    make_ticket("nl", created=minutes(2))  # W3 no deadline
    open_ = TicketStatus.OPEN
    make_ticket(  # O1: waited 600 s, answered after 1200 s, in time
        "nl",
        created=minutes(50),
        status=open_,
        assignee=a1,
        assigned=minutes(40),
        responded=minutes(30),
        due=minutes(20),
    )
    make_ticket(  # O2: waited 60 s, not answered, due in 10 min: at risk
        "nl",
        created=minutes(30),
        status=open_,
        assignee=a1,
        assigned=minutes(29),
        due=NOW + timedelta(minutes=10),
    )
    make_ticket(  # S1: waited 120 s, answered late after 3600 s, solved 20 min ago
        "nl",
        created=minutes(180),
        status=TicketStatus.SOLVED,
        assignee=a2,
        assigned=minutes(178),
        responded=minutes(120),
        solved=minutes(20),
        due=minutes(150),
    )
    make_ticket(  # S2: long ago, outside every window
        "nl",
        created=minutes(3 * 24 * 60),
        status=TicketStatus.SOLVED,
        assignee=a2,
        assigned=minutes(3 * 24 * 60 - 1),
        responded=minutes(3 * 24 * 60 - 5),
        solved=minutes(2 * 24 * 60),
    )
    make_ticket("de", created=minutes(1))
    return Hub(a1, a2, a3, a4, a5)
