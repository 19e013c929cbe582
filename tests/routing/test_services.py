"""Routing services on PostgreSQL, through the services (tasks run eagerly: no broker here)."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from supportdesk.agents.models import Agent
from supportdesk.agents.services import agent_release_slot, agent_set_capacity, agent_set_status
from supportdesk.routing.selectors import routing_explanation
from supportdesk.routing.services import (
    agent_fill,
    agents_expire,
    language_drain,
    reconcile_loads,
    route_waiting,
    ticket_route,
    tickets_reclaim,
)
from supportdesk.tickets.models import EventKind, Priority, Ticket, TicketEvent, TicketStatus
from tests.factories import AgentFactory, CustomerFactory, TicketFactory

pytestmark = pytest.mark.django_db

Capture = Callable[..., object]


def _backdate(ticket: Ticket, *, by: timedelta) -> None:
    Ticket.objects.filter(id=ticket.id).update(created_at=timezone.now() - by)


def test_route_assigns_the_lighter_agent_claims_one_slot_and_explains_why(
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    # given
    ticket = TicketFactory(language="pt-BR")
    busy = AgentFactory(skills=["pt-BR"], load=4, capacity=5)
    idle = AgentFactory(skills=["pt-BR"], load=0, capacity=5)
    AgentFactory(skills=["de"])
    # when
    with django_assert_max_num_queries(14):
        result = ticket_route(ticket_id=ticket.id)
    # then
    ticket.refresh_from_db()
    idle.refresh_from_db()
    assert (result.outcome, result.agent_id) == ("assigned", idle.id)
    assert (ticket.assignee_id, ticket.status) == (idle.id, TicketStatus.OPEN)
    assert ticket.assigned_at is not None
    assert idle.load == 1
    event = TicketEvent.objects.get(ticket=ticket, kind=EventKind.ASSIGNED)
    assert event.data["winner"] == idle.id
    assert event.data["ranked"] == [idle.id, busy.id]
    assert (event.data["rank"], event.data["proficiency"], event.data["load"]) == (
        "exact",
        "fluent",
        0,
    )
    explanation = routing_explanation(ticket=ticket)
    assert explanation["state"] == "assigned"
    assert explanation["trace"] == event.data


def test_routing_the_same_ticket_twice_changes_nothing_the_second_time() -> None:
    ticket = TicketFactory(language="nl")
    agent = AgentFactory(skills=["nl"])
    ticket_route(ticket_id=ticket.id)

    second = ticket_route(ticket_id=ticket.id)

    agent.refresh_from_db()
    assert second.outcome == "not-routable"
    assert agent.load == 1
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.ASSIGNED).count() == 1


def test_a_ticket_nobody_can_take_waits_and_says_why() -> None:
    # given a Dutch ticket, a full Dutch agent and an offline one
    ticket = TicketFactory(language="nl")
    full = AgentFactory(skills=["nl"], load=2, capacity=2)
    gone = AgentFactory(skills=["nl"], status=Agent.Status.OFFLINE)
    # when
    result = ticket_route(ticket_id=ticket.id)
    # then
    ticket.refresh_from_db()
    assert result.outcome == "waiting"
    assert (ticket.status, ticket.assignee_id) == (TicketStatus.NEW, None)
    assert ticket.routing_note["waits_because"] == "full"
    assert ticket.routing_note["excluded"] == {
        "full": {"count": 1, "agents": [full.id]},
        "offline": {"count": 1, "agents": [gone.id]},
    }
    explanation = routing_explanation(ticket=ticket)
    assert explanation["state"] == "waiting"
    assert "full" in str(explanation["summary"])


def test_a_flood_of_messages_for_a_full_language_costs_two_queries_each(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    # given two waiting Dutch tickets, explained by a first drain (the only Dutch agent is full)
    tickets = [TicketFactory(language="nl") for _ in range(2)]
    agent = AgentFactory(skills=["nl"], load=2, capacity=2)
    assert ticket_route(ticket_id=tickets[0].id).outcome == "waiting"
    note = Ticket.objects.get(id=tickets[1].id).routing_note
    assert note["waits_because"] == "full"
    # when the other ticket's message arrives, then it waits at the cost of two reads
    with django_assert_num_queries(2):
        assert ticket_route(ticket_id=tickets[1].id).outcome == "waiting"
    assert Ticket.objects.get(id=tickets[1].id).routing_note == note
    # when the agent has room again, the next message drains the queue in order
    Agent.objects.filter(id=agent.id).update(load=1)
    assert ticket_route(ticket_id=tickets[1].id).outcome == "waiting"
    assert Ticket.objects.get(id=tickets[0].id).assignee_id == agent.id


def test_scarce_capacity_goes_in_priority_then_deadline_then_fifo_order() -> None:
    # given three waiting Dutch tickets and one agent with two free slots
    now = timezone.now()
    oldest = TicketFactory(language="nl")
    _backdate(oldest, by=timedelta(minutes=3))
    due_soon = TicketFactory(language="nl", first_response_due_at=now + timedelta(minutes=5))
    urgent = TicketFactory(language="nl", priority=Priority.URGENT)
    agent = AgentFactory(skills=["nl"], capacity=2)
    # when the newest ticket's message arrives first
    ticket_route(ticket_id=oldest.id)
    # then the queue is served in order, not the message's ticket first
    assigned = set(Ticket.objects.filter(assignee=agent).values_list("id", flat=True))
    assert assigned == {urgent.id, due_soon.id}
    oldest.refresh_from_db()
    assert oldest.status == TicketStatus.NEW


def test_fallback_speaker_takes_the_ticket_only_after_the_configured_wait() -> None:
    # given a Catalan ticket, a full Catalan agent and a free Spanish one
    ticket = TicketFactory(language="ca")
    AgentFactory(skills=["ca"], load=1, capacity=1)
    spanish = AgentFactory(skills=["es"])
    # when it has just arrived
    assert ticket_route(ticket_id=ticket.id).outcome == "waiting"
    ticket.refresh_from_db()
    assert ticket.routing_note["excluded"]["fallback-not-yet"]["agents"] == [spanish.id]
    # when it has waited ROUTING_FALLBACK_AFTER_SECONDS (300)
    _backdate(ticket, by=timedelta(seconds=301))
    swept = route_waiting()
    # then
    ticket.refresh_from_db()
    assert swept.assigned == 1
    assert ticket.assignee_id == spanish.id
    event = TicketEvent.objects.get(ticket=ticket, kind=EventKind.ASSIGNED)
    assert event.data["rank"] == "fallback"


def test_continuity_gives_a_returning_customer_their_previous_agent() -> None:
    # given a customer served before by a busier agent
    customer = CustomerFactory()
    previous = AgentFactory(skills=["nl"], load=2)
    AgentFactory(skills=["nl"], load=0)
    TicketFactory(
        customer=customer,
        language="nl",
        status=TicketStatus.SOLVED,
        assignee=previous,
        assigned_at=timezone.now() - timedelta(days=1),
    )
    follow_up = TicketFactory(customer=customer, language="nl")
    # when
    result = ticket_route(ticket_id=follow_up.id)
    # then
    assert result.agent_id == previous.id
    event = TicketEvent.objects.get(ticket=follow_up, kind=EventKind.ASSIGNED)
    assert event.data["continuity"] is True


def test_offline_and_away_agents_get_nothing() -> None:
    ticket = TicketFactory(language="nl")
    AgentFactory(skills=["nl"], status=Agent.Status.AWAY)
    AgentFactory(skills=["nl"], status=Agent.Status.ONLINE, last_seen=None)
    assert ticket_route(ticket_id=ticket.id).outcome == "waiting"


def test_freeing_a_slot_pulls_the_next_waiting_ticket_through_the_on_commit_trigger(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    # given a full agent and two waiting tickets, the urgent one newer
    agent = AgentFactory(skills=["nl"], capacity=1, load=1)
    TicketFactory(language="nl", status=TicketStatus.OPEN, assignee=agent)
    normal = TicketFactory(language="nl")
    _backdate(normal, by=timedelta(minutes=1))
    urgent = TicketFactory(language="nl", priority=Priority.URGENT)
    # when the agent's open ticket leaves `open`
    with django_capture_on_commit_callbacks(execute=True):
        agent_release_slot(agent_id=agent.id)
    # then the freed slot went to the urgent ticket
    urgent.refresh_from_db()
    agent.refresh_from_db()
    assert urgent.assignee_id == agent.id
    assert agent.load == 1
    assert Ticket.objects.get(id=normal.id).status == TicketStatus.NEW


def test_going_online_or_raising_capacity_fills_the_agent(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    # given three waiting German tickets and an offline German agent with capacity 1
    tickets = [TicketFactory(language="de") for _ in range(3)]
    agent = AgentFactory(skills=["de"], status=Agent.Status.OFFLINE, capacity=1)
    # when it goes online, then it gets one
    with django_capture_on_commit_callbacks(execute=True):
        agent_set_status(agent=agent, status=Agent.Status.ONLINE)
    assert Ticket.objects.filter(assignee=agent).count() == 1
    # when its capacity is raised, then it gets the rest
    with django_capture_on_commit_callbacks(execute=True):
        agent_set_capacity(agent=agent, capacity=3)
    assert set(Ticket.objects.filter(assignee=agent).values_list("id", flat=True)) == {
        t.id for t in tickets
    }


def test_fill_takes_fallback_tickets_only_when_allowed(
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    # given a Spanish agent, a Catalan speaker who is full, and two Catalan tickets
    AgentFactory(skills=["ca"], load=1, capacity=1)
    fresh = TicketFactory(language="ca")
    old = TicketFactory(language="ca")
    _backdate(old, by=timedelta(minutes=6))
    spanish = AgentFactory(skills=["es"])
    # when
    with django_assert_max_num_queries(14):
        taken = agent_fill(agent_id=spanish.id)
    # then only the ticket that waited long enough went to the fallback speaker
    assert taken == 1
    assert Ticket.objects.get(id=old.id).assignee_id == spanish.id
    assert Ticket.objects.get(id=fresh.id).status == TicketStatus.NEW


def test_a_burst_is_drained_in_batches_without_passing_capacity() -> None:
    agents = [AgentFactory(skills=["fr"], capacity=c) for c in (3, 5, 8)]
    for _ in range(30):
        TicketFactory(language="fr")

    drained = language_drain(language="fr")

    assert len(drained.assigned) == 16
    for agent in agents:
        agent.refresh_from_db()
        assert agent.load == agent.capacity == agent.tickets.filter(status="open").count()
    assert Ticket.objects.filter(status=TicketStatus.NEW).count() == 14


def test_reclaim_returns_a_ticket_whose_agent_left_before_replying_keeping_its_place() -> None:
    # given an agent gone for 11 minutes with a routed and a manually assigned ticket
    now = timezone.now()
    gone = AgentFactory(
        skills=["nl"], status=Agent.Status.AWAY, load=2, last_seen=now - timedelta(minutes=11)
    )
    routed = TicketFactory(
        language="nl", status="open", assignee=gone, assigned_at=now - timedelta(minutes=12)
    )
    manual = TicketFactory(
        language="nl",
        status="open",
        assignee=gone,
        manually_assigned=True,
        assigned_at=now - timedelta(minutes=12),
    )
    _backdate(routed, by=timedelta(minutes=13))
    newer = TicketFactory(language="nl")
    helper = AgentFactory(skills=["nl"], capacity=1)
    # when
    swept = route_waiting()
    # then the routed ticket is back and, being older, goes first; the manual one stays
    routed.refresh_from_db()
    gone.refresh_from_db()
    assert swept.reclaimed == 1
    assert routed.assignee_id == helper.id
    assert Ticket.objects.get(id=manual.id).assignee_id == gone.id
    assert Ticket.objects.get(id=newer.id).status == TicketStatus.NEW
    assert gone.load == 1
    assert TicketEvent.objects.filter(ticket=routed, kind=EventKind.UNASSIGNED).exists()


def test_a_recently_departed_agent_keeps_its_tickets() -> None:
    now = timezone.now()
    away = AgentFactory(skills=["nl"], status=Agent.Status.AWAY, load=1, last_seen=now)
    TicketFactory(language="nl", status="open", assignee=away, assigned_at=now)
    assert tickets_reclaim(now=now) == 0


def test_stale_agents_go_away() -> None:
    now = timezone.now()
    stale = AgentFactory(last_seen=now - timedelta(seconds=121))
    fresh = AgentFactory(last_seen=now)
    assert agents_expire(now=now) == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, fresh.status) == (Agent.Status.AWAY, Agent.Status.ONLINE)


def test_reconcile_repairs_load_drift_and_reports_it() -> None:
    drifted = AgentFactory(load=3)
    TicketFactory(status="open", assignee=drifted)
    honest = AgentFactory(load=1)
    TicketFactory(status="open", assignee=honest)

    report = reconcile_loads()

    drifted.refresh_from_db()
    assert report.drift == {drifted.id: (3, 1)}
    assert drifted.load == 1
    assert report.over_capacity == ()


def test_route_pending_prints_how_many_were_assigned(capsys: pytest.CaptureFixture[str]) -> None:
    AgentFactory(skills=["it"])
    TicketFactory(language="it")
    TicketFactory(language="it")
    call_command("route_pending")
    assert capsys.readouterr().out == "2\n"


def test_a_released_ticket_goes_to_a_colleague_not_back_to_the_agent_who_released_it(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    # given anna holds a Dutch ticket and bram, also Dutch, is busier but has room
    from supportdesk.tickets.services import ticket_assign_manual

    anna = AgentFactory(skills=["nl"], capacity=5)
    bram = AgentFactory(skills=["nl"], capacity=5, load=3)
    ticket = TicketFactory(language="nl")
    ticket_route(ticket_id=ticket.id)
    ticket.refresh_from_db()
    assert ticket.assignee_id == anna.id
    # when anna releases it to the queue
    with django_capture_on_commit_callbacks(execute=True):
        ticket_assign_manual(ticket_id=ticket.id, agent_id=None, actor=anna)
    # then routing gives it to bram, and anna's slot is free
    ticket.refresh_from_db()
    anna.refresh_from_db()
    assert ticket.assignee_id == bram.id
    assert ticket.released_by_id == anna.id
    assert anna.load == 0
