"""The agent's status switch on every admin page, and the admin in the agent's language."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from supportdesk.agents.models import Agent

pytestmark = pytest.mark.django_db

Login = Callable[[Agent], Client]
STATUS_URL = reverse("agent-status")


@pytest.mark.parametrize(
    "page",
    [
        reverse("admin:index"),
        reverse("admin:tickets_ticket_changelist"),
        reverse("admin:agents_agent_changelist"),
        reverse("admin:languages_language_changelist"),
    ],
)
def test_the_status_switch_is_on_every_admin_page(login: Login, anna: Agent, page: str) -> None:
    html = login(anna).get(page).content.decode()

    assert 'id="agent-status"' in html
    assert 'value="away"' in html
    assert 'class="agent-status agent-status--offline"' in html


def test_switching_to_away_returns_to_the_same_page(login: Login, anna: Agent) -> None:
    back_to = reverse("admin:tickets_ticket_changelist") + "?show=all"

    response = login(anna).post(STATUS_URL, {"status": "away", "next": back_to})

    assert response.status_code == 302
    assert response.url == back_to
    anna.refresh_from_db()
    assert anna.status == Agent.Status.AWAY
    assert anna.last_seen is not None


def test_an_unknown_status_changes_nothing(login: Login, anna: Agent) -> None:
    response = login(anna).post(STATUS_URL, {"status": "asleep"}, follow=True)

    anna.refresh_from_db()
    assert anna.status == Agent.Status.OFFLINE
    assert "not a valid status" in response.content.decode()


def test_the_switch_does_not_redirect_off_site(login: Login, anna: Agent) -> None:
    response = login(anna).post(STATUS_URL, {"status": "online", "next": "https://evil.example/"})

    assert response.url == reverse("admin:index")


def test_the_switch_needs_a_signed_in_staff_user_and_a_post(client: Client, anna: Agent) -> None:
    assert client.post(STATUS_URL, {"status": "online"}).status_code == 302  # to the login
    anna.refresh_from_db()
    assert anna.status == Agent.Status.OFFLINE
    client.force_login(anna.user)
    assert client.get(STATUS_URL).status_code == 405


def test_the_admin_speaks_the_agents_ui_language(login: Login, anna: Agent) -> None:
    Agent.objects.filter(pk=anna.pk).update(ui_language="nl")

    response = login(anna).get(reverse("admin:index"), headers={"accept-language": "de"})

    html = response.content.decode()
    assert '<html lang="nl"' in html
    assert "Afmelden" in html  # Django's own "Log out"
    assert response.headers["Content-Language"] == "nl"


def test_without_a_preference_the_browser_language_wins(login: Login, anna: Agent) -> None:
    response = login(anna).get(reverse("admin:index"), headers={"accept-language": "de"})

    assert "Abmelden" in response.content.decode()


def test_arabic_renders_right_to_left(login: Login, anna: Agent) -> None:
    Agent.objects.filter(pk=anna.pk).update(ui_language="ar")

    html = login(anna).get(reverse("admin:tickets_ticket_changelist")).content.decode()

    assert '<html lang="ar" dir="rtl">' in html
    assert "admin/css/rtl.css" in html


def test_the_api_keeps_the_accept_language(login: Login, anna: Agent) -> None:
    Agent.objects.filter(pk=anna.pk).update(ui_language="nl")

    response = login(anna).get("/api/v1/no-such-endpoint/", headers={"accept-language": "de"})

    assert response.headers.get("Content-Language") == "de"
