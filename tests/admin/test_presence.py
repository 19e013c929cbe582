"""Presence and collisions on the ticket page: heartbeats kept in a real Redis (the private
server `TEST_REDIS` names), "X is viewing" for both agents, and a reply that is not sent when
someone wrote since the page was opened, until the agent confirms."""

import time
from collections.abc import Iterator

import pytest
import redis
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from supportdesk.agents.models import Agent
from supportdesk.tickets.admin import presence
from supportdesk.tickets.models import Message, Ticket
from tests.admin.conftest import make_agent, open_ticket
from tests.factories import MessageFactory
from tests.redis_urls import redis_url

pytestmark = pytest.mark.django_db

REDIS_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url(7),  # this module's own database on the private server
    }
}


@pytest.fixture(autouse=True)
def real_redis() -> Iterator[None]:
    with override_settings(CACHES=REDIS_CACHE):
        cache.clear()
        yield
        cache.clear()


def client_for(agent: Agent) -> Client:
    client = Client()
    client.force_login(agent.user)
    return client


def beat(client: Client, ticket: Ticket, **data: str) -> dict[str, object]:
    url = reverse("admin:tickets_ticket_presence", args=[ticket.pk])
    response = client.post(url, data)
    assert response.status_code == 200
    result: dict[str, object] = response.json()
    return result


def test_two_agents_on_one_ticket_see_each_other(anna: Agent) -> None:
    ticket = open_ticket(anna, language="nl")
    lea = make_agent("lea", {"nl": "fluent"})
    lea.user.first_name = "Lea"
    lea.user.save()
    anna_client, lea_client = client_for(anna), client_for(lea)

    assert beat(anna_client, ticket)["viewers"] == []  # alone at first
    assert beat(lea_client, ticket)["viewing"] == "Also viewing this ticket: anna"
    assert beat(anna_client, ticket)["viewers"] == ["Lea"]
    # the entry lives in Redis with a short expiry, not in a process's memory
    server = redis.Redis.from_url(redis_url(7))
    ttl = server.ttl(cache.make_key(f"sd:presence:ticket:{ticket.pk}"))
    assert 0 < ttl <= presence.PRESENCE_TTL_SECONDS


def test_the_viewing_notice_is_in_the_agents_language(anna: Agent) -> None:
    ticket = open_ticket(anna, language="nl")
    lea = make_agent("lea", {"nl": "fluent"})
    Agent.objects.filter(pk=anna.pk).update(ui_language="nl")
    beat(client_for(lea), ticket)
    assert beat(client_for(anna), ticket)["viewing"] == "Bekijkt dit ticket ook: lea"


def test_a_closed_page_leaves_at_once_and_a_silent_one_lapses(
    anna: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticket = open_ticket(anna, language="nl")
    lea, max_ = make_agent("lea", {"nl": "fluent"}), make_agent("max", {"nl": "fluent"})
    anna_client = client_for(anna)
    beat(client_for(lea), ticket)
    url = reverse("admin:tickets_ticket_presence", args=[ticket.pk])
    assert client_for(lea).post(url, {"leaving": "1"}).status_code == 204
    assert beat(anna_client, ticket)["viewers"] == []

    monkeypatch.setattr(presence, "PRESENCE_TTL_SECONDS", 1)
    beat(client_for(max_), ticket)
    assert beat(anna_client, ticket)["viewers"] == ["max"]
    time.sleep(1.2)
    assert beat(anna_client, ticket)["viewers"] == []


def test_presence_is_refused_for_a_ticket_the_agent_cannot_see(anna: Agent) -> None:
    bruno = make_agent("bruno", {"pt-BR": "native"})
    theirs = open_ticket(bruno, language="pt-BR")
    url = reverse("admin:tickets_ticket_presence", args=[theirs.pk])
    assert client_for(anna).post(url).status_code == 404
    assert client_for(anna).get(url).status_code == 405


def test_the_heartbeat_counts_messages_that_arrived_since_the_page_opened(anna: Agent) -> None:
    ticket = open_ticket(anna, language="nl")
    first = MessageFactory(ticket=ticket, body="Hallo")
    MessageFactory(ticket=ticket, body="Nog iets")
    data = beat(client_for(anna), ticket, after=str(first.pk))
    assert data["new_messages"] == 1
    assert "1" in str(data["arrived"])


def test_a_reply_is_held_back_when_the_customer_wrote_since_the_page_opened(
    anna: Agent,
) -> None:
    # given: anna opens the ticket (the page remembers the newest message it showed)
    ticket = open_ticket(anna, language="nl")
    MessageFactory(ticket=ticket, body="Waar is mijn pakket?")
    client = client_for(anna)
    url = reverse("admin:tickets_ticket_change", args=[ticket.pk])
    page = client.get(url)
    seen = page.context["adminform"].form.initial["seen_message"]
    # meanwhile the customer writes again
    MessageFactory(ticket=ticket, body="Laat maar, het is er al!")
    form = {"status": "open", "priority": "2", "reply_kind": "public", "seen_message": str(seen)}

    # when: she sends her reply
    warned = client.post(url, {**form, "reply_body": "Het pakket komt morgen."})

    # then: nothing is sent; the new message is shown first, with a warning
    assert warned.status_code == 200
    html = warned.content.decode()
    assert html.index("Laat maar, het is er al!") < html.index('id="id_reply_body"')
    assert "Your reply was not sent" in html
    assert not Message.objects.filter(ticket=ticket, body="Het pakket komt morgen.").exists()

    # when she submits again (the page now carries the confirmation), it is sent
    confirmed = {
        **form,
        "reply_body": "Fijn dat het er is!",
        "confirm_send": "on",
        "seen_message": str(warned.context["adminform"].form.data["seen_message"]),
    }
    assert client.post(url, confirmed).status_code == 302
    assert Message.objects.filter(ticket=ticket, body="Fijn dat het er is!").exists()


def test_a_reply_goes_out_at_once_when_nothing_new_arrived(anna: Agent) -> None:
    ticket = open_ticket(anna, language="nl")
    MessageFactory(ticket=ticket, body="Vraag")
    client = client_for(anna)
    url = reverse("admin:tickets_ticket_change", args=[ticket.pk])
    seen = client.get(url).context["adminform"].form.initial["seen_message"]
    form = {"status": "open", "priority": "2", "reply_kind": "public", "seen_message": seen}
    assert client.post(url, {**form, "reply_body": "Antwoord"}).status_code == 302
    assert Message.objects.filter(ticket=ticket, body="Antwoord").exists()
