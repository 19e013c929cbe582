"""The /dashboard/ page's access rules and shell, and who may scrape /metrics."""

import json

import pytest
import time_machine
from django.test import Client, override_settings

from supportdesk.tickets.models import EventKind, TicketEvent
from tests.conftest import StaffPrincipal
from tests.dashboards.conftest import NOW, Hub

pytestmark = pytest.mark.django_db


def logged_in(principal: StaffPrincipal) -> Client:
    client = Client()
    client.force_login(principal.agent.user)
    return client


def test_anonymous_visitors_are_sent_to_the_admin_login() -> None:
    response = Client().get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/dashboard/")


def test_agents_who_are_not_managers_get_403(agent_principal: StaffPrincipal) -> None:
    assert logged_in(agent_principal).get("/dashboard/").status_code == 403


def test_managers_get_the_page_with_its_scripts_and_api_addresses(
    manager_principal: StaffPrincipal,
) -> None:
    response = logged_in(manager_principal).get("/dashboard/?refresh=1")

    assert response.status_code == 200
    html = response.content.decode()
    assert "dashboards/dashboard.js" in html
    assert "dashboards/charts.js" in html
    assert "//cdn" not in html
    config = response.context["config"]
    assert config["refresh_seconds"] == 2  # clamped to the minimum
    assert config["api"]["queues"] == "/api/v1/dashboard/queues/"
    assert json.dumps(config)  # the page embeds it with json_script


def test_the_page_speaks_the_requested_language(manager_principal: StaffPrincipal) -> None:
    response = logged_in(manager_principal).get("/dashboard/", HTTP_ACCEPT_LANGUAGE="nl")

    assert response.status_code == 200
    assert '<html lang="nl"' in response.content.decode()
    assert response.context["config"]["locale"] == "nl"


def test_static_chart_code_is_served_without_a_cdn() -> None:
    for name in ("dashboard.js", "charts.js", "dashboard.css"):
        response = Client().get(f"/static/dashboards/{name}")
        response.close()
        assert response.status_code == 200, name


@time_machine.travel(NOW, tick=False)
@override_settings(DEBUG=True)  # without a token, loopback may scrape in development only
def test_metrics_from_loopback_expose_queue_depth_agents_and_routing_outcomes(hub: Hub) -> None:
    ticket = hub.a1.tickets.first()
    assert ticket is not None
    TicketEvent.objects.create(ticket=ticket, kind=EventKind.ASSIGNED)

    response = Client(REMOTE_ADDR="127.0.0.1").get("/metrics")

    assert response.status_code == 200
    text = response.content.decode()
    assert 'supportdesk_queue_waiting{language="nl"} 3.0' in text
    assert 'supportdesk_queue_oldest_wait_seconds{language="nl"} 600.0' in text
    assert "supportdesk_agents_online 3.0" in text
    assert 'supportdesk_ticket_events_total{kind="assigned"} 1.0' in text


def test_metrics_are_closed_to_remote_clients_without_a_token() -> None:
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 403


@override_settings(METRICS_TOKEN="s3cret-metrics")
def test_metrics_token_is_required_when_configured() -> None:
    anonymous = Client(REMOTE_ADDR="127.0.0.1").get("/metrics")
    wrong = Client(REMOTE_ADDR="10.1.2.3").get("/metrics", HTTP_AUTHORIZATION="Bearer nope")
    right = Client(REMOTE_ADDR="10.1.2.3").get(
        "/metrics", HTTP_AUTHORIZATION="Bearer s3cret-metrics"
    )

    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"].startswith("Bearer")
    assert wrong.status_code == 401
    assert right.status_code == 200
