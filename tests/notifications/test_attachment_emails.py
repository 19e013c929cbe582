"""An agent's files in the customer's reply e-mail: attached, or linked past the budget."""

from __future__ import annotations

import io
from datetime import timedelta
from email.message import EmailMessage
from email.message import Message as MimeMessage
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from supportdesk.attachments.services import attachment_add
from supportdesk.notifications import services
from supportdesk.tickets.models import Message
from tests.attachments import files
from tests.factories import AgentFactory, CustomerFactory, MessageFactory, TicketFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("attachment_media")]


def agent_reply(*contents: tuple[str, bytes]) -> Message:
    ticket = TicketFactory(customer=CustomerFactory(locale="nl-NL", timezone="Europe/Amsterdam"))
    ticket.language = "nl"
    ticket.save(update_fields=["language"])
    reply: Message = MessageFactory(
        ticket=ticket, author_kind="agent", author_agent=AgentFactory(), body="Zie bijlage."
    )
    for name, content in contents:
        attachment_add(message=reply, name=name, content=io.BytesIO(content))
    return reply


def sent(reply: Message, smtp_server: list[MimeMessage]) -> EmailMessage:
    assert services.email_send(ticket_id=reply.ticket_id, kind="reply", message_id=reply.pk)
    [received] = smtp_server
    assert isinstance(received, EmailMessage)
    return received


def test_small_files_travel_attached(smtp_server: list[MimeMessage]) -> None:
    label = files.pdf()
    reply = agent_reply(("verzendlabel.pdf", label), ("foto.png", files.png()))

    received = sent(reply, smtp_server)

    attached = {part.get_filename(): part for part in received.iter_attachments()}
    assert set(attached) == {"verzendlabel.pdf", "foto.png"}
    assert attached["verzendlabel.pdf"].get_content_type() == "application/pdf"
    assert attached["verzendlabel.pdf"].get_content() == label
    text = received.get_body(preferencelist=("plain",))
    assert text is not None
    assert "verzendlabel.pdf" in text.get_content()


def test_past_the_budget_files_become_expiring_links(
    smtp_server: list[MimeMessage], settings: Any, client: Client
) -> None:
    # given a budget that holds the first file only
    settings.ATTACHMENT_EMAIL_MAX_BYTES = len(files.pdf()) + 10
    settings.PUBLIC_BASE_URL = "http://testserver"
    big = files.png((800, 800))
    reply = agent_reply(("label.pdf", files.pdf()), ("foto.png", big))
    # when
    received = sent(reply, smtp_server)
    # then the second file is a link, with the date it stops working
    assert [part.get_filename() for part in received.iter_attachments()] == ["label.pdf"]
    text_part = received.get_body(preferencelist=("plain",))
    assert text_part is not None
    text = text_part.get_content()
    link = next(word for word in text.split() if word.startswith("http://testserver/files/"))
    assert "foto.png" in text
    # and the link serves the file, as a download, to anyone holding it
    response = client.get(link.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == big
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    response.close()
    # until it expires; a forged link never works
    later = timezone.now() + timedelta(seconds=settings.ATTACHMENT_LINK_MAX_AGE_SECONDS + 60)
    with time_machine.travel(later):
        assert client.get(link.removeprefix("http://testserver")).status_code == 404
    assert client.get(link.removeprefix("http://testserver")[:-3] + "xyz/").status_code == 404
