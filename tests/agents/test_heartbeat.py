"""An agent who works stays available: workspace pages, the open page's ping and the agent
API count as activity; the sweep sends away only agents who left."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from supportdesk.agents.models import Agent
from supportdesk.agents.services import agent_seen
from supportdesk.routing.services.sweep import agents_expire
from tests.conftest import StaffPrincipal
from tests.factories import AgentFactory, TicketFactory

pytestmark = pytest.mark.django_db


def test_a_heartbeat_writes_only_when_the_last_one_is_older_than_a_quarter_of_the_ttl() -> None:
    # given an agent seen just now (AGENT_TTL_SECONDS=120 → at most one write per 30 s)
    agent = AgentFactory(last_seen=timezone.now())
    # when it beats again at once, then nothing is written
    assert agent_seen(agent=agent) is False
    # when it beats 31 s later, then last_seen moves
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert agent_seen(agent=Agent.objects.get(pk=agent.pk)) is True
        agent.refresh_from_db()
        assert timezone.now() - agent.last_seen < timedelta(seconds=1)


def test_an_agent_working_in_the_admin_is_not_sent_away_by_the_sweep(
    agent_principal: StaffPrincipal,
) -> None:
    # given an online agent last seen 10 minutes ago, who opens a workspace page now
    agent = agent_principal.agent
    Agent.objects.filter(pk=agent.pk).update(last_seen=timezone.now() - timedelta(minutes=10))
    browser = Client()
    browser.force_login(agent.user)
    assert browser.get("/admin/tickets/ticket/").status_code == 200
    # when the sweep expires silent agents, then this one stays online
    agents_expire(now=timezone.now())
    agent.refresh_from_db()
    assert agent.status == Agent.Status.ONLINE


def test_the_open_page_ping_and_the_agent_api_count_as_activity(
    agent_principal: StaffPrincipal,
) -> None:
    agent = agent_principal.agent
    stale = timezone.now() - timedelta(minutes=10)
    browser = Client()
    browser.force_login(agent.user)
    # the workspace page's ping
    Agent.objects.filter(pk=agent.pk).update(last_seen=stale)
    assert browser.post("/admin/me/heartbeat/").status_code == 204
    agent.refresh_from_db()
    assert agent.last_seen is not None
    assert agent.last_seen > stale
    # an agent app polling GET /api/v1/agents/me/
    Agent.objects.filter(pk=agent.pk).update(last_seen=stale)
    assert agent_principal.client.get("/api/v1/agents/me/").status_code == 200
    agent.refresh_from_db()
    assert agent.last_seen > stale


def test_the_ping_needs_a_signed_in_staff_user() -> None:
    response = Client().post("/admin/me/heartbeat/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_an_agent_who_left_is_sent_away() -> None:
    gone = AgentFactory(last_seen=timezone.now() - timedelta(minutes=10))
    agents_expire(now=timezone.now())
    gone.refresh_from_db()
    assert gone.status == Agent.Status.AWAY


def test_an_agent_the_sweep_sent_away_is_back_online_with_its_next_heartbeat(
    agent_principal: StaffPrincipal,
) -> None:
    # given an agent whose heartbeats stopped, sent away by the sweep, with a Dutch ticket waiting
    agent = agent_principal.agent
    Agent.objects.filter(pk=agent.pk).update(last_seen=timezone.now() - timedelta(minutes=10))
    agents_expire(now=timezone.now())
    agent.refresh_from_db()
    assert (agent.status, agent.away_by_sweep) == (Agent.Status.AWAY, True)
    # when its agent app polls again
    assert agent_principal.client.get("/api/v1/agents/me/").json()["status"] == "online"
    # then it is online, seen now, and the mark is gone
    agent.refresh_from_db()
    assert agent.status == Agent.Status.ONLINE
    assert agent.away_by_sweep is False
    assert timezone.now() - agent.last_seen < timedelta(seconds=5)


def test_a_heartbeat_after_the_sweep_gives_the_agent_waiting_tickets(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # given a Dutch ticket waiting and a Dutch speaker the sweep sent away
    ticket = TicketFactory(language="nl")
    agent = AgentFactory(skills=["nl"], last_seen=timezone.now() - timedelta(minutes=10))
    agents_expire(now=timezone.now())
    # when the agent's workspace pings (routing runs eagerly on commit)
    with django_capture_on_commit_callbacks(execute=True):
        assert agent_seen(agent=Agent.objects.get(pk=agent.pk)) is True
    # then routing filled its room
    ticket.refresh_from_db()
    assert ticket.assignee_id == agent.id


@pytest.mark.parametrize("chosen", [Agent.Status.AWAY, Agent.Status.OFFLINE])
def test_an_agent_who_chose_away_or_offline_stays_so_when_it_shows_activity(
    agent_principal: StaffPrincipal, chosen: str
) -> None:
    # given an agent who set itself away/offline (even after the sweep had sent it away)
    agent = agent_principal.agent
    Agent.objects.filter(pk=agent.pk).update(last_seen=timezone.now() - timedelta(minutes=10))
    agents_expire(now=timezone.now())
    assert (
        agent_principal.client.patch(
            "/api/v1/agents/me/", {"status": chosen}, format="json"
        ).status_code
        == 200
    )
    # when it polls later
    Agent.objects.filter(pk=agent.pk).update(last_seen=timezone.now() - timedelta(minutes=10))
    agent_principal.client.get("/api/v1/agents/me/")
    # then it keeps its choice
    agent.refresh_from_db()
    assert (agent.status, agent.away_by_sweep) == (chosen, False)
