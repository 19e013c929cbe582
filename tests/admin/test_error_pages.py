"""With DEBUG off, no one meets Django's bare error pages: the workspace's own pages for 400,
403 (CSRF), 404 and 500, translated; under /api/ the API's JSON error body."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import TooManyFilesSent
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import resolve, reverse

from config.error_pages import bad_request, server_error
from supportdesk.agents.models import Agent
from supportdesk.tickets.admin.uploads import files_skipped
from tests.attachments import files

pytestmark = pytest.mark.django_db

Login = Callable[[Agent], Client]


def scans(count: int) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"scan-{n}.pdf", files.pdf()) for n in range(count)]


def test_an_unknown_page_is_the_workspaces_404_in_the_agents_language(
    login: Login, anna: Agent, settings: Any
) -> None:
    settings.DEBUG = False
    response = login(anna).get("/nothing-here/", HTTP_ACCEPT_LANGUAGE="nl")
    page = response.content.decode()
    assert response.status_code == 404
    assert "<title>Pagina niet gevonden | supportdesk</title>" in page
    assert 'class="sd-notice sd-notice--denied sd-error-page"' in page
    assert reverse("admin:tickets_ticket_changelist") in page  # a way back for the agent


def test_a_form_with_too_many_files_elsewhere_is_the_workspaces_400_naming_the_limit(
    settings: Any,
) -> None:
    # given a form outside the reply box (the sign-in page) sent with 12 files
    settings.DEBUG = False
    response = Client().post(
        reverse("admin:login"),
        {"username": "anna", "password": "x", "files": scans(12)},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    # then Django refuses it (TooManyFilesSent), and the page says so in the person's language
    page = response.content.decode()
    assert response.status_code == 400
    assert "Bad Request (400)" not in page
    assert "<h2>Anfrage abgelehnt</h2>" in page
    assert "Eine Nachricht kann höchstens 10 Dateien haben." in page


def test_an_expired_form_is_the_workspaces_403(settings: Any) -> None:
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("admin:login"), {"username": "anna", "password": "x"})
    assert response.status_code == 403
    assert "<h2>The form has expired</h2>" in response.content.decode()


def test_a_server_error_is_the_workspaces_500_page() -> None:
    request = RequestFactory().get("/admin/tickets/ticket/")
    response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert "<h2>Server error</h2>" in page
    assert "it has been logged" in page


def test_under_the_api_errors_stay_json() -> None:
    factory = RequestFactory()
    failed = server_error(factory.post("/api/v1/tickets/"))
    refused = bad_request(factory.post("/api/v1/tickets/"), TooManyFilesSent("many"))
    assert (failed.status_code, failed["Content-Type"]) == (500, "application/json")
    assert (refused.status_code, refused["Content-Type"]) == (400, "application/json")
    assert refused.content == b'{"detail": "A message can have at most 10 files."}'


def test_an_api_request_with_too_many_files_gets_the_apis_json_refusal(
    client_a: Any, attachment_media: Any
) -> None:
    form = {"subject": "Scans", "body": "Twelve scans", "customer.email": "a@example.nl"}
    response = client_a.client.post(
        "/api/v1/tickets/", {**form, "files": scans(12)}, format="multipart"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"files": ["A message can have at most 10 files."]}


def test_only_the_reply_box_skips_files_past_the_limit() -> None:
    """Django's own parser and upload handlers, with ours first: past 10 files the ticket
    page's form keeps the fields and counts what it skipped; any other form is refused."""
    factory = RequestFactory()
    reply_box = factory.post(
        reverse("admin:tickets_ticket_change", args=[1]), {"reply_body": "Hi", "f": scans(13)}
    )
    reply_box.resolver_match = resolve(reply_box.path_info)
    other = factory.post(reverse("admin:login"), {"username": "anna", "f": scans(13)})
    other.resolver_match = resolve(other.path_info)

    assert files_skipped(reply_box) == 3
    assert reply_box.POST["reply_body"] == "Hi"
    assert len(reply_box.FILES.getlist("f")) == 10
    with pytest.raises(TooManyFilesSent):
        _ = other.POST
