"""Creating, listing, filtering and reading tickets through the client API."""

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from supportdesk.tickets.models import EventKind, Message, Ticket, TicketEvent
from tests.api.v1.conftest import assert_conforms, create_ticket, payload
from tests.conftest import ClientPrincipal, StaffPrincipal

pytestmark = pytest.mark.django_db

TICKET_FIELDS = {
    "id", "reference", "subject", "status", "priority", "language", "language_source",
    "language_confidence", "channel", "customer", "assignee", "tags", "external_id",
    "created_at", "updated_at", "assigned_at", "first_response_at", "solved_at",
    "first_response_due_at", "resolution_due_at", "routing", "attachments",
}  # fmt: skip


def test_create_answers_201_with_the_ticket_its_first_message_and_events(
    client_a: ClientPrincipal,
) -> None:
    # when
    response = client_a.client.post(
        "/api/v1/tickets/",
        payload(priority="high", tags=["delivery", "delivery", "vip"], external_id="ord-1"),
        format="json",
    )
    # then
    assert response.status_code == 201
    assert_conforms(response, path="/api/v1/tickets/", method="post")
    body = response.json()
    assert set(body) == TICKET_FIELDS
    assert re.fullmatch(r"[A-Z]+-\d+", body["reference"])
    assert body["status"] == "new"
    assert body["assignee"] is None
    assert body["priority"] == "high"
    assert body["language"] == "nl"
    assert body["language_source"] == "customer"
    assert body["language_confidence"] is None
    assert body["tags"] == ["delivery", "vip"]
    assert body["customer"]["email"] == "sanne@example.nl"
    ticket = Ticket.objects.get(public_id=body["id"])
    first = Message.objects.get(ticket=ticket)
    assert first.body == payload()["body"]
    assert first.internal is False
    kinds = set(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert {EventKind.CREATED, EventKind.LANGUAGE_SET} <= kinds


def test_priority_defaults_to_normal_and_server_fields_are_refused_by_name(
    client_a: ClientPrincipal,
) -> None:
    body = create_ticket(client_a.client)
    assert body["priority"] == "normal"
    assert body["status"] == "new"
    assert body["assignee"] is None
    # fields the server sets are refused with a message, not silently dropped
    refused = client_a.client.post(
        "/api/v1/tickets/",
        payload(status="solved", reference="X-1", assignee={"id": 1, "name": "x"}),
        format="json",
    )
    assert refused.status_code == 400
    assert set(refused.json()) == {"status", "reference", "assignee"}
    assert_conforms(refused, path="/api/v1/tickets/", method="post")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"subject": 123}, "subject"),
        ({"body": 4.5}, "body"),
        ({"subject": True}, "subject"),
        ({"customer": {"name": 7}}, "customer"),
        ({"tags": [1, 2]}, "tags"),
    ],
)
def test_a_number_is_not_a_string(
    client_a: ClientPrincipal, overrides: dict[str, object], field: str
) -> None:
    response = client_a.client.post("/api/v1/tickets/", payload(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("raw", [b"null", b"[]", b"42", b'"text"'])
def test_a_body_that_is_not_an_object_is_a_400(client_a: ClientPrincipal, raw: bytes) -> None:
    response = client_a.client.generic(
        "POST", "/api/v1/tickets/", raw, content_type="application/json"
    )
    assert response.status_code == 400
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("overrides", "headers", "language", "source"),
    [
        pytest.param({"language": "pt-br"}, {}, "pt-BR", "explicit", id="explicit-normalised"),
        pytest.param({"language": "ast"}, {}, "ast", "explicit", id="valid-but-not-enabled"),
        pytest.param({}, {}, "nl", "customer", id="customer-locale-nl-NL-to-nl"),
        pytest.param(
            {"customer": {"locale": ""}},
            {"HTTP_ACCEPT_LANGUAGE": "fr-CH, fr;q=0.9, en;q=0.5"},
            "fr",
            "header",
            id="accept-language",
        ),
    ],
)
def test_language_resolution_before_detection(
    client_a: ClientPrincipal,
    overrides: dict[str, Any],
    headers: dict[str, str],
    language: str,
    source: str,
) -> None:
    response = client_a.client.post(
        "/api/v1/tickets/", payload(**overrides), format="json", **headers
    )
    assert response.status_code == 201, response.content
    assert (response.json()["language"], response.json()["language_source"]) == (language, source)


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        pytest.param({"language": "xx-invalid"}, "language", '"xx-invalid"', id="bad-tag"),
        pytest.param({"customer": {"locale": "klingon!"}}, "customer", '"klingon!"', id="locale"),
        pytest.param({"customer": {"country": "XX"}}, "customer", '"XX"', id="country"),
        pytest.param({"customer": {"country": "EU"}}, "customer", '"EU"', id="not-a-country"),
        pytest.param({"customer": {"timezone": "Mars/Base"}}, "customer", "Mars/Base", id="tz"),
        pytest.param({"customer": {"email": "not-an-email"}}, "customer", "", id="email"),
        pytest.param({"priority": "critical"}, "priority", "critical", id="priority"),
        pytest.param({"subject": "s" * 256}, "subject", "255", id="subject-length"),
        pytest.param({"body": "b" * 20001}, "body", "20000", id="body-length"),
        pytest.param({"body": ""}, "body", "", id="empty-body"),
        pytest.param({"tags": ["t"] * 21}, "tags", "", id="too-many-tags"),
        pytest.param({"tags": ["x" * 51]}, "tags", "", id="long-tag"),
        pytest.param({"tags": "delivery"}, "tags", "", id="tags-not-a-list"),
        pytest.param({"external_id": "e" * 101}, "external_id", "100", id="external-id"),
    ],
)
def test_invalid_input_is_a_400_naming_the_field(
    client_a: ClientPrincipal, overrides: dict[str, Any], field: str, fragment: str
) -> None:
    response = client_a.client.post("/api/v1/tickets/", payload(**overrides), format="json")
    assert response.status_code == 400
    assert_conforms(response, path="/api/v1/tickets/", method="post")
    errors = response.json()
    assert field in errors
    assert fragment in str(errors[field])
    assert not Ticket.objects.exists()


def test_the_invalid_tag_message_names_the_tag(client_a: ClientPrincipal) -> None:
    response = client_a.client.post(
        "/api/v1/tickets/", payload(language="xx-invalid"), format="json"
    )
    assert response.json() == {"language": ['"xx-invalid" is not a valid language tag.']}


def test_missing_fields_are_each_named(client_a: ClientPrincipal) -> None:
    response = client_a.client.post("/api/v1/tickets/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"subject", "body", "customer"}


def test_errors_come_in_the_accept_language_language(client_a: ClientPrincipal) -> None:
    response = client_a.client.post(
        "/api/v1/tickets/", {}, format="json", HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert response.json()["subject"] == ["Dit veld is vereist."]


def test_detail_by_public_id(client_a: ClientPrincipal) -> None:
    created = create_ticket(client_a.client)
    response = client_a.client.get(f"/api/v1/tickets/{created['id']}/")
    assert response.status_code == 200
    assert_conforms(response, path="/api/v1/tickets/{id}/", method="get")
    assert response.json() == created | {"updated_at": response.json()["updated_at"]}


def test_unknown_or_malformed_ids_are_404(client_a: ClientPrincipal) -> None:
    assert client_a.client.get("/api/v1/tickets/not-a-uuid/").status_code == 404
    unknown = "00000000-0000-4000-8000-000000000000"
    assert client_a.client.get(f"/api/v1/tickets/{unknown}/").status_code == 404


def _ids(client: Any, query: str = "") -> list[str]:
    response = client.get(f"/api/v1/tickets/{query}")
    assert response.status_code == 200, response.content
    return [ticket["id"] for ticket in response.json()["results"]]


def test_filters(client_a: ClientPrincipal, agent_principal: StaffPrincipal) -> None:
    # given three tickets, a day apart, in different languages, priorities and customers
    start = timezone.now() - timedelta(days=3)
    with time_machine.travel(start, tick=False):
        old = create_ticket(client_a.client, priority="low")
    with time_machine.travel(start + timedelta(days=1), tick=False):
        middle = create_ticket(client_a.client, language="de", customer={"email": "b@ex.de"})
    newest = create_ticket(client_a.client, priority="urgent")
    client = client_a.client
    # then each filter selects what it says
    assert _ids(client, "?language=de") == [middle["id"]]
    assert _ids(client, "?language=DE") == [middle["id"]]
    assert _ids(client, "?priority=urgent") == [newest["id"]]
    assert _ids(client, "?customer_email=B@ex.de") == [middle["id"]]
    assert _ids(client, "?status=new") == [newest["id"], middle["id"], old["id"]]
    assert _ids(client, "?status=open") == []
    after = (start + timedelta(hours=12)).isoformat().replace("+00:00", "Z")
    before = (start + timedelta(days=2)).isoformat().replace("+00:00", "Z")
    assert _ids(client, f"?created_after={after}&created_before={before}") == [middle["id"]]
    # and nonsense is a 400, not a 500 or an empty page
    for bad in ("?status=bogus", "?priority=critical", "?created_after=yesterday"):
        response = client.get(f"/api/v1/tickets/{bad}")
        assert response.status_code == 400, bad
        assert_conforms(response, path="/api/v1/tickets/", method="get")


def test_ordering(client_a: ClientPrincipal) -> None:
    low = create_ticket(client_a.client, priority="low")
    urgent = create_ticket(client_a.client, priority="urgent")
    normal = create_ticket(client_a.client)
    client = client_a.client
    assert _ids(client) == [normal["id"], urgent["id"], low["id"]]  # newest first
    assert _ids(client, "?ordering=-priority") == [urgent["id"], normal["id"], low["id"]]
    assert _ids(client, "?ordering=created_at") == [low["id"], urgent["id"], normal["id"]]


def test_pagination(client_a: ClientPrincipal) -> None:
    made = [create_ticket(client_a.client)["id"] for _ in range(5)]
    first = client_a.client.get("/api/v1/tickets/?page_size=2").json()
    assert first["count"] == 5
    assert first["previous"] is None
    assert first["next"] is not None
    seen = [t["id"] for t in first["results"]]
    page = first
    while page["next"]:
        page = client_a.client.get(page["next"]).json()
        seen += [t["id"] for t in page["results"]]
    assert seen == list(reversed(made))
    assert client_a.client.get("/api/v1/tickets/?page=99").status_code == 404


def test_listing_is_a_fixed_number_of_queries(
    client_a: ClientPrincipal,
    agent_principal: StaffPrincipal,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(6):
        create_ticket(client_a.client)
    with django_assert_max_num_queries(6):  # the page's attachments are one of them
        response = agent_principal.client.get("/api/v1/tickets/")
    assert response.json()["count"] == 6
