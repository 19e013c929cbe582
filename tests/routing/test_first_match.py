"""The first agent's language match is recorded once, by routing's assignment, for the hub's
native-language service figure (dashboards.native)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from supportdesk.agents.models import Agent
from supportdesk.routing.services import agent_fill, ticket_route
from supportdesk.routing.services.sweep import tickets_reclaim
from supportdesk.tickets.models import MatchRank, Ticket, TicketStatus
from supportdesk.tickets.services import ticket_assign_manual
from tests.factories import AgentFactory, TicketFactory

pytestmark = pytest.mark.django_db


def rank_of(ticket: Ticket) -> int | None:
    ticket.refresh_from_db()
    return ticket.first_match_rank


def test_each_routed_ticket_records_how_its_first_agent_matched() -> None:
    # given a Dutch, a Brazilian and a Catalan ticket; a Dutch, a European-Portuguese and a
    # Spanish speaker (nobody speaks Catalan, whose fallback chain is es → en)
    dutch, brazilian, catalan = (TicketFactory(language=tag) for tag in ("nl", "pt-BR", "ca"))
    AgentFactory(skills=["nl"])
    AgentFactory(skills=["pt-PT"])
    AgentFactory(skills=["es"])
    # when routing assigns them
    for ticket in (dutch, brazilian, catalan):
        assert ticket_route(ticket_id=ticket.id).outcome == "assigned"
    # then each remembers its match
    assert rank_of(dutch) == MatchRank.EXACT
    assert rank_of(brazilian) == MatchRank.SAME_BASE
    assert rank_of(catalan) == MatchRank.FALLBACK


def test_an_agent_filling_its_room_records_the_match_too() -> None:
    ticket = TicketFactory(language="pt-BR")
    agent = AgentFactory(skills=["pt-PT"], status=Agent.Status.OFFLINE)
    assert ticket_route(ticket_id=ticket.id).outcome == "waiting"
    assert rank_of(ticket) is None  # waiting: no first agent yet

    Agent.objects.filter(pk=agent.pk).update(status=Agent.Status.ONLINE, last_seen=timezone.now())
    assert agent_fill(agent_id=agent.id) == 1

    assert rank_of(ticket) == MatchRank.SAME_BASE


def test_a_ticket_routed_again_keeps_its_first_match() -> None:
    # given a Catalan ticket first given to a Spanish speaker (fallback) who then left
    ticket = TicketFactory(language="ca")
    spanish = AgentFactory(skills=["es"])
    ticket_route(ticket_id=ticket.id)
    Ticket.objects.filter(pk=ticket.pk).update(assigned_at=timezone.now() - timedelta(hours=1))
    Agent.objects.filter(pk=spanish.pk).update(
        status=Agent.Status.OFFLINE, last_seen=timezone.now() - timedelta(hours=1)
    )
    assert tickets_reclaim(now=timezone.now()) == 1
    # when a Catalan speaker arrives and routing gives it to her
    catalan = AgentFactory(skills=["ca"])
    assert ticket_route(ticket_id=ticket.id).outcome == "assigned"
    # then the ticket is hers, and its first match stays the fallback it was
    ticket.refresh_from_db()
    assert ticket.assignee_id == catalan.id
    assert ticket.first_match_rank == MatchRank.FALLBACK


def test_a_manual_first_assignment_records_no_match() -> None:
    ticket = TicketFactory(language="nl")
    agent = AgentFactory(skills=["de"])

    ticket_assign_manual(ticket_id=ticket.id, agent_id=agent.id, actor=None)

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN
    assert ticket.first_match_rank is None
