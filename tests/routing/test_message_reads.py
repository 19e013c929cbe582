"""The two reads of every routing message, prepared statements on PostgreSQL and the ORM
elsewhere (run here too, so that both answer the same)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from supportdesk.agents.models import Agent
from supportdesk.routing import message_reads
from supportdesk.routing.message_reads import room_among_speakers, waiting_ticket
from supportdesk.tickets.models import Ticket, TicketStatus
from tests.factories import AgentFactory, TicketFactory

pytestmark = pytest.mark.django_db

TTL = timedelta(seconds=120)


@pytest.fixture(params=["prepared", "orm"], autouse=True)
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.param == "orm":  # the path other databases take
        monkeypatch.setattr(message_reads, "on_postgresql", lambda: False)


def test_a_waiting_ticket_gives_its_language_and_whether_it_says_why_it_waits() -> None:
    fresh = TicketFactory(language="pt-BR")
    explained = TicketFactory(language="nl")
    Ticket.objects.filter(id=explained.id).update(routing_note={"waits_because": "full"})
    taken = TicketFactory(language="de")
    Ticket.objects.filter(id=taken.id).update(
        status=TicketStatus.OPEN, assignee=AgentFactory(skills=["de"])
    )

    assert waiting_ticket(ticket_id=fresh.id) == ("pt-BR", False)
    assert waiting_ticket(ticket_id=explained.id) == ("nl", True)
    assert waiting_ticket(ticket_id=taken.id) is None
    assert waiting_ticket(ticket_id=taken.id + 1000) is None


def test_room_among_speakers_counts_available_speakers_of_any_variant_with_a_free_slot() -> None:
    now = timezone.now()
    AgentFactory(skills=["pt-PT"], load=3, capacity=3)  # full
    AgentFactory(skills=["pt-BR"], status=Agent.Status.AWAY)  # not online
    AgentFactory(skills=["pt-BR"], last_seen=now - TTL - timedelta(seconds=1))  # not seen
    AgentFactory(skills=["es"], load=0, capacity=2)  # another language
    assert not room_among_speakers(languages=["pt-BR"], now=now, agent_ttl=TTL)
    assert room_among_speakers(languages=["pt-BR", "es"], now=now, agent_ttl=TTL)

    AgentFactory(skills=["pt-PT"], load=1, capacity=2)
    assert room_among_speakers(languages=["pt-BR"], now=now, agent_ttl=TTL)
