from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from supportdesk.agents.models import Agent, AgentLanguage
from supportdesk.notifications.services.customer_emails import email_sweep
from supportdesk.tickets.demo import hub_config
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


def test_the_demo_hub_has_an_online_native_speaker_for_every_language_it_seeds_tickets_in() -> None:
    seed("--agents", "40", "--tickets", "0")

    languages = set(hub_config()["native_share"])
    spoken = set(
        AgentLanguage.objects.filter(
            agent__status=Agent.Status.ONLINE, proficiency="native"
        ).values_list("tag", flat=True)
    )
    assert languages <= spoken


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_demo_customers_get_no_mail_unless_asked(settings: Any) -> None:
    """`make run` seeds 500 tickets: their acknowledgements went to the console (26,000 lines
    before the banner). Fictional customers' mail is recorded as sent and sent nowhere."""
    # given a mail backend that keeps what is sent, and commits that run their hooks
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    # when the demo is seeded
    seed("--agents", "3", "--tickets", "4")
    # then no e-mail left, and none is owed to a later sweep either
    assert mail.outbox == []
    assert email_sweep() == 0
    assert mail.outbox == []
    # unless the seeding is asked to send them
    seed("--agents", "3", "--tickets", "6", "--send-mail")
    assert len(mail.outbox) == 2  # the two new tickets' acknowledgements
