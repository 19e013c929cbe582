"""The corpus of real-world-shaped messages: none crashes, each lands readable, and anything
refused says so in one log line."""

from pathlib import Path

import pytest

from supportdesk.attachments.models import Attachment
from supportdesk.mail.models import InboundMessage, Mailbox, Outcome
from supportdesk.mail.parsing import parse
from supportdesk.mail.services import mail_receive
from supportdesk.tickets.models import Ticket
from tests.mail import corpus

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", sorted(corpus.CORPUS))
def test_every_message_lands_without_a_crash(
    name: str, mailbox: Mailbox, attachment_media: Path
) -> None:
    raw = corpus.CORPUS[name]()
    received = mail_receive(mailbox=mailbox, raw=raw)
    expected = Outcome.REFUSED if name == "garbage" else Outcome.CREATED
    assert received.outcome == expected
    assert again_is_duplicate(mailbox, raw)


def again_is_duplicate(mailbox: Mailbox, raw: bytes) -> bool:
    return mail_receive(mailbox=mailbox, raw=raw).duplicate or not InboundMessage.objects.exists()


def _land(mailbox: Mailbox, raw: bytes) -> Ticket:
    received = mail_receive(mailbox=mailbox, raw=raw)
    return Ticket.objects.select_related("customer").get(id=received.ticket_id)


def test_encoded_headers_and_bodies_are_decoded(mailbox: Mailbox) -> None:
    german = _land(mailbox, corpus.latin1_quoted_printable())
    assert german.subject == "Lieferung für München"
    assert german.customer.name == "Jürgen Müller"
    assert german.messages.get().body == "Grüße aus München, die Lieferung fehlt."
    japanese = _land(mailbox, corpus.shift_jis())
    assert japanese.subject == "注文について"
    assert japanese.customer.name == "山田太郎"
    assert japanese.messages.get().body == "注文した商品が届きません。"
    assert japanese.language == "ja"
    arabic = _land(mailbox, corpus.arabic_headers())
    assert arabic.subject == "طلبي لم يصل بعد"
    assert arabic.customer.name == "أحمد علي"
    assert arabic.language == "ar"


def test_lying_and_unknown_charsets_do_not_fail(mailbox: Mailbox) -> None:
    assert "café crème" in parse(corpus.broken_charset()).text
    assert parse(corpus.unknown_charset()).text.strip() == "Plain words in an unknown charset."


def test_html_is_text_for_the_thread_and_sanitised_for_display(mailbox: Mailbox) -> None:
    parsed = parse(corpus.alternative())
    assert parsed.text.strip() == "Plain: my invoice is wrong."
    assert "<script" not in parsed.html
    assert "<b>invoice</b>" in parsed.html
    html_only = parse(corpus.html_only())
    assert "ma commande n'est pas arrivée." in html_only.text
    assert "onerror" not in html_only.html


def test_files_go_through_the_attachments_subsystem(
    mailbox: Mailbox, attachment_media: Path
) -> None:
    big = _land(mailbox, corpus.large_attachment())
    [pdf] = Attachment.objects.filter(message__ticket=big)
    assert (pdf.name, pdf.content_type, pdf.size) == ("contract.pdf", "application/pdf", 5 << 20)
    inline = _land(mailbox, corpus.inline_image())
    assert list(
        Attachment.objects.filter(message__ticket=inline).values_list("name", "content_type")
    ) == [("screenshot.png", "image/png")]
    forward = _land(mailbox, corpus.nested_forward())
    assert Attachment.objects.filter(message__ticket=forward).count() == 1  # the forwarded mail


def test_a_refused_file_is_one_clear_log_line(
    mailbox: Mailbox, attachment_media: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ticket = _land(mailbox, corpus.refused_attachment())
    assert not Attachment.objects.filter(message__ticket=ticket).exists()
    refused = [r.getMessage() for r in caplog.records if "file refused" in r.getMessage()]
    assert refused == ["mail file refused: text/html, 38 bytes (unsupported-type)"]
    assert "page.html" not in refused[0]  # names can be personal: type and size only


def test_message_without_id_or_subject_still_lands_once(mailbox: Mailbox) -> None:
    raw = corpus.no_message_id_no_subject()
    ticket = _land(mailbox, raw)
    assert ticket.subject == "(no subject)"
    assert mail_receive(mailbox=mailbox, raw=raw).duplicate
