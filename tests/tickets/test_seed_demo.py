from io import StringIO

import pytest
from django.core.management import call_command

from supportdesk.agents.models import Agent
from supportdesk.tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_builds_a_multilingual_hub_and_a_second_run_adds_nothing() -> None:
    first = seed("--agents", "12", "--tickets", "40")
    assert first.count("\n") == 1
    assert "12 agents" in first
    assert "40 new tickets" in first
    languages = set(Ticket.objects.values_list("language", flat=True))
    assert len(languages) >= 5
    assert Message.objects.count() == 40
    assert all(a.skills.filter(proficiency="native").count() == 1 for a in Agent.objects.all())

    second = seed("--agents", "12", "--tickets", "40")

    assert "0 new tickets" in second
    assert Ticket.objects.count() == 40
    assert Agent.objects.count() == 12
