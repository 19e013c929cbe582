"""Files received while the multipart body is read (ADR 0018): stored as they arrive, and
gone again whenever the request does not end in a message that has them."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from supportdesk.attachments.models import Attachment
from supportdesk.tickets.models import Ticket
from tests.api.v1.test_attachments_upload import TICKETS, assert_nothing_written, post_form
from tests.attachments import files
from tests.attachments.files import BOUNDARY, MULTIPART, raw_multipart, ticket_form, upload
from tests.conftest import ClientPrincipal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("attachment_media")]


def _fields() -> list[tuple[str, str]]:
    return list(ticket_form().items())


def test_a_large_file_is_stored_whole_with_its_digest(
    client_a: ClientPrincipal, attachment_media: Path
) -> None:
    # given a PDF of 3 MB (read in several pieces, written as they come)
    content = files.pdf(b"%" + b"x" * (3 * 1024 * 1024) + b"\n")
    # when
    response = post_form(client_a.client, TICKETS, ticket_form(files=upload("big.pdf", content)))
    # then
    assert response.status_code == 201, response.content
    (listed,) = response.json()["attachments"]
    assert (listed["size"], listed["content_type"]) == (len(content), "application/pdf")
    attachment = Attachment.objects.get()
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    (stored,) = files.stored(attachment_media)
    assert stored.read_bytes() == content
    assert attachment.storage_key.endswith(attachment.pk.hex)


def test_files_of_a_ticket_refused_for_its_fields_are_deleted(
    client_a: ClientPrincipal, attachment_media: Path
) -> None:
    # given a valid file, but no customer e-mail
    form = ticket_form(files=upload("a.pdf", files.pdf()))
    del form["customer.email"]
    # when
    response = post_form(client_a.client, TICKETS, form)
    # then the file was received, and deleted when the request ended
    assert response.status_code == 400, response.content
    assert_nothing_written(attachment_media)


def test_a_file_over_the_limit_is_refused_part_way_and_leaves_nothing(
    client_a: ClientPrincipal, attachment_media: Path, settings: Any
) -> None:
    # given a limit past the first bytes (the file is being written when it is crossed)
    settings.ATTACHMENT_MAX_FILE_BYTES = 100_000
    first, big = upload("ok.pdf", files.pdf()), upload("big.txt", b"tekst\n" * 50_000)
    # when
    response = post_form(client_a.client, TICKETS, ticket_form(files=[first, big]))
    # then
    assert response.status_code == 413, response.content
    assert "big.txt" in response.json()["detail"]
    assert_nothing_written(attachment_media)


def test_a_name_in_rfc_5987_form_is_decoded(client_a: ClientPrincipal) -> None:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; '
        "filename=\"berweisung.pdf\"; filename*=UTF-8''%C3%9Cberweisung%20M%C3%A4rz.pdf\r\n"
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    fields = raw_multipart(_fields(), [], close=False)
    body = fields + head + files.pdf() + f"\r\n--{BOUNDARY}--\r\n".encode()
    response = client_a.client.generic("POST", TICKETS, body, content_type=MULTIPART)
    assert response.status_code == 201, response.content
    assert response.json()["attachments"][0]["name"] == "Überweisung März.pdf"


def test_an_empty_file_input_of_a_browser_form_is_no_file(
    client_a: ClientPrincipal, attachment_media: Path
) -> None:
    # a browser sends a file input with no file chosen as a part with an empty file name
    body = raw_multipart(_fields(), [("files", "", b"")])
    response = client_a.client.generic("POST", TICKETS, body, content_type=MULTIPART)
    assert response.status_code == 201, response.content
    assert response.json()["attachments"] == []
    assert Ticket.objects.count() == 1
    assert files.stored(attachment_media) == []


@pytest.mark.parametrize(
    "content_type",
    [
        pytest.param(f"multipart/form-data; boundary={'b' * 71}", id="boundary-too-long"),
        pytest.param("multipart/form-data; boundary=", id="boundary-empty"),
    ],
)
def test_a_bad_boundary_is_a_400(client_a: ClientPrincipal, content_type: str) -> None:
    body = raw_multipart(_fields(), [])
    response = client_a.client.generic("POST", TICKETS, body, content_type=content_type)
    assert response.status_code == 400


def test_a_field_that_is_not_utf8_is_a_400(
    client_a: ClientPrincipal, attachment_media: Path
) -> None:
    body = raw_multipart(_fields(), [("files", "a.pdf", files.pdf())]).replace(
        b"bestelling", b"bestell\xff", 1
    )
    response = client_a.client.generic("POST", TICKETS, body, content_type=MULTIPART)
    assert response.status_code == 400, response.content
    assert_nothing_written(attachment_media)


def test_a_large_file_is_judged_by_its_first_bytes(
    client_a: ClientPrincipal, attachment_media: Path
) -> None:
    # given a program of 200 KB named like a PDF (its type is known before it is written)
    program = files.EXE + b"\x00" * 200_000
    # when
    response = post_form(client_a.client, TICKETS, ticket_form(files=upload("a.pdf", program)))
    # then
    assert response.status_code == 415, response.content
    assert "a.pdf" in response.json()["detail"]
    assert_nothing_written(attachment_media)
