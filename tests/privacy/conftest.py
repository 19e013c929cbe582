"""A recognisable customer whose data goes everywhere: a ticket through the API, a file, an
agent's reply (an e-mail and a webhook to a real receiver on 127.0.0.1), a solved status."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import override_settings

from supportdesk.attachments.services import attachment_add
from supportdesk.mail.models import InboundMessage, Mailbox
from supportdesk.notifications.models import WebhookEndpoint
from supportdesk.tickets.models import Message, Ticket
from tests.attachments import files
from tests.conftest import ClientPrincipal, StaffPrincipal
from tests.notifications.conftest import Receiver, receiver, smtp_server  # noqa: F401 - fixtures

EMAIL = "ingrid.vermeulen.privacy@example.org"
NAME = "Ingrid Vermeulen"
PHRASE = "zebra quasar umbrella 4471"
TICKETS = "/api/v1/tickets/"


@dataclass(frozen=True)
class Story:
    ticket: Ticket
    media: Path


def new_ticket(client: ClientPrincipal, *, email: str = EMAIL, name: str = NAME) -> Ticket:
    response = client.client.post(
        TICKETS,
        {
            "subject": f"Parcel for {name}: {PHRASE}",
            "body": f"Hello, I am {name} and my parcel is lost. Code {PHRASE}.",
            "language": "en",
            "customer": {
                "email": email,
                "name": name,
                "locale": "nl-NL",
                "country": "NL",
                "timezone": "Europe/Amsterdam",
            },
        },
        "json",
    )
    assert response.status_code == 201, response.content
    return Ticket.objects.get(public_id=response.json()["id"])


@pytest.fixture
def webhooks(client_a: ClientPrincipal, receiver: Receiver) -> Iterator[Receiver]:  # noqa: F811
    with override_settings(WEBHOOK_ALLOW_PRIVATE_URLS=True):
        WebhookEndpoint.objects.create(client_app=client_a.app, url=receiver.url)
        yield receiver


@pytest.fixture
def story(
    client_a: ClientPrincipal,
    manager_principal: StaffPrincipal,
    webhooks: Receiver,
    attachment_media: Path,
) -> Story:
    ticket = new_ticket(client_a)
    first = Message.objects.filter(ticket=ticket).earliest("id")
    attachment_add(
        message=first,
        name="ingrid-vermeulen-receipt.pdf",
        content=io.BytesIO(files.pdf(PHRASE.encode())),
    )
    staff = manager_principal.client
    reply = staff.post(
        f"{TICKETS}{ticket.public_id}/replies/",
        {"body": f"Dear {NAME}, we found parcel {PHRASE}.", "internal": False},
        "json",
    )
    assert reply.status_code == 201, reply.content
    note = staff.post(
        f"{TICKETS}{ticket.public_id}/replies/",
        {"body": f"Internal: {NAME} called twice about {PHRASE}.", "internal": True},
        "json",
    )
    assert note.status_code == 201, note.content
    mailbox = Mailbox.objects.create(address="help@hub.example", client_app=ticket.client_app)
    raw = f"From: {NAME} <{EMAIL}>\r\nSubject: {PHRASE}\r\n\r\nStill about {PHRASE}.\r\n"
    InboundMessage.objects.create(
        mailbox=mailbox, message_id="<a1@mail.example.org>", sender=EMAIL, subject=PHRASE,
        outcome="appended", ticket=ticket, raw=raw.encode(), full_text=f"Still about {PHRASE}.",
    )  # fmt: skip
    InboundMessage.objects.create(
        mailbox=mailbox, message_id="<a2@mail.example.org>", sender=EMAIL, subject=PHRASE,
        outcome="refused", raw=raw.encode(), full_text=PHRASE,
    )  # fmt: skip
    solved = staff.patch(f"{TICKETS}{ticket.public_id}/", {"status": "solved"}, "json")
    assert solved.status_code == 200, solved.content
    ticket.refresh_from_db()
    return Story(ticket=ticket, media=attachment_media)


@pytest.fixture(autouse=True)
def _capture_everything(caplog: pytest.LogCaptureFixture) -> None:
    """Every log record of every test here, fixtures included, at DEBUG (test_logs.py)."""
    caplog.set_level(logging.DEBUG)
