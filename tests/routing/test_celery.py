"""End to end with a REAL Celery worker over Redis (not eager): intake → routing on commit,
capacity, freeing capacity, unavailable agents (the timed fallback: test_celery_fallback.py)."""

import pytest
from django.db.models import F

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
