"""Who may call the privacy endpoints: client applications for their own customers, managers
for any application's; agents never; nobody without credentials."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.conftest import ClientPrincipal, StaffPrincipal
from tests.privacy.conftest import EMAIL, new_ticket

pytestmark = pytest.mark.django_db

ENDPOINTS = ("/api/v1/customers/erase/", "/api/v1/customers/export/")


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_callers_get_401_with_a_challenge(anon_client: APIClient, url: str) -> None:
    response = anon_client.post(url, {"email": EMAIL}, "json")
    assert response.status_code == 401
    assert response.has_header("WWW-Authenticate")


@pytest.mark.parametrize("url", ENDPOINTS)
def test_agents_get_403(agent_principal: StaffPrincipal, url: str) -> None:
    response = agent_principal.client.post(url, {"email": EMAIL, "client_application": 1}, "json")
    assert response.status_code == 403


@pytest.mark.parametrize("url", ENDPOINTS)
def test_another_applications_customer_is_a_404(
    client_a: ClientPrincipal, client_b: ClientPrincipal, url: str
) -> None:
    new_ticket(client_a)
    assert client_b.client.post(url, {"email": EMAIL}, "json").status_code == 404
    named = {"email": EMAIL, "client_application": client_a.app.pk}
    assert client_b.client.post(url, named, "json").status_code == 404


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_manager_must_name_the_application(
    manager_principal: StaffPrincipal, client_a: ClientPrincipal, url: str
) -> None:
    new_ticket(client_a)
    response = manager_principal.client.post(url, {"email": EMAIL}, "json")
    assert response.status_code == 400
    assert "client_application" in response.json()


@pytest.mark.parametrize(
    ("url", "field"),
    [(ENDPOINTS[0], "force"), (ENDPOINTS[1], "include_internal")],
)
def test_managers_only_options_are_refused_to_client_applications(
    client_a: ClientPrincipal, url: str, field: str
) -> None:
    new_ticket(client_a)
    response = client_a.client.post(url, {"email": EMAIL, field: True}, "json")
    assert response.status_code == 403
    assert field in response.json()["detail"]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_bad_input_is_a_400(client_a: ClientPrincipal, url: str) -> None:
    for body in ({}, {"email": "not an address"}, {"email": "a" * 250 + "@example.org"}):
        assert client_a.client.post(url, body, "json").status_code == 400


def test_export_jobs_are_visible_to_their_application_and_managers_only(
    client_a: ClientPrincipal,
    client_b: ClientPrincipal,
    manager_principal: StaffPrincipal,
    agent_principal: StaffPrincipal,
    anon_client: APIClient,
) -> None:
    new_ticket(client_a)
    job = client_a.client.post(ENDPOINTS[1], {"email": EMAIL}, "json").json()
    url = f"/api/v1/customers/export/{job['id']}/"
    assert client_a.client.get(url).status_code == 200
    assert manager_principal.client.get(url).status_code == 200
    assert client_b.client.get(url).status_code == 404
    assert agent_principal.client.get(url).status_code == 403
    assert anon_client.get(url).status_code == 401
