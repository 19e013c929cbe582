"""Files on the ticket page: shown under each message, attached from the reply box."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from supportdesk.agents.models import Agent
from supportdesk.attachments.models import Attachment
from supportdesk.tickets.models import Priority, Ticket
from tests.admin.conftest import open_ticket
from tests.attachments import files

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("attachment_media")]

Login = Callable[[Agent], Client]


def reply(client: Client, ticket: Ticket, **fields: Any) -> str:
    data = {"status": ticket.status, "priority": ticket.priority, "reply_kind": "public"}
    response = client.post(
        reverse("admin:tickets_ticket_change", args=[ticket.pk]),
        {**data, **fields, "_continue": "1"},
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


def test_a_reply_with_files_shows_them_in_the_thread(
    login: Login, anna: Agent, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    ticket = open_ticket(anna, language="en")
    uploads = [
        SimpleUploadedFile("label.pdf", files.pdf()),
        SimpleUploadedFile("parcel.png", files.png()),
    ]
    # when the agent replies with two files (thumbnails are made after commit)
    with django_capture_on_commit_callbacks(execute=True):
        reply(login(anna), ticket, reply_body="Here is the label.", reply_files=uploads)
    page = reply(login(anna), ticket)
    # then
    message = ticket.messages.get()
    assert sorted(message.attachments.values_list("name", flat=True)) == [
        "label.pdf",
        "parcel.png",
    ]
    image = Attachment.objects.get(name="parcel.png")
    assert "label.pdf" in page
    assert reverse("attachment-detail", kwargs={"id": image.id}) in page
    assert reverse("attachment-thumbnail", kwargs={"id": image.id}) in page
    assert 'enctype="multipart/form-data"' in page


SUCCESS = "was changed successfully"


def submit(client: Client, ticket: Ticket, **fields: Any) -> tuple[int, str, list[str]]:
    """The ticket page's form sent as a browser would; (status, page, messages shown)."""
    data = {"status": ticket.status, "priority": ticket.priority, "reply_kind": "public"}
    response = client.post(
        reverse("admin:tickets_ticket_change", args=[ticket.pk]),
        {**data, **fields, "_continue": "1"},
        follow=True,
    )
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    return response.status_code, response.content.decode(), shown


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        pytest.param(
            SimpleUploadedFile("page.html", files.HTML),
            "The file “page.html” is of a type that is not accepted",
            id="type",
        ),
        pytest.param(
            SimpleUploadedFile("huge.pdf", files.pdf(b"x" * 5000)),
            "The file “huge.pdf” is larger than",
            id="size",
        ),
        pytest.param(
            SimpleUploadedFile("leeg.pdf", b""),
            "The file “leeg.pdf” is empty.",
            id="empty",
        ),
    ],
)
def test_a_refused_file_shows_the_page_again_with_the_reply_kept(
    login: Login,
    anna: Agent,
    attachment_media: Path,
    settings: Any,
    upload: SimpleUploadedFile,
    error: str,
) -> None:
    # given anna's open ticket, and files of at most 4 KB
    settings.ATTACHMENT_MAX_FILE_BYTES = 4000
    ticket = open_ticket(anna, language="en", priority=Priority.NORMAL)
    # when she sends a reply with a refused file and raises the priority in the same submit
    status, page, shown = submit(
        login(anna),
        ticket,
        reply_body="See the attached label, please print it.",
        reply_files=[SimpleUploadedFile("label.pdf", files.pdf()), upload],
        priority=Priority.HIGH,
    )
    # then the page comes back with the error naming the file, under the file input
    assert status == 200
    assert f'<ul class="errorlist" id="id_reply_files_error"><li>{error}' in page
    assert "Please correct the error below." in page
    # and no success banner, nothing saved, no file kept
    assert not any(SUCCESS in message for message in shown)
    assert SUCCESS not in page
    assert not ticket.messages.exists()
    ticket.refresh_from_db()
    assert ticket.priority == Priority.NORMAL
    assert files.stored(attachment_media) == []
    # and her reply is still in the box, the other fields as she sent them
    assert ">\nSee the attached label, please print it.</textarea>" in page
    assert f'<option value="{Priority.HIGH}" selected>' in page
    assert 'value="public" required id="id_reply_kind_0" checked' in page


@pytest.mark.parametrize("count", [11, 12, 30])
def test_too_many_files_are_refused_in_the_reply_box_with_the_reply_kept(
    login: Login, anna: Agent, attachment_media: Path, count: int
) -> None:
    # given anna's open ticket (a message may have at most 10 files)
    ticket = open_ticket(anna, language="en")
    uploads = [SimpleUploadedFile(f"scan-{n}.pdf", files.pdf()) for n in range(count)]
    # when she attaches more
    status, page, shown = submit(
        login(anna), ticket, reply_body="All the scans you asked for.", reply_files=uploads
    )
    # then the reply box says how many files a message may have, and keeps her reply
    assert status == 200
    assert "A message can have at most 10 files." in page
    assert ">\nAll the scans you asked for.</textarea>" in page
    assert not any(SUCCESS in message for message in shown)
    assert not ticket.messages.exists()
    assert files.stored(attachment_media) == []


def test_ten_files_are_sent(login: Login, anna: Agent) -> None:
    ticket = open_ticket(anna, language="en")
    uploads = [SimpleUploadedFile(f"scan-{n}.pdf", files.pdf()) for n in range(10)]
    status, _page, shown = submit(
        login(anna), ticket, reply_body="All ten scans.", reply_files=uploads
    )
    assert status == 200
    assert any(SUCCESS in message for message in shown)
    assert ticket.messages.get().attachments.count() == 10


def test_files_need_a_reply_to_go_with(login: Login, anna: Agent) -> None:
    ticket = open_ticket(anna, language="en")
    page = reply(login(anna), ticket, reply_files=[SimpleUploadedFile("a.pdf", files.pdf())])
    assert "Write a reply to go with the files." in page
    assert not Attachment.objects.exists()
