"""The managers' list of agents: when each was last seen, on the reader's clock and in the
reader's short form, so the row fits a laptop screen in long-worded languages."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from supportdesk.agents.models import Agent

pytestmark = pytest.mark.django_db


def test_last_seen_reads_in_the_manager_s_language_and_clock(
    login: Callable[[Agent], Client], maria: Agent, anna: Agent, bruno: Agent
) -> None:
    # given a manager working in German in Amsterdam, and an agent last seen at 20:05 UTC
    Agent.objects.filter(pk=maria.pk).update(ui_language="de", timezone="Europe/Amsterdam")
    Agent.objects.filter(pk=anna.pk).update(last_seen=datetime(2026, 12, 6, 20, 5, tzinfo=UTC))
    Agent.objects.filter(pk=bruno.pk).update(last_seen=None)
    # when the manager lists the agents
    page = login(maria).get(reverse("admin:agents_agent_changelist")).content.decode()
    # then anna was seen at 21:05 Amsterdam time, in German's short form; bruno never
    assert '<td class="field-seen">06.12.26, 21:05</td>' in page
    assert '<td class="field-seen">—</td>' in page
    assert "Zuletzt gesehen" in page
