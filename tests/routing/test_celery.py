"""End to end with a REAL Celery worker over Redis (not eager): intake → routing on commit,
capacity, freeing capacity, timed fallback by the beat sweep, unavailable agents."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from supportdesk.agents.models import Agent
from supportdesk.clients.models import ClientApplication
from supportdesk.tickets.commands import NewCustomer, NewTicket
from supportdesk.tickets.models import Priority, Ticket, TicketStatus
from supportdesk.tickets.services import ticket_create, ticket_set_status
from tests.factories import AgentFactory, ClientAppFactory
from tests.routing.conftest import StartWorker, publishing_to, wait_until

pytestmark = [
    pytest.mark.celery,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def create(
    app: ClientApplication, language: str, n: int, priority: int = Priority.NORMAL
) -> list[int]:
    return [
        ticket_create(
            client_app=app,
            new=NewTicket(
                subject=f"{language} question {i}",
                body="Hello",
                customer=NewCustomer(email=f"{language}{i}-{priority}@example.com"),
                language=language,
                priority=priority,
            ),
        )[0].id
        for i in range(n)
    ]


def assigned(ids: list[int]) -> int:
    return Ticket.objects.filter(id__in=ids, assignee__isnull=False).count()


def test_tickets_route_end_to_end_capacity_holds_and_freed_capacity_goes_in_queue_order(
    start_worker: StartWorker, shared_redis: str
) -> None:
    # given two Dutch agents with two slots each, an away and an offline Dutch agent
    app = ClientAppFactory()
    a, b = (AgentFactory(skills=["nl"], capacity=2) for _ in range(2))
    away = AgentFactory(skills=["nl"], status=Agent.Status.AWAY)
    offline = AgentFactory(skills=["nl"], status=Agent.Status.OFFLINE)
    start_worker(broker=shared_redis)
    with publishing_to(shared_redis):
        # when six tickets arrive through the intake service
        first = create(app, "nl", 4)
        # then the four slots are taken through the worker
        wait_until(lambda: assigned(first) == 4, seconds=30, what="4 tickets routed")
        late = create(app, "nl", 2)
        urgent = create(app, "nl", 1, priority=Priority.URGENT)
        wait_until(
            lambda: Ticket.objects.get(id=urgent[0]).routing_note.get("waits_because") == "full",
            seconds=30,
            what="the urgent ticket to be told it waits",
        )
        # and nobody is above capacity; away/offline agents got nothing
        assert not Agent.objects.filter(load__gt=F("capacity")).exists()
        assert {away.tickets.count(), offline.tickets.count()} == {0}
        assert assigned(late + urgent) == 0
        # when one open ticket is solved, its slot goes to the urgent ticket, not the older ones
        ticket_set_status(ticket_id=first[0], status=TicketStatus.SOLVED, actor=None)
        wait_until(lambda: assigned(urgent) == 1, seconds=30, what="the freed slot to be used")
        assert assigned(late) == 0
        # when another is solved, the oldest waiting one comes next (FIFO)
        ticket_set_status(ticket_id=first[1], status=TicketStatus.SOLVED, actor=None)
        wait_until(lambda: assigned(late[:1]) == 1, seconds=30, what="FIFO after priority")
    assert assigned(late[1:]) == 0
    for agent in (a, b):
        agent.refresh_from_db()
        assert agent.load == agent.tickets.filter(status=TicketStatus.OPEN).count() == 2


def test_the_beat_sweep_hands_a_ticket_to_a_fallback_speaker_after_the_configured_wait(
    start_worker: StartWorker, shared_redis: str
) -> None:
    # given a full Catalan agent, a free Spanish one, and a worker running beat (sweep 1 s)
    app = ClientAppFactory()
    AgentFactory(skills=["ca"], capacity=0)
    spanish = AgentFactory(skills=["es"])
    start_worker(broker=shared_redis, beat=True)
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
        Ticket.objects.filter(id=ticket_id).update(
            created_at=timezone.now() - timedelta(seconds=301)
        )
        # then the sweep gives it to the Spanish speaker
        wait_until(lambda: assigned([ticket_id]) == 1, seconds=30, what="the timed fallback")
    assert Ticket.objects.get(id=ticket_id).assignee_id == spanish.id
