"""Client applications register webhook endpoints; nobody else sees them."""

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from supportdesk.notifications.models import WebhookDelivery, WebhookEndpoint
from tests.conftest import ClientPrincipal, StaffPrincipal

pytestmark = pytest.mark.django_db

URL = "/api/v1/webhooks/"


def register(client: APIClient, **body: object) -> dict[str, object]:
    response = client.post(
        URL, {"url": "https://hooks.example.com/sd", "events": ["ticket.created"], **body}, "json"
    )
    assert response.status_code == 201, response.content
    data: dict[str, object] = response.json()
    return data


def test_a_client_registers_and_sees_the_secret_once(client_a: ClientPrincipal) -> None:
    created = register(client_a.client)
    assert str(created["secret"]).startswith("whsec_")
    assert created["events"] == ["ticket.created"]
    listed = client_a.client.get(URL).json()
    assert [e["id"] for e in listed] == [created["id"]]
    assert "secret" not in listed[0]


def test_another_client_gets_404_and_staff_and_anonymous_are_refused(
    client_a: ClientPrincipal,
    client_b: ClientPrincipal,
    agent_principal: StaffPrincipal,
    anon_client: APIClient,
) -> None:
    created = register(client_a.client)
    one = f"{URL}{created['id']}/"
    assert client_b.client.get(one).status_code == 404
    assert client_b.client.delete(one).status_code == 404
    assert client_b.client.get(URL).json() == []
    assert agent_principal.client.get(URL).status_code == 403
    assert anon_client.get(URL).status_code == 401


def test_update_delete_and_delivery_log(client_a: ClientPrincipal) -> None:
    created = register(client_a.client)
    one = f"{URL}{created['id']}/"
    changed = client_a.client.patch(one, {"events": [], "active": False}, "json")
    assert changed.status_code == 200
    assert changed.json()["events"] == []
    assert changed.json()["active"] is False
    endpoint = WebhookEndpoint.objects.get()
    WebhookDelivery.objects.create(
        endpoint=endpoint,
        event="ticket.created",
        payload={"version": 1},
        next_attempt_at=endpoint.created_at,
    )
    log = client_a.client.get(f"{one}deliveries/").json()
    assert [d["event"] for d in log] == ["ticket.created"]
    assert client_a.client.delete(one).status_code == 204
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"events": ["ticket.exploded"]}, "events"),
        ({"url": "ftp://example.com/x"}, "url"),
        ({"url": "http://127.0.0.1:8000/hook"}, "url"),
        ({"url": "http://10.0.0.5/hook"}, "url"),
        ({"url": "http://100.100.100.200/latest/meta-data"}, "url"),
        ({"url": "http://[64:ff9b::7f00:1]/hook"}, "url"),
        ({"url": "http://[2002:7f00:1::]/hook"}, "url"),
        ({"url": "http://[::ffff:127.0.0.1]/hook"}, "url"),
        ({"url": "http://224.0.0.1/hook"}, "url"),
        ({"url": "http://localhost./hook"}, "url"),
        ({"url": "https://user:secret@hooks.example.com/sd"}, "url"),
        ({"url": "https://hooks.example.com:99999/sd"}, "url"),
        ({"url": "https://hooks.example.com:0/sd"}, "url"),
    ],
)
@override_settings(WEBHOOK_ALLOW_PRIVATE_URLS=False)
def test_bad_registrations_are_400(
    client_a: ClientPrincipal, body: dict[str, object], field: str
) -> None:
    payload = {"url": "https://hooks.example.com/sd", **body}
    response = client_a.client.post(URL, payload, "json")
    assert response.status_code == 400
    assert field in response.json()


@override_settings(WEBHOOK_MAX_ENDPOINTS_PER_APP=2)
def test_a_client_application_may_register_a_limited_number_of_endpoints(
    client_a: ClientPrincipal, client_b: ClientPrincipal
) -> None:
    register(client_a.client)
    register(client_a.client, url="https://hooks.example.com/other")
    # when A registers a third one
    response = client_a.client.post(URL, {"url": "https://hooks.example.com/third"}, "json")
    # then it is refused with a message, and B still has its own allowance
    assert response.status_code == 400
    assert "at most 2" in response.json()["url"][0]
    register(client_b.client)
