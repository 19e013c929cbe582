"""Multipart create and replies with files; every bad input is a 4xx and leaves nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from supportdesk.attachments.models import Attachment
from supportdesk.tickets.models import Message, Ticket
from tests.api.v1.conftest import PAYLOAD, assert_conforms
from tests.attachments import files
from tests.attachments.files import MULTIPART, raw_multipart, ticket_form, upload
from tests.conftest import ClientPrincipal, StaffPrincipal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("attachment_media")]

TICKETS = "/api/v1/tickets/"


def post_form(client: APIClient, path: str, data: dict[str, Any], **headers: str) -> Any:
    return client.post(path, data, format="multipart", headers=headers)


def assert_nothing_written(media: Path) -> None:
    assert not Ticket.objects.exists()
    assert not Message.objects.exists()
    assert not Attachment.objects.exists()
    assert files.stored(media) == []


def test_a_ticket_with_two_files_lists_them_and_stores_them(
    client_a: ClientPrincipal, attachment_media: Path
) -> None:
    # given
    photo, invoice = files.png(), files.pdf()
    form = ticket_form(files=[upload("pakket.png", photo), upload("factuur.pdf", invoice)])
    # when
    response = post_form(client_a.client, TICKETS, form)
    # then
    assert response.status_code == 201, response.content
    assert_conforms(response, path=TICKETS, method="post")
    body = response.json()
    assert body["customer"]["email"] == PAYLOAD["customer"]["email"]
    listed = body["attachments"]
    assert [(a["name"], a["content_type"], a["size"]) for a in listed] == [
        ("pakket.png", "image/png", len(photo)),
        ("factuur.pdf", "application/pdf", len(invoice)),
    ]
    assert listed[0]["url"] == f"http://testserver/api/v1/attachments/{listed[0]['id']}/"
    opening = Message.objects.get(ticket__public_id=body["id"])
    assert {a["message"] for a in listed} == {opening.pk}
    assert len(files.stored(attachment_media)) == 2


def test_the_thread_shows_each_messages_files(client_a: ClientPrincipal) -> None:
    form = ticket_form(files=[upload("notes.txt", files.TEXT)])
    ticket = post_form(client_a.client, TICKETS, form).json()
    thread = client_a.client.get(f"{TICKETS}{ticket['id']}/messages/")
    assert thread.status_code == 200
    assert_conforms(thread, path="/api/v1/tickets/{id}/messages/", method="get")
    (opening,) = thread.json()["results"]
    assert [a["name"] for a in opening["attachments"]] == ["notes.txt"]


@pytest.mark.parametrize(
    "form",
    [
        pytest.param({"payload": json.dumps(PAYLOAD)}, id="json-in-a-payload-field"),
        pytest.param({"data": json.dumps(PAYLOAD)}, id="json-in-a-data-field"),
        pytest.param(
            {
                "subject": PAYLOAD["subject"],
                "body": PAYLOAD["body"],
                "customer": json.dumps(PAYLOAD["customer"]),
            },
            id="customer-as-json",
        ),
        pytest.param(
            {
                "subject": PAYLOAD["subject"],
                "body": PAYLOAD["body"],
                "customer[email]": PAYLOAD["customer"]["email"],
                "tags": ["parcel", "damage"],
            },
            id="bracketed-customer",
        ),
    ],
)
def test_the_json_fields_may_come_in_several_shapes(
    client_a: ClientPrincipal, form: dict[str, Any]
) -> None:
    response = post_form(client_a.client, TICKETS, {**form, "file": upload("a.pdf", files.pdf())})
    assert response.status_code == 201, response.content
    assert response.json()["customer"]["email"] == PAYLOAD["customer"]["email"]
    assert len(response.json()["attachments"]) == 1


def test_a_form_without_files_is_a_plain_ticket(client_a: ClientPrincipal) -> None:
    response = post_form(client_a.client, TICKETS, ticket_form(tags=["vip"]))
    assert response.status_code == 201, response.content
    assert response.json()["attachments"] == []
    assert response.json()["tags"] == ["vip"]


def test_customer_and_agent_replies_take_files(
    client_a: ClientPrincipal, agent_principal: StaffPrincipal
) -> None:
    ticket = post_form(client_a.client, TICKETS, ticket_form()).json()
    messages = f"{TICKETS}{ticket['id']}/messages/"
    replies = f"{TICKETS}{ticket['id']}/replies/"
    # when the customer and the agent reply with files
    customer = post_form(
        client_a.client, messages, {"body": "Foto erbij", "files": upload("a.jpg", files.jpeg())}
    )
    agent = post_form(
        agent_principal.client,
        replies,
        {"body": "Label attached", "internal": "false", "files": upload("label.pdf", files.pdf())},
    )
    note = post_form(
        agent_principal.client,
        replies,
        {"body": "Carrier scan", "internal": "true", "files": upload("scan.png", files.png())},
    )
    # then
    for response, path in ((customer, "messages"), (agent, "replies"), (note, "replies")):
        assert response.status_code == 201, response.content
        assert_conforms(response, path=f"/api/v1/tickets/{{id}}/{path}/", method="post")
    assert customer.json()["attachments"][0]["content_type"] == "image/jpeg"
    assert agent.json()["attachments"][0]["name"] == "label.pdf"
    assert note.json()["internal"] is True
    # and the client application's view of the ticket leaves the internal note's file out
    seen_by_client = client_a.client.get(f"{TICKETS}{ticket['id']}/").json()["attachments"]
    seen_by_staff = agent_principal.client.get(f"{TICKETS}{ticket['id']}/").json()["attachments"]
    assert [a["name"] for a in seen_by_client] == ["a.jpg", "label.pdf"]
    assert [a["name"] for a in seen_by_staff] == ["a.jpg", "label.pdf", "scan.png"]


@pytest.mark.parametrize(
    ("name", "content", "status"),
    [
        pytest.param("leeg.pdf", b"", 400, id="empty"),
        pytest.param("page.html", files.HTML, 415, id="html"),
        pytest.param("logo.svg", files.SVG, 415, id="svg"),
        pytest.param("invoice.pdf", files.EXE, 415, id="exe-named-pdf"),
    ],
)
def test_a_refused_file_refuses_the_ticket(
    client_a: ClientPrincipal, attachment_media: Path, name: str, content: bytes, status: int
) -> None:
    form = ticket_form(files=[upload("ok.png", files.png()), upload(name, content)])
    response = post_form(client_a.client, TICKETS, form)
    assert response.status_code == status, response.content
    assert name in json.dumps(response.json(), ensure_ascii=False)
    assert_nothing_written(attachment_media)


@pytest.mark.parametrize(
    ("accept", "refusal"),
    [
        ("ja", "ファイル「page.html」は受け付けられない種類です（text/html）。"),  # noqa: RUF001
        ("ru-RU, en;q=0.5", "Файл «page.html» имеет недопустимый тип (text/html);"),
        ("zh-Hant", "檔案「page.html」的類型不被接受（text/html）；"),  # noqa: RUF001
    ],
)
def test_a_refused_file_is_named_in_languages_without_a_full_catalog(
    client_a: ClientPrincipal, attachment_media: Path, accept: str, refusal: str
) -> None:
    form = ticket_form(files=[upload("page.html", files.HTML)])
    response = post_form(client_a.client, TICKETS, form, **{"Accept-Language": accept})
    assert response.status_code == 415
    assert refusal in json.dumps(response.json(), ensure_ascii=False)


def test_limits_give_413_and_400(
    client_a: ClientPrincipal, attachment_media: Path, settings: Any
) -> None:
    settings.ATTACHMENT_MAX_FILE_BYTES = 4000
    settings.ATTACHMENT_MAX_MESSAGE_BYTES = 6000
    settings.ATTACHMENT_MAX_FILES = 2
    big = post_form(client_a.client, TICKETS, ticket_form(files=[upload("a.txt", b"a" * 4001)]))
    total = post_form(
        client_a.client,
        TICKETS,
        ticket_form(files=[upload("a.txt", b"a" * 3500), upload("b.txt", b"b" * 3500)]),
    )
    many = post_form(
        client_a.client,
        TICKETS,
        ticket_form(files=[upload(f"{n}.txt", b"x") for n in range(3)]),
    )
    assert (big.status_code, total.status_code, many.status_code) == (413, 413, 400)
    assert "a.txt" in big.json()["detail"]
    assert_nothing_written(attachment_media)


def test_a_body_above_every_limit_is_refused_before_it_is_read(
    client_a: ClientPrincipal, settings: Any
) -> None:
    settings.ATTACHMENT_MAX_MESSAGE_BYTES = 1000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = raw_multipart([("subject", "x")], [("files", "a.txt", b"a" * 3000)])
    response = client_a.client.generic("POST", TICKETS, body, content_type=MULTIPART)
    assert response.status_code == 413
    # the limit is named, as for files refused while they arrive
    assert response.json() == {"detail": "The files of one message may together be at most 1 KB."}


def test_a_form_field_above_its_limit_is_a_413_naming_it(
    client_a: ClientPrincipal, attachment_media: Path, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    fields = [(key, value) for key, value in ticket_form(body="x" * 3000).items()]
    body = raw_multipart(fields, [("files", "a.pdf", files.pdf())])
    response = client_a.client.generic("POST", TICKETS, body, content_type=MULTIPART)
    assert response.status_code == 413
    assert response.json() == {"detail": "A form field may be at most 2 KB."}
    assert_nothing_written(attachment_media)


def _raw_fields() -> list[tuple[str, str]]:
    form = ticket_form()
    return [(key, value) for key, value in form.items()]


@pytest.mark.parametrize(
    ("body", "length_change"),
    [
        pytest.param(
            raw_multipart(_raw_fields(), [("files", "bad\x00.pdf", files.pdf())]), 0, id="nul-name"
        ),
        pytest.param(
            raw_multipart(_raw_fields(), [("files", "../../etc/passwd", files.TEXT)]),
            0,
            id="parent-path-name",
        ),
        pytest.param(
            raw_multipart(_raw_fields(), [("files", "a\x1b[31m.txt", files.TEXT)]),
            0,
            id="escape-in-name",
        ),
        pytest.param(
            raw_multipart(_raw_fields(), [("files", "a.pdf", files.pdf())], close=False),
            0,
            id="truncated-no-closing-boundary",
        ),
        pytest.param(
            raw_multipart(_raw_fields(), [("files", "a.pdf", files.pdf())]),
            -60,
            id="declared-length-shorter-than-body",
        ),
        pytest.param(
            raw_multipart([*_raw_fields(), ("external_id", "x\x00y")], []), 0, id="nul-in-field"
        ),
        pytest.param(raw_multipart([("payload", "{not json")], []), 0, id="payload-not-json"),
        pytest.param(raw_multipart([("payload", "[1, 2]")], []), 0, id="payload-not-an-object"),
        pytest.param(b"garbage without any boundary", 0, id="no-parts"),
    ],
)
def test_malformed_multipart_is_a_400_and_leaves_nothing(
    client_a: ClientPrincipal, attachment_media: Path, body: bytes, length_change: int
) -> None:
    extra = {"CONTENT_LENGTH": str(len(body) + length_change)} if length_change else {}
    response = client_a.client.generic("POST", TICKETS, body, content_type=MULTIPART, **extra)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert_nothing_written(attachment_media)


def test_a_multipart_body_without_a_boundary_is_a_400(client_a: ClientPrincipal) -> None:
    body = raw_multipart(_raw_fields(), [])
    response = client_a.client.generic("POST", TICKETS, body, content_type="multipart/form-data")
    assert response.status_code == 400


def test_a_closed_ticket_refuses_a_reply_with_files_and_keeps_no_file(
    client_a: ClientPrincipal, agent_principal: StaffPrincipal, attachment_media: Path
) -> None:
    ticket = post_form(client_a.client, TICKETS, ticket_form()).json()
    agent_principal.client.patch(f"{TICKETS}{ticket['id']}/", {"status": "closed"}, format="json")
    response = post_form(
        client_a.client,
        f"{TICKETS}{ticket['id']}/messages/",
        {"body": "Nog iets", "files": upload("a.pdf", files.pdf())},
    )
    assert response.status_code == 400
    assert files.stored(attachment_media) == []


def test_patch_does_not_take_multipart(
    client_a: ClientPrincipal, agent_principal: StaffPrincipal
) -> None:
    ticket = post_form(client_a.client, TICKETS, ticket_form()).json()
    response = agent_principal.client.patch(
        f"{TICKETS}{ticket['id']}/", {"status": "solved"}, format="multipart"
    )
    assert response.status_code == 415


@pytest.mark.parametrize(
    "database",
    [
        pytest.param("in-a-test-transaction", marks=pytest.mark.django_db),
        pytest.param(  # autocommit, as in a web request: the ticket is one statement
            "autocommit", marks=pytest.mark.django_db(transaction=True, serialized_rollback=True)
        ),
    ],
)
def test_idempotency_covers_the_files(
    client_a: ClientPrincipal, attachment_media: Path, database: str
) -> None:
    # given a ticket made with a key and one file
    first = post_form(
        client_a.client,
        TICKETS,
        ticket_form(files=[upload("a.pdf", files.pdf())]),
        **{"Idempotency-Key": "upload-1"},
    )
    # when the same request comes again, and then one with another file
    again = post_form(
        client_a.client,
        TICKETS,
        ticket_form(files=[upload("a.pdf", files.pdf())]),
        **{"Idempotency-Key": "upload-1"},
    )
    other = post_form(
        client_a.client,
        TICKETS,
        ticket_form(files=[upload("a.pdf", files.pdf(extra=b"% changed\n"))]),
        **{"Idempotency-Key": "upload-1"},
    )
    without = post_form(client_a.client, TICKETS, ticket_form(), **{"Idempotency-Key": "upload-1"})
    # then
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["attachments"] == first.json()["attachments"]
    assert (other.status_code, without.status_code) == (409, 409)
    assert Attachment.objects.count() == 1
    assert len(files.stored(attachment_media)) == 1  # the replay's and the 409s' copies deleted


def test_a_reply_may_carry_its_fields_as_one_json_payload(
    client_a: ClientPrincipal, agent_principal: StaffPrincipal
) -> None:
    ticket = post_form(client_a.client, TICKETS, ticket_form()).json()
    response = post_form(
        agent_principal.client,
        f"{TICKETS}{ticket['id']}/replies/",
        {
            "payload": json.dumps({"body": "Intern", "internal": True}),
            "files": upload("a.pdf", files.pdf()),
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["internal"] is True
    assert len(response.json()["attachments"]) == 1
