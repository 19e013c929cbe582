"""Customer e-mails through a real SMTP server on 127.0.0.1, in the ticket's language."""

from datetime import UTC, datetime
from email.message import EmailMessage
from email.message import Message as MimeMessage
from typing import Any

import pytest
from django.core import mail
from pytest_django import DjangoCaptureOnCommitCallbacks

from supportdesk.notifications import services
from supportdesk.notifications.emails import email_language
from supportdesk.notifications.tasks import send_ticket_email_task
from supportdesk.tickets.models import Message, Ticket
from tests.factories import AgentFactory, CustomerFactory, MessageFactory, TicketFactory

pytestmark = pytest.mark.django_db

DUE = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


def ticket_for(language: str, locale: str, zone: str) -> Ticket:
    customer = CustomerFactory(locale=locale, timezone=zone, name="Sam")
    ticket: Ticket = TicketFactory(
        customer=customer, language=language, subject="Lost parcel", first_response_due_at=DUE
    )
    return ticket


def parts(message: MimeMessage) -> tuple[str, str]:
    assert isinstance(message, EmailMessage)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    return text.get_content(), html.get_content()


@pytest.mark.parametrize(
    ("language", "locale", "zone", "due_text", "html_marks"),
    [
        pytest.param(
            "nl", "nl-NL", "Europe/Amsterdam", "2 maart 2026, 18:00:00 CET", 'lang="nl"', id="nl"
        ),
        pytest.param(
            "de", "de-DE", "Europe/Berlin", "2. März 2026, 18:00:00 MEZ", 'lang="de"', id="de"
        ),
        pytest.param("ar", "ar-EG", "Africa/Cairo", "2 مارس 2026", 'lang="ar" dir="rtl"', id="ar"),
    ],
)
def test_acknowledgement_arrives_in_the_customers_language(
    smtp_server: list[MimeMessage],
    language: str,
    locale: str,
    zone: str,
    due_text: str,
    html_marks: str,
) -> None:
    # given a ticket whose first answer is due on 2 March 17:00 UTC
    ticket = ticket_for(language, locale, zone)
    # when the acknowledgement task runs
    assert send_ticket_email_task.delay(ticket.pk, "acknowledgement").get() is True
    # then one e-mail arrived over SMTP, plain text + HTML, tagged with its language,
    # the due time in the customer's locale and time zone
    [received] = smtp_server
    text, html = parts(received)
    assert received["To"] == ticket.customer.email
    assert received["Content-Language"] == language
    assert ticket.reference in received["Subject"]
    assert "Lost parcel" in received["Subject"]
    assert ticket.reference in text
    assert due_text in text
    assert due_text in html
    assert html_marks in html


def test_public_agent_reply_is_mailed_with_its_body_and_author(
    smtp_server: list[MimeMessage],
) -> None:
    ticket = ticket_for("de", "de-AT", "Europe/Vienna")
    agent = AgentFactory(user__first_name="Anna", user__last_name="Jansen")
    reply: Message = MessageFactory(
        ticket=ticket, author_kind="agent", author_agent=agent, body="Ihr Paket ist unterwegs."
    )

    assert services.email_send(ticket_id=ticket.pk, kind="reply", message_id=reply.pk)

    [received] = smtp_server
    text, html = parts(received)
    assert "Ihr Paket ist unterwegs." in text
    assert "Anna Jansen" in text
    assert "Ihr Paket ist unterwegs." in html
    assert received["Content-Language"] == "de"


def test_internal_notes_and_customer_messages_are_not_mailed(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    ticket = ticket_for("nl", "nl-NL", "Europe/Amsterdam")
    note: Message = MessageFactory(ticket=ticket, author_kind="agent", internal=True)
    customer_message: Message = MessageFactory(ticket=ticket, author_kind="customer")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.ticket_replied(ticket=ticket, message=note)
        services.ticket_replied(ticket=ticket, message=customer_message)

    assert callbacks == []
    assert not services.email_send(ticket_id=ticket.pk, kind="reply", message_id=note.pk)
    assert mail.outbox == []


def test_a_ticket_without_deadline_says_nothing_about_when() -> None:
    ticket = ticket_for("nl", "", "")
    ticket.first_response_due_at = None
    ticket.save(update_fields=["first_response_due_at"])

    assert services.email_send(ticket_id=ticket.pk, kind="acknowledgement")

    [sent] = mail.outbox
    assert "2026" not in sent.body
    assert services.email_send(ticket_id=0, kind="acknowledgement") is False


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("nl", "nl"),
        ("pt-BR", "pt-br"),
        ("ca", "es"),  # no Catalan catalog: its chain goes ca → es → en
        ("ja", "en"),
        ("xx-unknown", "en"),
    ],
)
def test_email_language_follows_the_fallback_chain(tag: str, expected: str) -> None:
    assert email_language(tag=tag) == expected


def test_manager_alerts_are_marked_automatic_so_nothing_answers_them(
    smtp_server: list[MimeMessage], settings: Any
) -> None:
    # given a manager address
    settings.MANAGER_EMAILS = ["lead@hub.example"]
    # when an alert goes out
    assert services.managers_notify(subject="Queue over its limit", body="42 waiting") == 1
    # then it says it was generated automatically (RFC 3834): responders stay quiet
    [received] = smtp_server
    assert received["To"] == "lead@hub.example"
    assert received["Auto-Submitted"] == "auto-generated"
    assert received["X-Auto-Response-Suppress"] == "All"
