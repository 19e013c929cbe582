"""Issue #13's first observation, through the services on PostgreSQL: an agent who comes
online takes its own language's tickets before urgent tickets it could only serve by fallback."""

from collections.abc import Callable

import pytest
from django.test import override_settings

from supportdesk.agents.models import Agent
from supportdesk.agents.services import agent_set_status
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
