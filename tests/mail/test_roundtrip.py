"""Our e-mails carry the threading headers, and the customer's answer to them (over real
SMTP, aiosmtpd on loopback) lands on the same ticket; automatic answers start no loop."""

from email.message import Message as MimeMessage

import pytest

from supportdesk.mail import tokens
from supportdesk.mail.models import Mailbox, Outcome
from supportdesk.mail.services import mail_receive
from supportdesk.notifications.models import EmailDelivery
from supportdesk.notifications.services import email_send
from supportdesk.notifications.services.customer_emails import ACKNOWLEDGEMENT, REPLY
from supportdesk.tickets.models import Message, Ticket
from supportdesk.tickets.services import ticket_reply
from tests.mail.messages import HUB, mail

pytestmark = pytest.mark.django_db

FIRST = "<first-4711@example.nl>"
QUESTION = (
    "Hello, I ordered a blue jacket two weeks ago and it has still not arrived. "
    "Could you please tell me where it is?"
)


def _open(mailbox: Mailbox) -> Ticket:
    received = mail_receive(mailbox=mailbox, raw=mail(body=QUESTION, message_id=FIRST))
    return Ticket.objects.get(id=received.ticket_id)


def test_acknowledgement_and_reply_carry_threading_headers(
    mailbox: Mailbox, smtp_server: list[MimeMessage]
) -> None:
    ticket = _open(mailbox)
    assert email_send(ticket_id=ticket.pk, kind=ACKNOWLEDGEMENT)
    reply = ticket_reply(ticket_id=ticket.pk, body="It ships today.", internal=False, actor=None)
    assert email_send(ticket_id=ticket.pk, kind=REPLY, message_id=reply.pk)
    acknowledgement, answer = smtp_server
    for sent in (acknowledgement, answer):
        assert tokens.ticket_from_message_id(str(sent["Message-ID"])) == ticket.pk
        assert sent["In-Reply-To"] == FIRST
        assert FIRST in str(sent["References"])
        assert tokens.ticket_from_address(str(sent["Reply-To"])) == ticket.pk
        assert str(sent["Reply-To"]).endswith("@hub.example")
    assert acknowledgement["Auto-Submitted"] == "auto-replied"
    assert answer["Auto-Submitted"] is None
    assert acknowledgement["Message-ID"] != answer["Message-ID"]


def test_customer_answer_to_our_reply_lands_on_the_ticket(
    mailbox: Mailbox, smtp_server: list[MimeMessage]
) -> None:
    ticket = _open(mailbox)
    reply = ticket_reply(ticket_id=ticket.pk, body="It ships today.", internal=False, actor=None)
    email_send(ticket_id=ticket.pk, kind=REPLY, message_id=reply.pk)
    [ours] = smtp_server
    quoted = "\n".join(f"> {line}" for line in ours.get_body(("plain",)).get_content().splitlines())
    answer = mail(
        body=f"Great, thank you!\n\nOn Tue, Support <{HUB}> wrote:\n{quoted}\n",
        subject=f"Re: {ours['Subject']}",
        to=str(ours["Reply-To"]),
        headers={"In-Reply-To": str(ours["Message-ID"]), "References": str(ours["Message-ID"])},
    )
    received = mail_receive(mailbox=mailbox, raw=answer)
    assert (received.outcome, received.ticket_id) == (Outcome.APPENDED, ticket.pk)
    last = Message.objects.filter(ticket=ticket).order_by("id").last()
    assert last is not None
    assert last.body == "Great, thank you!"
    follow_up = mail(
        body="One more thing.",
        headers={"In-Reply-To": "<elsewhere@x>", "References": f"{FIRST} <elsewhere@x>"},
    )
    assert mail_receive(mailbox=mailbox, raw=follow_up).ticket_id == ticket.pk


def test_out_of_office_to_our_acknowledgement_starts_no_loop(
    mailbox: Mailbox, smtp_server: list[MimeMessage]
) -> None:
    ticket = _open(mailbox)
    email_send(ticket_id=ticket.pk, kind=ACKNOWLEDGEMENT)
    [ours] = smtp_server
    away = mail(
        subject=f"Automatic reply: {ours['Subject']}",
        body="I am out of the office until Monday.",
        headers={"Auto-Submitted": "auto-replied", "In-Reply-To": str(ours["Message-ID"])},
    )
    received = mail_receive(mailbox=mailbox, raw=away)
    assert (received.outcome, received.ticket_id) == (Outcome.NOTED, ticket.pk)
    assert Ticket.objects.count() == 1
    assert list(EmailDelivery.objects.values_list("kind", flat=True)) == [ACKNOWLEDGEMENT]
    assert len(smtp_server) == 1


def test_no_acknowledgement_reaches_a_no_reply_sender(
    mailbox: Mailbox, smtp_server: list[MimeMessage]
) -> None:
    received = mail_receive(mailbox=mailbox, raw=mail(sender="noreply@shop.example"))
    assert not email_send(ticket_id=received.ticket_id, kind=ACKNOWLEDGEMENT)
    assert smtp_server == []
