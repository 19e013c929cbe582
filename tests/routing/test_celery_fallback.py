"""The language_first rule end to end with a REAL Celery worker (beat sweep every second):
an agent fills with its own language first, and a fallback speaker gets a ticket only when
the ticket's own speakers are full and not expected back within the grace, or it has aged."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from supportdesk.agents.models import Agent
from supportdesk.agents.services import agent_set_capacity
from supportdesk.tickets.models import Ticket, TicketStatus
from supportdesk.tickets.services import ticket_set_status
from tests.factories import AgentFactory, ClientAppFactory, TicketFactory
from tests.routing.conftest import StartWorker, publishing_to, wait_until
from tests.routing.test_celery import assigned, create

pytestmark = [
    pytest.mark.celery,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SWEEP_DONE = b"Task routing.sweep["


def full_catalan_agent() -> Agent:
    """A Catalan speaker with one slot, holding one open ticket (the reconcile keeps it so)."""
    catalan = AgentFactory(skills=["ca"], capacity=1, load=1)
    TicketFactory(
        language="ca", assignee=catalan, status=TicketStatus.OPEN, assigned_at=timezone.now()
    )
    return catalan


def backdate(ticket_id: int, *, seconds: int) -> None:
    Ticket.objects.filter(id=ticket_id).update(
        created_at=timezone.now() - timedelta(seconds=seconds)
    )


def sweeps(log: Path) -> int:
    return log.read_bytes().count(SWEEP_DONE) // 2  # "received" and "succeeded"


def wait_for_sweeps(log: Path, n: int) -> None:
    start = sweeps(log)
    wait_until(lambda: sweeps(log) >= start + n, seconds=30, what=f"{n} more sweeps")


def test_the_sweep_hands_a_ticket_to_a_fallback_speaker_when_its_speaker_is_not_free_soon(
    start_worker: StartWorker, shared_redis: str
) -> None:
    # given a full Catalan agent (tickets take 7 minutes: no slot within the 2-minute grace)
    app = ClientAppFactory()
    full_catalan_agent()
    spanish = AgentFactory(skills=["es"])
    start_worker(broker=shared_redis, beat=True, ROUTING_HANDLE_ESTIMATE_SECONDS="420")
    with publishing_to(shared_redis):
        # when a Catalan ticket arrives, it waits: the fallback is not allowed yet
        [ticket_id] = create(app, "ca", 1)
        wait_until(
            lambda: Ticket.objects.get(id=ticket_id).routing_note.get("waits_because") == "full",
            seconds=30,
            what="the Catalan ticket to be told why it waits",
        )
        note = Ticket.objects.get(id=ticket_id).routing_note
        assert note["excluded"]["fallback-not-yet"]["agents"] == [spanish.id]
        # when it has waited ROUTING_FALLBACK_AFTER_SECONDS
        backdate(ticket_id, seconds=301)
        # then the sweep gives it to the Spanish speaker
        wait_until(lambda: assigned([ticket_id]) == 1, seconds=30, what="the timed fallback")
    assert Ticket.objects.get(id=ticket_id).assignee_id == spanish.id


def test_a_ticket_waits_past_the_fallback_wait_for_its_speaker_expected_back_within_the_grace(
    start_worker: StartWorker, shared_redis: str
) -> None:
    # given a full Catalan agent whose tickets take a minute, a free Spanish agent
    app = ClientAppFactory()
    catalan = full_catalan_agent()
    held = Ticket.objects.get(assignee=catalan)
    spanish = AgentFactory(skills=["es"])
    worker = start_worker(broker=shared_redis, beat=True, ROUTING_HANDLE_ESTIMATE_SECONDS="60")
    with publishing_to(shared_redis):
        [ticket_id] = create(app, "ca", 1)
        # when it has waited past ROUTING_FALLBACK_AFTER_SECONDS and the sweep ran twice
        backdate(ticket_id, seconds=301)
        wait_for_sweeps(worker.log, 2)
        # then it still waits for the Catalan speaker, who is expected back within the grace
        assert assigned([ticket_id]) == 0
        # when the Catalan speaker solves its ticket, then the slot goes to the Catalan ticket
        ticket_set_status(ticket_id=held.id, status=TicketStatus.SOLVED, actor=None)
        wait_until(lambda: assigned([ticket_id]) == 1, seconds=30, what="the native fill")
    assert Ticket.objects.get(id=ticket_id).assignee_id == catalan.id
    assert spanish.tickets.count() == 0


def test_an_aged_ticket_goes_to_a_fallback_speaker_whatever_is_expected(
    start_worker: StartWorker, shared_redis: str
) -> None:
    # given a full Catalan agent expected back within the grace, a free Spanish agent
    app = ClientAppFactory()
    full_catalan_agent()
    spanish = AgentFactory(skills=["es"])
    worker = start_worker(broker=shared_redis, beat=True, ROUTING_HANDLE_ESTIMATE_SECONDS="60")
    with publishing_to(shared_redis):
        [ticket_id] = create(app, "ca", 1)
        backdate(ticket_id, seconds=301)
        wait_for_sweeps(worker.log, 2)
        assert assigned([ticket_id]) == 0
        # when it has waited ROUTING_AGING_AFTER_SECONDS, then nothing holds it back
        backdate(ticket_id, seconds=901)
        wait_until(lambda: assigned([ticket_id]) == 1, seconds=30, what="the aged fallback")
    assert Ticket.objects.get(id=ticket_id).assignee_id == spanish.id


def test_an_agent_with_new_room_takes_its_own_language_before_older_fallback_tickets(
    start_worker: StartWorker, shared_redis: str
) -> None:
    # given a Spanish agent without room, two Catalan tickets (nobody speaks Catalan: Spanish
    # is their fallback) and, newer, two Spanish tickets
    app = ClientAppFactory()
    spanish = AgentFactory(skills=["es"], capacity=0)
    start_worker(broker=shared_redis)
    with publishing_to(shared_redis):
        catalan = create(app, "ca", 2)
        own = create(app, "es", 2)
        wait_until(
            lambda: all(Ticket.objects.get(id=t).routing_note.get("waits_because") for t in own),
            seconds=30,
            what="the tickets to be routed once and wait",
        )
        # when the agent gets two slots
        agent_set_capacity(agent=spanish, capacity=2)
        wait_until(lambda: assigned(own + catalan) == 2, seconds=30, what="the fill")
    # then it took the Spanish tickets, not the older Catalan ones
    assert assigned(own) == 2
    assert assigned(catalan) == 0
