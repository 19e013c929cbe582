"""Real-world-shaped messages written for the project: the shapes mail clients, phones,
calendars and mailer daemons produce, with the encodings that break naive parsers."""

from __future__ import annotations

import base64
import quopri
from email.header import Header
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr

HUB = "support@hub.example"
# smallest valid PNG (1 by 1) and the start of a PDF: enough for the content check by bytes
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAcCBl"
    "CwAAAABJRU5ErkJggg=="
)
PDF_HEAD = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"


def _headers(message: EmailMessage | MIMEMultipart | MIMEText, n: int, subject: str) -> None:
    if message["From"] is None:
        message["From"] = f"customer{n}@example.com"
    message["To"] = HUB
    message["Message-ID"] = f"<corpus-{n}@example.com>"
    if message["Subject"] is None:
        message["Subject"] = subject


def alternative() -> bytes:
    message = EmailMessage()
    message.set_content("Plain: my invoice is wrong.")
    message.add_alternative("<p>HTML: my <b>invoice</b> is wrong.<script>x()</script></p>", "html")
    _headers(message, 1, "multipart/alternative")
    return message.as_bytes()


def html_only() -> bytes:
    part = MIMEText(
        "<html><body><p>Bonjour,</p><p>ma commande n'est pas arrivée.</p>"
        '<img src="http://tracker.example/p.gif" onerror="alert(1)"></body></html>',
        "html",
        "utf-8",
    )
    _headers(part, 2, "HTML only")
    return part.as_bytes()


def latin1_quoted_printable() -> bytes:
    body = quopri.encodestring("Grüße aus München, die Lieferung fehlt.".encode("iso-8859-1"))
    return (
        b"From: =?iso-8859-1?q?J=FCrgen_M=FCller?= <juergen@example.de>\r\n"
        b"To: support@hub.example\r\nMessage-ID: <corpus-3@example.de>\r\n"
        b"Subject: =?iso-8859-1?q?Lieferung_f=FCr_M=FCnchen?=\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + body
    )


def shift_jis() -> bytes:
    text = "注文した商品が届きません。"
    subject = Header("注文について", "iso-2022-jp").encode()
    name = Header("山田太郎", "utf-8").encode()
    return (
        f"From: {name} <taro@example.jp>\r\nTo: support@hub.example\r\n"
        f"Message-ID: <corpus-4@example.jp>\r\nSubject: {subject}\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=Shift_JIS\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    ).encode() + base64.encodebytes(text.encode("shift_jis"))


def arabic_headers() -> bytes:
    message = EmailMessage()
    message["From"] = formataddr(("أحمد علي", "ahmed@example.ae"))
    message["Subject"] = "طلبي لم يصل بعد"
    message.set_content("مرحبا، طلبي لم يصل بعد وأريد معرفة السبب.")
    _headers(message, 5, "")
    return message.as_bytes()


def broken_charset() -> bytes:
    return (
        b"From: someone@example.com\r\nTo: support@hub.example\r\n"
        b"Message-ID: <corpus-6@example.com>\r\nSubject: =?x-unknown?q?broken=FF?=\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"This says UTF-8 but is Latin-1: caf\xe9 cr\xe8me.\r\n"
    )


def unknown_charset() -> bytes:
    return (
        b"From: someone@example.com\r\nTo: support@hub.example\r\n"
        b"Message-ID: <corpus-7@example.com>\r\nSubject: unknown charset\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n\r\n"
        b"Plain words in an unknown charset.\r\n"
    )


def nested_forward() -> bytes:
    inner = EmailMessage()
    inner["From"] = "shop@example.com"
    inner["To"] = "customer8@example.com"
    inner["Subject"] = "Your order"
    inner.set_content("Order 9911 confirmed.")
    middle = EmailMessage()
    middle["From"] = "colleague@example.com"
    middle["Subject"] = "Fwd: Your order"
    middle.set_content("See below.")
    middle.add_attachment(inner)
    outer = EmailMessage()
    outer.set_content("Forwarding what my colleague forwarded me: the order never came.")
    outer.add_attachment(middle)
    _headers(outer, 8, "Fwd: Fwd: Your order")
    return outer.as_bytes()


def calendar_invite() -> bytes:
    outer = MIMEMultipart("mixed")
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText("You are invited to a call about your ticket.", "plain"))
    alternative.attach(
        MIMEText(
            "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:Call\r\n"
            "DTSTART:20261210T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "calendar",
        )
    )
    outer.attach(alternative)
    _headers(outer, 9, "Invitation: call")
    return outer.as_bytes()


def large_attachment(size: int = 5 * 1024 * 1024) -> bytes:
    outer = MIMEMultipart("mixed")
    outer.attach(MIMEText("Here is the 5 MB scan of my contract.", "plain"))
    pdf = MIMEApplication(PDF_HEAD + b"0" * (size - len(PDF_HEAD)), "pdf")
    pdf.add_header("Content-Disposition", "attachment", filename="contract.pdf")
    outer.attach(pdf)
    _headers(outer, 10, "Contract scan")
    return outer.as_bytes()


def inline_image() -> bytes:
    related = MIMEMultipart("related")
    related.attach(MIMEText('<p>Screenshot: <img src="cid:shot1"></p>', "html"))
    image = MIMEImage(PNG, "png")
    image.add_header("Content-ID", "<shot1>")
    image.add_header("Content-Disposition", "inline", filename="screenshot.png")
    related.attach(image)
    _headers(related, 11, "Inline screenshot")
    return related.as_bytes()


def refused_attachment() -> bytes:
    outer = MIMEMultipart("mixed")
    outer.attach(MIMEText("Please run the attached page.", "plain"))
    page = MIMEText("<html><script>alert(1)</script></html>", "html")
    page.add_header("Content-Disposition", "attachment", filename="page.html")
    outer.attach(page)
    _headers(outer, 12, "An HTML attachment")
    return outer.as_bytes()


def no_message_id_no_subject() -> bytes:
    return b"From: bare@example.com\r\nTo: support@hub.example\r\n\r\nJust a line, no headers.\r\n"


def garbage() -> bytes:
    return b"\x00\xff\xfe not a mail at all \r\n\r\n\x00"


CORPUS = {
    "alternative": alternative,
    "html_only": html_only,
    "latin1_quoted_printable": latin1_quoted_printable,
    "shift_jis": shift_jis,
    "arabic_headers": arabic_headers,
    "broken_charset": broken_charset,
    "unknown_charset": unknown_charset,
    "nested_forward": nested_forward,
    "calendar_invite": calendar_invite,
    "large_attachment": large_attachment,
    "inline_image": inline_image,
    "refused_attachment": refused_attachment,
    "no_message_id_no_subject": no_message_id_no_subject,
    "garbage": garbage,
}
