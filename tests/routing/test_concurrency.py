"""Several threads, each with its own PostgreSQL connection, route and free capacity at once;
afterwards the DESIGN §5 invariants hold."""

import random
import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.db.models import Count, F, Q

from supportdesk.agents.models import Agent
from supportdesk.routing.services import route_waiting, ticket_route
from supportdesk.tickets.models import EventKind, Ticket, TicketEvent, TicketStatus
from supportdesk.tickets.services import ticket_set_status
from tests.factories import AgentFactory, CustomerFactory, TicketFactory

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LANGUAGES = ["nl", "de", "fr", "es", "pt-BR", "ja"]
TICKETS = 2_000
AGENTS = 60
ROUTERS = 4
SOLVES = 150
WATCHDOG_SECONDS = 900  # a hung thread fails the test (below); no thread stops on time


def _in_thread(errors: list[BaseException], body: Callable[[], None]) -> threading.Thread:
    def run() -> None:
        try:
            body()
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            connection.close()

    return threading.Thread(target=run)


def _build_hub() -> list[int]:
    rng = random.Random(4)
    for _ in range(AGENTS):
        skills = rng.sample(LANGUAGES, k=rng.randint(1, 3))
        AgentFactory(skills=skills, capacity=rng.randint(20, 40))  # ~1,800 slots: some wait
    customer = CustomerFactory()
    tickets = Ticket.objects.bulk_create(
        TicketFactory.build(customer=customer, language=LANGUAGES[i % len(LANGUAGES)])
        for i in range(TICKETS)
    )
    return [t.id for t in tickets]


def test_four_routers_and_a_solver_keep_every_invariant() -> None:
    # given a hub of 60 agents (capacity 20-40, 1-3 of 6 languages) and 2,000 waiting tickets
    ids = _build_hub()
    errors: list[BaseException] = []
    routers_done = threading.Event()
    solved: list[int] = []

    def router(seed: int) -> None:
        mine = list(ids)
        random.Random(seed).shuffle(mine)
        for ticket_id in mine:
            ticket_route(ticket_id=ticket_id)

    def solver() -> None:
        """Agents finish work while the routers run: each solve frees a slot and triggers a
        fill. It counts what it did, so how far it gets on a loaded machine changes nothing
        the test asserts: it solves SOLVES tickets, finishing after the routers if need be."""
        while len(solved) < SOLVES:
            batch = list(
                Ticket.objects.filter(status=TicketStatus.OPEN).values_list("id", flat=True)[:10]
            )
            if not batch and routers_done.is_set():
                return  # nothing open and nothing more to come (asserted below)
            for ticket_id in batch[: SOLVES - len(solved)]:
                ticket_set_status(ticket_id=ticket_id, status=TicketStatus.SOLVED, actor=None)
                solved.append(ticket_id)

    routers = [_in_thread(errors, lambda s=s: router(s)) for s in range(ROUTERS)]
    solving = _in_thread(errors, solver)
    # when they all run at once
    for thread in [*routers, solving]:
        thread.start()
    for thread in routers:
        thread.join(timeout=WATCHDOG_SECONDS)
    routers_done.set()
    solving.join(timeout=WATCHDOG_SECONDS)
    route_waiting()  # what the beat sweep would do for anything left
    # then
    assert errors == []
    assert not any(thread.is_alive() for thread in [*routers, solving])
    agents = Agent.objects.annotate(
        open_count=Count("tickets", filter=Q(tickets__status=TicketStatus.OPEN))
    )
    assert not agents.exclude(load=F("open_count")).exists(), "load == open tickets per agent"
    assert not Agent.objects.filter(load__gt=F("capacity")).exists(), "nobody above capacity"
    twice = (
        TicketEvent.objects.filter(kind=EventKind.ASSIGNED)
        .values("ticket_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not twice.exists(), "no ticket assigned twice"
    routed = Ticket.objects.filter(id__in=ids, assignee__isnull=False).count()
    waiting = Ticket.objects.filter(id__in=ids, status=TicketStatus.NEW, assignee=None).count()
    assert routed + waiting == TICKETS, "every ticket assigned or waiting"
    assert TicketEvent.objects.filter(kind=EventKind.ASSIGNED).count() == routed
    assert len(solved) == SOLVES
    assert Ticket.objects.filter(status=TicketStatus.SOLVED).count() == SOLVES
    # nothing waits while an agent who speaks its language has room
    waiting_languages = set(
        Ticket.objects.filter(status=TicketStatus.NEW).values_list("language", flat=True)
    )
    with_room = Agent.objects.filter(load__lt=F("capacity"))
    for language in waiting_languages:
        assert not with_room.filter(skills__language_base=language.split("-")[0]).exists()
    assert waiting > 0, "the hub was saturated: capacity was really contended"
