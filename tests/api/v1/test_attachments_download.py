"""GET /api/v1/attachments/{id}/: who may download, and how the file is served."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from supportdesk.attachments.models import Attachment
from tests.api.v1.conftest import assert_conforms
from tests.attachments import files
from tests.attachments.files import ticket_form, upload
from tests.conftest import ClientPrincipal, StaffPrincipal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("attachment_media")]

TICKETS = "/api/v1/tickets/"


def _ticket_with_files(client: APIClient, *uploads: Any) -> dict[str, Any]:
    response = client.post(TICKETS, ticket_form(files=list(uploads)), format="multipart")
    assert response.status_code == 201, response.content
    data: dict[str, Any] = response.json()
    return data


@pytest.fixture
def public_and_internal(
    client_a: ClientPrincipal,
    agent_principal: StaffPrincipal,
    django_capture_on_commit_callbacks: Any,
) -> tuple[str, str]:
    """The id of a customer's photo (its thumbnail made) and of an internal note's file, on
    client A's ticket (in Dutch)."""
    with django_capture_on_commit_callbacks(execute=True):
        ticket = _ticket_with_files(client_a.client, upload("doos.png", files.png()))
    note = agent_principal.client.post(
        f"{TICKETS}{ticket['id']}/replies/",
        {"body": "Intern", "internal": "true", "files": upload("scan.pdf", files.pdf())},
        format="multipart",
    )
    assert note.status_code == 201
    return ticket["attachments"][0]["id"], note.json()["attachments"][0]["id"]


def _client(name: str, request: pytest.FixtureRequest) -> APIClient:
    if name == "anon":
        anon: APIClient = request.getfixturevalue("anon_client")
        return anon
    principal = request.getfixturevalue(name)
    client: APIClient = principal.client
    return client


@pytest.mark.parametrize(
    ("who", "public", "thumbnail", "internal"),
    [
        pytest.param("client_a", 200, 200, 404, id="owning-client"),
        pytest.param("client_b", 404, 404, 404, id="other-client"),
        pytest.param("agent_principal", 200, 200, 200, id="agent"),
        pytest.param("german_agent", 404, 404, 404, id="agent-who-cannot-see-the-ticket"),
        pytest.param("manager_principal", 200, 200, 200, id="manager"),
        pytest.param("anon", 401, 401, 401, id="anonymous"),
    ],
)
def test_authorization_matrix(
    public_and_internal: tuple[str, str],
    request: pytest.FixtureRequest,
    who: str,
    public: int,
    thumbnail: int,
    internal: int,
) -> None:
    client = _client(who, request)
    public_id, internal_id = public_and_internal
    got = [
        client.get(url)
        for url in (
            f"/api/v1/attachments/{public_id}/",
            f"/api/v1/attachments/{public_id}/thumbnail/",
            f"/api/v1/attachments/{internal_id}/",
        )
    ]
    for response in got:
        response.close()  # a download streams from an open file
    assert [response.status_code for response in got] == [public, thumbnail, internal]
    if public == 401:
        assert got[0]["WWW-Authenticate"]


def test_a_download_is_never_rendered_inline(client_a: ClientPrincipal) -> None:
    # given a file with a non-ASCII name
    content = files.pdf()
    ticket = _ticket_with_files(client_a.client, upload("Überweisung März.pdf", content))
    url = ticket["attachments"][0]["url"]
    # when
    response = client_a.client.get(url)
    # then
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(content))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%C3%9Cberweisung%20M%C3%A4rz.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "sandbox" in response["Content-Security-Policy"]
    response.close()


def test_text_is_served_as_an_attachment_with_its_stored_type(client_a: ClientPrincipal) -> None:
    ticket = _ticket_with_files(client_a.client, upload("notes.html.txt", files.TEXT, "text/html"))
    response = client_a.client.get(ticket["attachments"][0]["url"])
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"].startswith("attachment;")
    response.close()


def test_unknown_and_malformed_ids_are_404(client_a: ClientPrincipal) -> None:
    missing = client_a.client.get("/api/v1/attachments/00000000-0000-0000-0000-000000000000/")
    malformed = client_a.client.get("/api/v1/attachments/not-a-uuid/")
    assert (missing.status_code, malformed.status_code) == (404, 404)
    assert_conforms(missing, path="/api/v1/attachments/{id}/", method="get")


def test_a_file_gone_from_storage_is_a_404_not_a_500(
    client_a: ClientPrincipal, attachment_media: Path
) -> None:
    ticket = _ticket_with_files(client_a.client, upload("a.pdf", files.pdf()))
    attachment = Attachment.objects.get()
    (attachment_media / attachment.storage_key).unlink()
    assert client_a.client.get(ticket["attachments"][0]["url"]).status_code == 404


def test_an_image_gets_a_server_made_thumbnail(
    client_a: ClientPrincipal,
    agent_principal: StaffPrincipal,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given an image uploaded (the thumbnail task runs after commit)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = _ticket_with_files(client_a.client, upload("foto.png", files.png((900, 600))))
    attachment_id = ticket["attachments"][0]["id"]
    # when
    response = agent_principal.client.get(f"/api/v1/attachments/{attachment_id}/thumbnail/")
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    response.close()


def test_a_document_has_no_thumbnail(client_a: ClientPrincipal) -> None:
    ticket = _ticket_with_files(client_a.client, upload("a.pdf", files.pdf()))
    attachment_id = ticket["attachments"][0]["id"]
    response = client_a.client.get(f"/api/v1/attachments/{attachment_id}/thumbnail/")
    assert response.status_code == 404


def test_ticket_lists_show_files_without_a_query_per_ticket(
    client_a: ClientPrincipal, django_assert_max_num_queries: Any
) -> None:
    for _ in range(4):
        _ticket_with_files(client_a.client, upload("a.pdf", files.pdf()))
    with django_assert_max_num_queries(6):
        response = client_a.client.get(TICKETS)
    assert [len(ticket["attachments"]) for ticket in response.json()["results"]] == [1] * 4
