"""Staff users for the admin tests: agents with an agent profile (made by the same service as
`create_agent`), a manager, and tickets in their languages."""

from collections.abc import Callable

import pytest
from django.test import Client

from supportdesk.agents.models import Agent
from supportdesk.agents.services import agent_upsert
from supportdesk.tickets.models import Ticket, TicketStatus
from tests.factories import TicketFactory

PASSWORD = "correct-horse-battery"


def make_agent(username: str, skills: dict[str, str], *, manager: bool = False) -> Agent:
    agent, _token = agent_upsert(
        username=username, skills=skills, manager=manager, password=PASSWORD
    )
    return agent


def open_ticket(agent: Agent, **fields: object) -> Ticket:
    """An `open` ticket assigned to `agent`, counted in its load (as routing would)."""
    ticket: Ticket = TicketFactory(status=TicketStatus.OPEN, assignee=agent, **fields)
    Agent.objects.filter(pk=agent.pk).update(load=agent.tickets.filter(status="open").count())
    return ticket


@pytest.fixture
def anna(db: None) -> Agent:
    """Speaks Dutch and English."""
    return make_agent("anna", {"nl": "native", "en": "fluent"})


@pytest.fixture
def bruno(db: None) -> Agent:
    """Speaks Portuguese (Brazil) and English."""
    return make_agent("bruno", {"pt-BR": "native", "en": "fluent"})


@pytest.fixture
def maria(db: None) -> Agent:
    """A manager who also speaks German."""
    return make_agent("maria", {"de": "native"}, manager=True)


@pytest.fixture
def login(client: Client) -> Callable[[Agent], Client]:
    def _login(agent: Agent) -> Client:
        client.force_login(agent.user)
        return client

    return _login
