"""Fetching from a real IMAP server (dovecot on loopback): new mail becomes tickets, messages
are flagged seen only after they landed, and a connection cut mid-fetch loses and doubles
nothing."""

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from imap_tools import MailBoxUnencrypted

from supportdesk.mail.models import InboundMessage, Mailbox
from supportdesk.mail.services import mailbox_fetch
from supportdesk.tickets.models import Ticket
from tests.mail.imap import ImapServer, Relay
from tests.mail.messages import mail

pytestmark = pytest.mark.django_db

GERMAN = (
    "Guten Tag, meine Bestellung ist beschädigt angekommen und ich möchte sie gern "
    "zurückschicken. Wie gehe ich dabei vor?"
)


def test_new_mail_becomes_tickets_and_is_flagged_seen(
    imap_server: ImapServer, imap_mailbox: Mailbox
) -> None:
    imap_server.append(mail(body=GERMAN, subject="Rücksendung"), mail(subject="second"))
    result = mailbox_fetch(mailbox=imap_mailbox)
    assert (result.read, result.landed, result.error) == (2, 2, "")
    assert imap_server.unseen() == 0
    german = Ticket.objects.get(subject="Rücksendung")
    assert (german.channel, german.language) == ("email", "de")
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.last_fetch_at is not None
    assert imap_mailbox.last_error == ""


def test_a_message_read_again_is_one_ticket(imap_server: ImapServer, imap_mailbox: Mailbox) -> None:
    raw = mail()
    imap_server.append(raw)
    mailbox_fetch(mailbox=imap_mailbox)
    imap_server.append(raw)  # the same message delivered (or left unseen) again
    again = mailbox_fetch(mailbox=imap_mailbox)
    assert (again.read, again.duplicates, again.landed) == (1, 1, 0)
    assert Ticket.objects.count() == 1
    assert imap_server.unseen() == 0


BODY_LINES = 600  # ~30 KB per message: a cut lands inside a FETCH as often as between them


@pytest.mark.parametrize("cut_after", [2_500, 45_000, 70_000, 120_000])
def test_connection_cut_mid_fetch_loses_and_doubles_nothing(
    imap_server: ImapServer, imap_mailbox: Mailbox, cut_after: int
) -> None:
    bodies = [
        "\n".join(
            f"line {line} of message {n}: the order has not arrived" for line in range(BODY_LINES)
        )
        for n in range(4)
    ]
    imap_server.append(*(mail(subject=f"order {n}", body=body) for n, body in enumerate(bodies)))
    relay = Relay(target=imap_server.port, cut_after=cut_after)
    relay.start()
    try:
        Mailbox.objects.filter(pk=imap_mailbox.pk).update(imap_port=relay.port)
        imap_mailbox.refresh_from_db()
        first = mailbox_fetch(mailbox=imap_mailbox)
        assert first.error  # the server went away mid-fetch
        imap_mailbox.refresh_from_db()
        assert imap_mailbox.last_error == first.error
        second = mailbox_fetch(mailbox=imap_mailbox)  # the relay passes everything now
    finally:
        relay.stop()
    assert second.error == ""
    assert first.landed + second.landed == 4
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == [
        f"order {n}" for n in range(4)
    ]
    assert InboundMessage.objects.count() == 4
    assert imap_server.unseen() == 0


def test_wrong_secret_is_recorded_not_raised(
    imap_server: ImapServer, imap_mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SD_TEST_IMAP_SECRET", "wrong")
    imap_server.append(mail())
    result = mailbox_fetch(mailbox=imap_mailbox)
    assert result.error == (
        "The IMAP server refused the sign-in (password): "
        "[AUTHENTICATIONFAILED] Authentication failed."
    )
    assert Ticket.objects.count() == 0
    assert imap_server.unseen() == 1


def test_fetch_mail_command_prints_one_line_per_mailbox(
    imap_server: ImapServer, imap_mailbox: Mailbox, capsys: pytest.CaptureFixture[str]
) -> None:
    imap_server.append(mail())
    call_command("fetch_mail", imap_mailbox.address)
    assert capsys.readouterr().out == (
        f"{imap_mailbox.address}: read 1, new 1, duplicates 0, refused 0\n"
    )
    with pytest.raises(CommandError):
        call_command("fetch_mail", "nobody@hub.example")


def test_a_message_that_fails_to_land_does_not_block_the_mailbox(
    imap_server: ImapServer, imap_mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fault injection: landing fails for one message (a bug, a poison message)."""
    from supportdesk.mail.services import fetch

    real = fetch.mail_receive

    def failing_for_poison(*, mailbox: Mailbox, raw: bytes) -> object:
        if b"POISON" in raw:
            raise RuntimeError("injected")
        return real(mailbox=mailbox, raw=raw)

    monkeypatch.setattr(fetch, "mail_receive", failing_for_poison)
    imap_server.append(mail(subject="POISON"), mail(subject="fine"))
    result = mailbox_fetch(mailbox=imap_mailbox)
    assert (result.read, result.landed, result.refused) == (2, 1, 1)
    assert list(Ticket.objects.values_list("subject", flat=True)) == ["fine"]
    assert imap_server.unseen() == 1  # read again next time, flagged for whoever looks


def test_a_message_over_the_size_limit_is_left_on_the_server_flagged(
    imap_server: ImapServer, imap_mailbox: Mailbox, settings: Any
) -> None:
    settings.MAIL_MAX_MESSAGE_BYTES = 2_000
    imap_server.append(mail(body="x " * 5_000, subject="huge"), mail(subject="small"))
    result = mailbox_fetch(mailbox=imap_mailbox)
    assert (result.read, result.landed, result.refused) == (1, 1, 1)
    assert list(Ticket.objects.values_list("subject", flat=True)) == ["small"]
    assert imap_server.unseen() == 0  # not read again and again; \\Flagged for a person


def test_a_message_refused_on_landing_counts_as_refused_not_new(
    imap_server: ImapServer, imap_mailbox: Mailbox, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a message without a sender (refused when it lands) and an ordinary one
    nobody = mail(subject="from nobody").replace(b"From: Jan de Vries <jan@example.nl>\n", b"")
    assert b"From:" not in nobody
    imap_server.append(nobody, mail(subject="fine"))
    # when the mailbox is fetched
    call_command("fetch_mail", imap_mailbox.address)
    # then one new, one refused; the refused one is seen and flagged for a person
    assert capsys.readouterr().out == (
        f"{imap_mailbox.address}: read 2, new 1, duplicates 0, refused 1\n"
    )
    assert list(Ticket.objects.values_list("subject", flat=True)) == ["fine"]
    assert InboundMessage.objects.get(subject="from nobody").outcome == "refused"
    assert imap_server.unseen() == 0
    with MailBoxUnencrypted("127.0.0.1", imap_server.port).login(
        imap_server.user, imap_server.password
    ) as box:
        assert [m.subject for m in box.fetch("FLAGGED", mark_seen=False)] == ["from nobody"]


def test_a_mailbox_without_its_secret_says_so(
    imap_mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SD_TEST_IMAP_SECRET")
    result = mailbox_fetch(mailbox=imap_mailbox)
    assert result.error.startswith("MailboxNotConfigured")
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.last_error == result.error
