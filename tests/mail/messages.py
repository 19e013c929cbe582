"""Messages shaped like real mail, built for these tests (never copied from elsewhere)."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

HUB = "support@hub.example"


def mail(
    *,
    body: str = "Hello, my parcel never arrived. Order 4411.",
    subject: str = "Parcel missing",
    sender: str = "Jan de Vries <jan@example.nl>",
    to: str = HUB,
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
    html: str | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="example.nl")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message.as_bytes()
