"""What the timed fallback reads from PostgreSQL: the speakers' supply per primary subtag and
each language's recent handle time."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from supportdesk.agents.models import Agent
from supportdesk.routing import selectors
from supportdesk.routing.rules import Supply
from supportdesk.tickets.models import TicketStatus
from tests.factories import AgentFactory, TicketFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_handles() -> Iterator[None]:
    selectors._handles.clear()  # the per-process minute cache
    yield
    selectors._handles.clear()


def test_supply_counts_available_speakers_their_room_and_their_tickets_per_subtag() -> None:
    # given two Portuguese speakers (pt-PT and pt-BR), one away, one stale, one Catalan
    AgentFactory(skills=["pt-PT"], capacity=5, load=5)
    AgentFactory(skills=["pt-BR", "es"], capacity=4, load=1)
    AgentFactory(skills=["pt-BR"], status=Agent.Status.AWAY, load=2)
    AgentFactory(skills=["pt-BR"], last_seen=timezone.now() - timedelta(hours=1))
    AgentFactory(skills=["ca"], capacity=3, load=3)
    # when
    supply = selectors.speaker_supply(now=timezone.now(), agent_ttl=timedelta(minutes=2))
    # then
    assert supply["pt"] == Supply(speakers=2, free=3, busy=6)
    assert supply["es"] == Supply(speakers=1, free=3, busy=1)
    assert supply["ca"] == Supply(speakers=1, free=0, busy=3)
    assert "nl" not in supply


def test_handle_estimates_are_the_last_hours_mean_assignment_to_solved_per_language() -> None:
    # given two Catalan tickets solved in the last hour after 60 s and 120 s, an old one
    now = timezone.now()
    for seconds in (60, 120):
        TicketFactory(
            language="ca",
            status=TicketStatus.SOLVED,
            assigned_at=now - timedelta(minutes=10),
            solved_at=now - timedelta(minutes=10) + timedelta(seconds=seconds),
        )
    TicketFactory(
        language="nl",
        status=TicketStatus.SOLVED,
        assigned_at=now - timedelta(hours=3),
        solved_at=now - timedelta(hours=2),
    )
    # when
    estimates = selectors.routing_policy().handle_estimates
    # then Catalan has its own figure; Dutch (nothing recent) falls back to the default
    assert estimates["ca"] == timedelta(seconds=90)
    assert "nl" not in estimates
