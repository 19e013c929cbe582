"""Issue #13's first observation, through the services on PostgreSQL: an agent who comes
online takes its own language's tickets before urgent tickets it could only serve by fallback."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from supportdesk.agents.models import Agent
from supportdesk.agents.services import agent_set_status
from supportdesk.routing import selectors
from supportdesk.routing.services import agent_fill
from supportdesk.tickets.models import Priority, Ticket
from tests.factories import AgentFactory, TicketFactory

pytestmark = pytest.mark.django_db

FOREIGN = ["fr", "pl", "ro", "it", "uk"]  # nobody speaks them; every chain ends in English


def _hub() -> tuple[Agent, list[int], list[int]]:
    urgent = [TicketFactory(language=tag, priority=Priority.URGENT).id for tag in FOREIGN]
    japanese = [TicketFactory(language="ja").id for _ in range(11)]
    agent = AgentFactory(skills=["ja", "en"], capacity=5, status=Agent.Status.OFFLINE)
    return agent, urgent, japanese


def _taken(agent: Agent) -> set[int]:
    return set(Ticket.objects.filter(assignee=agent).values_list("id", flat=True))


def test_a_japanese_agent_coming_online_takes_japanese_tickets_first(
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    # given eleven waiting Japanese tickets and five urgent ones in languages nobody speaks
    agent, _, japanese = _hub()
    # when a Japanese agent (English: fluent) with five slots comes online
    with django_capture_on_commit_callbacks(execute=True):
        agent_set_status(agent=agent, status=Agent.Status.ONLINE)
    # then its five slots go to Japanese customers
    taken = _taken(agent)
    assert len(taken) == 5
    assert taken <= set(japanese)


@override_settings(ROUTING_POLICY="old")
def test_the_old_policy_gave_it_the_urgent_fallback_tickets(
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    agent, urgent, _ = _hub()
    with django_capture_on_commit_callbacks(execute=True):
        agent_set_status(agent=agent, status=Agent.Status.ONLINE)
    assert _taken(agent) == set(urgent)


def test_an_agent_whose_own_queue_fills_its_room_still_takes_an_aged_fallback_ticket_first(
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    # given eleven Japanese tickets and a French one (nobody speaks French) waiting past aging
    agent, urgent, japanese = _hub()
    aged = urgent[0]
    Ticket.objects.filter(id=aged).update(
        created_at=timezone.now() - timedelta(seconds=settings.ROUTING_AGING_AFTER_SECONDS + 1)
    )
    Agent.objects.filter(id=agent.id).update(status=Agent.Status.ONLINE)
    selectors.fallbacks_for(languages=["ja", *FOREIGN])  # chains known, as in a running worker
    # when its room is filled (its own language's queue could fill all five slots, so the
    # speakers' supply is not read: the aged ticket may go to anyone who matches it)
    with django_assert_max_num_queries(9):
        assert agent_fill(agent_id=agent.id) == 5
    # then the aged ticket comes first, then four Japanese ones in queue order
    assert _taken(agent) == {aged, *japanese[:4]}
