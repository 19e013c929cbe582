"""The assignment writers: PostgreSQL's one statement (commit_rows.py) and the ORM's statements
(the embedded SQLite) write the same rows for the same batch."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from supportdesk.agents.models import Agent
from supportdesk.routing.services import assign
from supportdesk.routing.services.assign import Assignment
from supportdesk.tickets.models import EventKind, MatchRank, Ticket, TicketEvent, TicketStatus
from tests.factories import AgentFactory, TicketFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["one-statement", "orm"])
def writer(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "orm":  # the path other databases take, run here on PostgreSQL
        monkeypatch.setattr(assign, "on_postgresql", lambda: False)
    return str(request.param)


def trace(agent: Agent, rank: str) -> dict[str, object]:
    return {"winner": agent.id, "rank": rank, "via": "test"}


def test_a_batch_assigns_what_fits_and_nothing_else(
    writer: str, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    # given an agent with two free slots, a full one, an offline one, and a ticket that another
    # worker assigned since the plan was made
    roomy = AgentFactory(skills=["nl"], capacity=3, load=1)
    full = AgentFactory(skills=["nl"], capacity=1, load=1)
    gone = AgentFactory(skills=["nl"], status=Agent.Status.OFFLINE)
    first, second, third, fourth, taken = (TicketFactory(language="nl") for _ in range(5))
    Ticket.objects.filter(id=taken.id).update(status=TicketStatus.OPEN, assignee=full)
    # a ticket routed before (then released) keeps the first match it recorded
    Ticket.objects.filter(id=second.id).update(first_match_rank=MatchRank.EXACT)
    plan = [
        Assignment(first.id, roomy.id, trace(roomy, "exact")),
        Assignment(second.id, roomy.id, trace(roomy, "fallback")),
        Assignment(third.id, full.id, trace(full, "exact")),
        Assignment(fourth.id, gone.id, trace(gone, "exact")),
        Assignment(taken.id, roomy.id, trace(roomy, "exact")),
    ]
    now = timezone.now()
    # when
    with django_assert_max_num_queries(6 if writer == "one-statement" else 12):
        granted = assign._commit(plan, now=now)
    # then the roomy agent got its two tickets, in one claim; the others none
    assert [item.ticket_id for item in granted] == [first.id, second.id]
    loads = dict(Agent.objects.values_list("id", "load"))
    assert (loads[roomy.id], loads[full.id], loads[gone.id]) == (3, 1, 0)
    rows = {
        row["id"]: row
        for row in Ticket.objects.values(
            "id", "status", "assignee_id", "assigned_at", "routing_note", "first_match_rank"
        )
    }
    for ticket, rank in ((first, MatchRank.EXACT), (second, MatchRank.EXACT)):
        assert rows[ticket.id] == {
            "id": ticket.id,
            "status": TicketStatus.OPEN,
            "assignee_id": roomy.id,
            "assigned_at": now,
            "routing_note": {},
            "first_match_rank": rank,
        }
    for ticket in (third, fourth):
        assert (rows[ticket.id]["status"], rows[ticket.id]["assignee_id"]) == ("new", None)
    assert rows[taken.id]["assignee_id"] == full.id
    events = TicketEvent.objects.filter(kind=EventKind.ASSIGNED).order_by("ticket_id")
    assert [(e.ticket_id, e.actor_label, e.data) for e in events] == [
        (first.id, "routing", trace(roomy, "exact")),
        (second.id, "routing", trace(roomy, "fallback")),
    ]
    roomy.refresh_from_db()
    assert roomy.last_assigned_at == now


def test_an_agent_whose_claim_does_not_fit_whole_gets_none_of_it(writer: str) -> None:
    # given an agent with one free slot and two tickets planned for it
    agent = AgentFactory(skills=["de"], capacity=2, load=1)
    tickets = [TicketFactory(language="de") for _ in range(2)]
    plan = [Assignment(t.id, agent.id, trace(agent, "exact")) for t in tickets]
    # when / then: the conditional claim fails, nothing is written, the tickets wait
    assert assign._commit(plan, now=timezone.now() - timedelta(seconds=1)) == []
    agent.refresh_from_db()
    assert agent.load == 1
    assert not Ticket.objects.filter(assignee=agent).exists()
    assert not TicketEvent.objects.filter(kind=EventKind.ASSIGNED).exists()
