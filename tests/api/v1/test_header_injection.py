"""Text that ends up in e-mail headers: line breaks in a subject or a name are normalised at
the API, other control characters refused, and stored text never stops an e-mail (nor turns a
committed request into a 500 in the embedded eager mode)."""

from email.message import Message as MimeMessage

import pytest
from pytest_django import DjangoCaptureOnCommitCallbacks

from supportdesk.notifications import services
from supportdesk.tickets.models import Ticket
from tests.api.v1.conftest import create_ticket, payload
from tests.conftest import ClientPrincipal, StaffPrincipal
from tests.factories import CustomerFactory, TicketFactory

pytestmark = pytest.mark.django_db


def test_line_breaks_in_subject_and_name_become_spaces(
    client_a: ClientPrincipal, smtp_server: list[MimeMessage]
) -> None:
    # when a ticket arrives with a folded subject and name (eager mode: the e-mail goes now)
    created = create_ticket(
        client_a.client,
        subject="Order 42\r\nBcc: victim@example.com\n  still missing",
        customer={"name": "Sanne\nde Vries"},
    )
    # then both are one line, and the acknowledgement leaves with that subject
    assert created["subject"] == "Order 42 Bcc: victim@example.com still missing"
    assert created["customer"]["name"] == "Sanne de Vries"
    ticket_id = Ticket.objects.get(public_id=created["id"]).pk
    assert services.email_send(ticket_id=ticket_id, kind="acknowledgement")
    [acknowledgement] = smtp_server
    assert "\n" not in acknowledgement["Subject"]
    assert acknowledgement["Bcc"] is None
    assert acknowledgement["To"] == "sanne@example.nl"


@pytest.mark.parametrize("bad", ["Bell\x07", "Escape\x1b[31m", "C1\x9b"])
def test_other_control_characters_are_a_400(client_a: ClientPrincipal, bad: str) -> None:
    response = client_a.client.post("/api/v1/tickets/", payload(subject=bad), format="json")
    assert response.status_code == 400
    assert "subject" in response.json()
    response = client_a.client.post(
        "/api/v1/tickets/", payload(customer={"name": bad}), format="json"
    )
    assert response.status_code == 400
    assert "customer" in response.json()


def test_a_subject_of_only_line_breaks_is_blank(client_a: ClientPrincipal) -> None:
    response = client_a.client.post("/api/v1/tickets/", payload(subject="\r\n\t"), format="json")
    assert response.status_code == 400
    assert "subject" in response.json()


def test_a_stored_subject_with_a_line_break_still_mails_the_reply(
    agent_principal: StaffPrincipal,
    smtp_server: list[MimeMessage],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    # given a ticket stored with a line break in its subject (before this validation existed)
    customer = CustomerFactory(email="kim@example.nl", locale="nl-NL")
    ticket = TicketFactory(customer=customer, language="nl", subject="Kapot\r\nBcc: x@y.z")
    # when an agent replies through the API (eager mode: the e-mail is sent in the request)
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_principal.client.post(
            f"/api/v1/tickets/{ticket.public_id}/replies/", {"body": "We kijken ernaar."}, "json"
        )
    # then the request succeeded and the customer got the reply with a one-line subject
    assert response.status_code == 201, response.content
    [reply] = smtp_server
    assert reply["Subject"].endswith("Kapot Bcc: x@y.z")
    assert reply["Bcc"] is None
