"""Messages landing on tickets: new tickets, replies, duplicates, loops and bounces."""

import hashlib

import pytest
from django.core.mail import EmailMessage

from supportdesk.mail import tokens
from supportdesk.mail.models import InboundMessage, Mailbox, Outcome
from supportdesk.mail.services import mail_receive
from supportdesk.notifications.models import EmailDelivery, EmailStatus
from supportdesk.notifications.services import email_send
from supportdesk.notifications.services.customer_emails import ACKNOWLEDGEMENT
from supportdesk.tickets.models import AuthorKind, Message, Ticket, TicketStatus
from supportdesk.tickets.services import ticket_set_status
from tests.mail.messages import HUB, mail

pytestmark = pytest.mark.django_db

DUTCH = (
    "Goedemiddag, mijn pakket is nog steeds niet aangekomen en de bezorger zegt dat het "
    "bij de buren ligt, maar daar is het niet. Kunt u mij helpen?"
)


def test_new_mail_makes_an_email_ticket_in_the_detected_language(mailbox: Mailbox) -> None:
    raw = mail(body=DUTCH, subject="Pakket kwijt")
    received = mail_receive(mailbox=mailbox, raw=raw)
    ticket = Ticket.objects.select_related("customer").get(id=received.ticket_id)
    assert received.outcome == Outcome.CREATED
    assert (ticket.channel, ticket.language, ticket.language_source) == ("email", "nl", "detected")
    assert ticket.client_app_id == mailbox.client_app_id
    assert ticket.customer.email == "jan@example.nl"
    assert ticket.customer.name == "Jan de Vries"
    assert ticket.messages.get().body.startswith("Goedemiddag")
    row = InboundMessage.objects.get()
    assert bytes(row.raw) == raw


def test_short_text_falls_back_to_the_mailbox_default(mailbox: Mailbox) -> None:
    mailbox.default_language = "de"
    mailbox.save()
    received = mail_receive(mailbox=mailbox, raw=mail(body="ok", subject="?"))
    ticket = Ticket.objects.get(id=received.ticket_id)
    assert (ticket.language, ticket.language_source) == ("de", "default")


def test_mailbox_of_one_language_sets_it(mailbox: Mailbox) -> None:
    mailbox.default_language = "nl"
    mailbox.language_explicit = True
    mailbox.save()
    received = mail_receive(mailbox=mailbox, raw=mail())
    ticket = Ticket.objects.get(id=received.ticket_id)
    assert (ticket.language, ticket.language_source) == ("nl", "explicit")


def test_the_same_message_twice_is_one_ticket(mailbox: Mailbox) -> None:
    raw = mail()
    first = mail_receive(mailbox=mailbox, raw=raw)
    second = mail_receive(mailbox=mailbox, raw=raw)
    assert second.duplicate
    assert second.ticket_id == first.ticket_id
    assert Ticket.objects.count() == 1
    assert InboundMessage.objects.count() == 1


def _ticket(mailbox: Mailbox) -> Ticket:
    received = mail_receive(mailbox=mailbox, raw=mail(body=DUTCH))
    return Ticket.objects.select_related("customer").get(id=received.ticket_id)


def test_reply_to_our_address_token_lands_on_the_ticket_without_quotes(mailbox: Mailbox) -> None:
    ticket = _ticket(mailbox)
    body = (
        "Het is gevonden, dank u!\n\nOp ma 1 dec 2026 om 10:00 schreef Support <support@hub>:\n"
        "> Wij zoeken het uit.\n"
    )
    raw = mail(body=body, subject="Re: something else", to=tokens.reply_address(HUB, ticket.pk))
    received = mail_receive(mailbox=mailbox, raw=raw)
    assert (received.outcome, received.ticket_id, received.reason) == (
        "appended",
        ticket.pk,
        "token",
    )
    reply = ticket.messages.order_by("id").last()
    assert reply is not None
    assert reply.body == "Het is gevonden, dank u!"
    assert reply.author_kind == AuthorKind.CUSTOMER
    assert "Wij zoeken het uit" in InboundMessage.objects.get(ticket_message=reply).full_text


def test_reply_by_in_reply_to_of_our_message_id_reopens_a_solved_ticket(
    mailbox: Mailbox,
) -> None:
    ticket = _ticket(mailbox)
    Ticket.objects.filter(id=ticket.pk).update(status=TicketStatus.PENDING)
    ticket_set_status(ticket_id=ticket.pk, status=TicketStatus.SOLVED, actor=None)
    ours = tokens.new_message_id(ticket.pk)
    raw = mail(body="Still broken.", subject="Re: hi", headers={"In-Reply-To": ours})
    received = mail_receive(mailbox=mailbox, raw=raw)
    assert received.ticket_id == ticket.pk
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NEW


def test_reference_in_subject_counts_only_from_the_customer(mailbox: Mailbox) -> None:
    ticket = _ticket(mailbox)
    own = mail_receive(
        mailbox=mailbox, raw=mail(body="More info.", subject=f"Re: [{ticket.reference}] x")
    )
    assert own.ticket_id == ticket.pk
    stranger = mail_receive(
        mailbox=mailbox,
        raw=mail(
            body="Also mine?", subject=f"Fwd: [{ticket.reference}] x", sender="eve@example.org"
        ),
    )
    assert stranger.outcome == Outcome.CREATED
    assert stranger.ticket_id != ticket.pk


def test_forged_token_is_not_a_match(mailbox: Mailbox) -> None:
    ticket = _ticket(mailbox)
    token = tokens.ticket_token(ticket.pk)
    forged = f"support+{token[:-1]}{'b' if token[-1] == 'a' else 'a'}@hub.example"
    received = mail_receive(mailbox=mailbox, raw=mail(to=forged, sender="eve@example.org"))
    assert received.ticket_id != ticket.pk


def _acknowledgement(ticket_id: int | None) -> str | None:
    row = EmailDelivery.objects.filter(ticket_id=ticket_id, kind="acknowledgement").first()
    return row.status if row else None


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"X-Autoreply": "yes"},
    ],
)
def test_automatic_mail_opens_nothing_and_notes_a_match(
    mailbox: Mailbox, headers: dict[str, str]
) -> None:
    alone = mail_receive(mailbox=mailbox, raw=mail(subject="Out of office", headers=headers))
    assert (alone.outcome, alone.ticket_id) == (Outcome.SKIPPED, None)
    ticket = _ticket(mailbox)
    reply_headers = {**headers, "In-Reply-To": tokens.new_message_id(ticket.pk)}
    noted = mail_receive(mailbox=mailbox, raw=mail(subject="Away", headers=reply_headers))
    assert (noted.outcome, noted.ticket_id) == (Outcome.NOTED, ticket.pk)
    note = Message.objects.filter(ticket=ticket).order_by("id").last()
    assert note is not None
    assert (note.author_kind, note.internal) == (AuthorKind.SYSTEM, True)


def test_no_reply_sender_gets_a_ticket_but_no_acknowledgement(mailbox: Mailbox) -> None:
    received = mail_receive(mailbox=mailbox, raw=mail(sender="no-reply@shop.example"))
    assert received.outcome == Outcome.CREATED
    assert _acknowledgement(received.ticket_id) == EmailStatus.SKIPPED


def test_our_own_address_is_skipped(mailbox: Mailbox) -> None:
    received = mail_receive(mailbox=mailbox, raw=mail(sender=f"Hub <{HUB}>"))
    assert received.outcome == Outcome.SKIPPED


def test_bounce_is_recorded_on_the_ticket(mailbox: Mailbox) -> None:
    ticket = _ticket(mailbox)
    original = tokens.new_message_id(ticket.pk)
    body = (
        "This is the mail system.\n\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 no such user\n\n"
        f"Message-ID: {original}\n"
    )
    raw = mail(sender="MAILER-DAEMON@mx.example.nl", subject="Undelivered Mail", body=body)
    received = mail_receive(mailbox=mailbox, raw=raw)
    assert (received.outcome, received.ticket_id) == (Outcome.BOUNCE, ticket.pk)
    assert Ticket.objects.count() == 1
    note = Message.objects.filter(ticket=ticket, author_kind=AuthorKind.SYSTEM).get()
    assert "550 no such user" in note.body


def test_sender_over_the_rate_limit_is_not_acknowledged(mailbox: Mailbox, settings) -> None:
    settings.MAIL_RATE_LIMIT_TICKETS = 2
    results = [mail_receive(mailbox=mailbox, raw=mail(subject=f"n{i}")) for i in range(3)]
    assert [r.outcome for r in results] == ["created"] * 3
    assert [_acknowledgement(r.ticket_id) for r in results] == [None, None, EmailStatus.SKIPPED]
    assert results[2].reason == "rate-limited"


def test_a_message_of_an_erased_customer_read_again_stays_erased(mailbox: Mailbox) -> None:
    raw = mail()
    first = mail_receive(mailbox=mailbox, raw=raw)
    row = InboundMessage.objects.get()
    digest = hashlib.sha256(row.message_id.encode()).hexdigest()[:40]
    InboundMessage.objects.filter(pk=row.pk).update(message_id=f"erased:{digest}", raw=b"")
    again = mail_receive(mailbox=mailbox, raw=raw)
    assert again.duplicate
    assert again.ticket_id == first.ticket_id
    assert Ticket.objects.count() == 1


SHOP_MAIL_DE = (
    "Sehr geehrte Kundin, sehr geehrter Kunde, vielen Dank für Ihre Bestellung. Leider ist "
    "der Artikel derzeit nicht lieferbar und wird erst in einigen Wochen wieder verfügbar sein. "
    "Wir bitten um Ihr Verständnis und melden uns, sobald die Ware eingetroffen ist."
)


def test_a_new_mail_is_stored_and_detected_without_its_quoted_history(
    mailbox: Mailbox, mailoutbox: list[EmailMessage]
) -> None:
    # given a new mail (it threads to no ticket) in English quoting a German shop's mail
    quoted = "\n".join(f"> {line}" for line in SHOP_MAIL_DE.split(". "))
    body = (
        "Hi, this is still not solved. I wrote to you last week and nobody has answered "
        "me since then, see below.\n\nBest regards,\nAnna\n\n"
        f"Am Mo., 30. Nov. 2026 um 09:12 Uhr schrieb Shop <orders@shop.example>:\n{quoted}\n"
    )
    mailbox.default_language = "nl"
    mailbox.save()
    # when it lands
    received = mail_receive(mailbox=mailbox, raw=mail(body=body, subject="Order 4411"))
    # then the ticket holds the new text only, in the language of that text
    ticket = Ticket.objects.get(id=received.ticket_id)
    assert received.outcome == Outcome.CREATED
    first = ticket.messages.get()
    assert first.body.startswith("Hi, this is still not solved.")
    assert "Bestellung" not in first.body
    assert "schrieb" not in first.body
    assert (ticket.language, ticket.language_source) == ("en", "detected")
    # and the acknowledgement is in English; the full original stays on the inbound row
    assert email_send(ticket_id=ticket.pk, kind=ACKNOWLEDGEMENT)
    assert mailoutbox[-1].extra_headers["Content-Language"] == "en"
    assert "Bestellung" in InboundMessage.objects.get(ticket=ticket).full_text
