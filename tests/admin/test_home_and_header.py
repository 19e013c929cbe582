"""`/` ("View site") leads where each user's work is; managers reach the dashboard from the
admin; an agent who opens /dashboard/ gets a translated managers-only page (403)."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from supportdesk.agents.models import Agent

pytestmark = pytest.mark.django_db
Login = Callable[[Agent], Client]


def test_anonymous_visitors_go_to_the_admin_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_agents_land_on_their_ticket_list(login: Login, anna: Agent) -> None:
    response = login(anna).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:tickets_ticket_changelist")


def test_managers_land_on_the_dashboard(login: Login, maria: Agent) -> None:
    response = login(maria).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:dashboard")


def test_view_site_in_the_admin_leads_to_home(login: Login, anna: Agent) -> None:
    page = login(anna).get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("home")}"' in page


def test_managers_see_the_dashboard_in_the_header_and_on_the_index(
    login: Login, maria: Agent
) -> None:
    page = login(maria).get(reverse("admin:index")).content.decode()
    assert page.count(f'href="{reverse("dashboards:dashboard")}"') == 2  # header and index


def test_agents_are_not_offered_the_dashboard(login: Login, anna: Agent) -> None:
    page = login(anna).get(reverse("admin:index")).content.decode()
    assert reverse("dashboards:dashboard") not in page


def test_an_agent_opening_the_dashboard_gets_a_translated_managers_only_page(
    client: Client, anna: Agent
) -> None:
    Agent.objects.filter(pk=anna.pk).update(ui_language="nl")
    client.force_login(anna.user)
    response = client.get(reverse("dashboards:dashboard"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Deze pagina is voor managers" in page
    assert "supportdesk/admin.css" in page  # the admin's look, not a bare error page
    assert reverse("admin:tickets_ticket_changelist") in page


@pytest.mark.parametrize(
    ("url", "title"),
    [
        (reverse("admin:tickets_customer_changelist"), "Customers"),
        (reverse("admin:languages_language_changelist"), "Languages"),
    ],
)
def test_lists_are_titled_by_what_they_list(
    login: Login, maria: Agent, url: str, title: str
) -> None:
    page = login(maria).get(url).content.decode()
    assert f"<h1>{title}</h1>" in page
    assert f"<title>{title} | supportdesk</title>" in page
    assert "to change" not in page
