"""The living demo: customers post in many languages and the seeded demo agents answer and solve
their tickets after a handle time, through the real services (routing fills the freed slots)."""

import random
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from supportdesk.agents.models import Agent
from supportdesk.agents.services import agent_upsert
from supportdesk.tickets.demo_live import LiveDemo, handle_seconds
from supportdesk.tickets.models import AuthorKind, Message, Ticket, TicketStatus
from tests.factories import TicketFactory

pytestmark = pytest.mark.django_db


def test_customers_post_at_the_configured_rate_in_many_languages() -> None:
    demo = LiveDemo(arrivals_per_minute=30, rng=random.Random(7))
    start = timezone.now()
    # ten minutes of one-second ticks, compressed
    posted = sum(demo.tick(start + timedelta(seconds=s)).posted for s in range(0, 600, 5))

    assert 200 <= posted <= 400  # Poisson around 300
    assert Ticket.objects.count() == posted
    assert Ticket.objects.values("language").distinct().count() >= 10


def test_no_arrivals_when_the_rate_is_zero() -> None:
    demo = LiveDemo(arrivals_per_minute=0, rng=random.Random(1))
    assert demo.tick(timezone.now() + timedelta(hours=1)).posted == 0


def test_a_demo_agent_answers_and_solves_its_ticket_after_the_handle_time() -> None:
    # given a seeded demo agent and the human demo agent, each holding a Dutch ticket
    bot, _ = agent_upsert(username="demo-agent-001", skills={"nl": "native"}, online=True)
    person, _ = agent_upsert(username="demo-agent", skills={"nl": "native"}, online=True)
    assigned = timezone.now()
    tickets = {}
    for agent in (bot, person):
        ticket = TicketFactory(language="nl")
        Ticket.objects.filter(pk=ticket.pk).update(
            status=TicketStatus.OPEN, assignee=agent, assigned_at=assigned
        )
        Agent.objects.filter(pk=agent.pk).update(load=1)
        tickets[agent.user.username] = ticket
    demo = LiveDemo(arrivals_per_minute=0, mean_handle_seconds=60)
    handle = handle_seconds(tickets["demo-agent-001"].id, mean=60)
    # when its handle time has not passed, nothing happens
    assert demo.tick(assigned + timedelta(seconds=handle - 1)).solved == 0
    # when it has, then the bot replied in Dutch and solved it, freeing its slot
    assert demo.tick(assigned + timedelta(seconds=handle + 1)).solved == 1
    solved = Ticket.objects.get(pk=tickets["demo-agent-001"].pk)
    assert solved.status == TicketStatus.SOLVED
    assert solved.first_response_at is not None
    reply = Message.objects.get(ticket=solved, author_kind=AuthorKind.AGENT)
    assert reply.body.startswith("Dank voor je bericht")
    bot.refresh_from_db()
    assert bot.load == 0
    # and the person's ticket is theirs to work, whatever the time
    assert demo.tick(assigned + timedelta(hours=2)).solved == 0
    assert Ticket.objects.get(pk=tickets["demo-agent"].pk).status == TicketStatus.OPEN


def test_handle_times_are_bounded_and_the_same_for_the_same_ticket() -> None:
    draws = [handle_seconds(ticket_id, mean=180) for ticket_id in range(1, 500)]
    assert min(draws) >= 20
    assert max(draws) <= 720
    assert 120 < sum(draws) / len(draws) < 240
    assert handle_seconds(42, mean=180) == handle_seconds(42, mean=180)


@override_settings(DEBUG=False)
def test_the_command_refuses_to_post_made_up_tickets_without_debug() -> None:
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_live", "--seconds", "1")
    assert not Ticket.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(DEBUG=True)
def test_the_command_runs_for_the_given_time() -> None:
    call_command("demo_live", "--seconds", "1.5", "--arrivals-per-minute", "600", "--seed", "3")
    assert Ticket.objects.exists()
