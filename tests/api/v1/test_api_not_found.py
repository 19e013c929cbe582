"""Every /api/ path answers JSON, 404s included; a `null` body is a 400 on every endpoint."""

from typing import Any

import pytest

from tests.conftest import ClientPrincipal, StaffPrincipal

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/",
        "/api/",
        "/api/v1/nothing-here/",
        "/api/v1/tickets/not-a-uuid/",
        "/api/v1/tickets/not-a-uuid/messages/",
        "/api/v2/tickets/",
    ],
)
def test_unknown_api_paths_are_json_404s(client_a: ClientPrincipal, path: str) -> None:
    response = client_a.client.get(path, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Nicht gefunden."}


def test_a_null_body_is_a_400_everywhere(
    client_a: ClientPrincipal, agent_principal: StaffPrincipal, ticket_of_a: dict[str, Any]
) -> None:
    base = f"/api/v1/tickets/{ticket_of_a['id']}"
    calls = [
        (client_a.client, "POST", f"{base}/messages/"),
        (agent_principal.client, "POST", f"{base}/replies/"),
        (agent_principal.client, "PATCH", f"{base}/"),
        (agent_principal.client, "PATCH", "/api/v1/agents/me/"),
    ]
    for client, method, path in calls:
        response = client.generic(method, path, b"null", content_type="application/json")
        assert response.status_code == 400, (path, response.content)


def test_a_ticket_is_found_by_its_reference_in_the_path_and_as_a_filter(
    client_a: ClientPrincipal, client_b: ClientPrincipal, ticket_of_a: dict[str, Any]
) -> None:
    reference = ticket_of_a["reference"]
    by_path = client_a.client.get(f"/api/v1/tickets/{reference}/")
    assert by_path.status_code == 200
    assert by_path.json()["id"] == ticket_of_a["id"]
    assert client_a.client.get(f"/api/v1/tickets/{reference.lower()}/").status_code == 200
    listed = client_a.client.get("/api/v1/tickets/", {"reference": reference}).json()
    assert [t["id"] for t in listed["results"]] == [ticket_of_a["id"]]
    # another application's reference is a 404 and an empty list, as its id is
    assert client_b.client.get(f"/api/v1/tickets/{reference}/").status_code == 404
    assert client_b.client.get("/api/v1/tickets/", {"reference": reference}).json()["count"] == 0
    assert client_a.client.get("/api/v1/tickets/", {"reference": "XX-1"}).json()["count"] == 0
