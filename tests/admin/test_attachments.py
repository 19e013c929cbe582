"""Files on the ticket page: shown under each message, attached from the reply box."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from supportdesk.agents.models import Agent
from supportdesk.attachments.models import Attachment
from supportdesk.tickets.models import Ticket
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


def test_a_refused_file_refuses_the_reply(
    login: Login, anna: Agent, attachment_media: Path
) -> None:
    ticket = open_ticket(anna, language="en")
    page = reply(
        login(anna),
        ticket,
        reply_body="See attached",
        reply_files=[SimpleUploadedFile("page.html", files.HTML)],
    )
    assert "page.html" in page
    assert not ticket.messages.exists()
    assert files.stored(attachment_media) == []


def test_files_need_a_reply_to_go_with(login: Login, anna: Agent) -> None:
    ticket = open_ticket(anna, language="en")
    page = reply(login(anna), ticket, reply_files=[SimpleUploadedFile("a.pdf", files.pdf())])
    assert "Write a reply to go with the files." in page
    assert not Attachment.objects.exists()
