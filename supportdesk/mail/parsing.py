"""Real-world mail into plain data: RFC 2047 headers, quoted-printable and base64 bodies,
declared charsets that lie or are unknown, HTML-only mail, inline images, attachments.

The compat32 policy parses fastest; headers are decoded here, and a header or part that
cannot be decoded is read with replacement characters instead of failing the message."""

from __future__ import annotations

import email
import hashlib
import re
from dataclasses import dataclass, field
from email.header import decode_header
from email.message import Message
from email.utils import getaddresses, parseaddr

from supportdesk.mail.content import html_to_text, sanitised_html

MAX_HEADER_CHARS = 998
_MESSAGE_IDS = re.compile(r"<[^<>\s]+>")
_SPACE = re.compile(r"\s+")
_CHARSET_ALIASES = {"x-sjis": "shift_jis", "sjis": "shift_jis", "ks_c_5601-1987": "cp949"}


@dataclass(frozen=True, slots=True)
class MailFile:
    name: str
    content_type: str
    data: bytes
    inline: bool = False


@dataclass(frozen=True, slots=True)
class ParsedMail:
    message_id: str
    sender: str  # lower case address
    sender_name: str
    recipients: tuple[str, ...]  # To, Cc, Delivered-To, X-Original-To (lower case)
    subject: str
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    text: str  # the whole text (plain part, or the HTML part as text)
    html: str  # sanitised HTML ("" when the mail has none)
    files: tuple[MailFile, ...] = ()
    auto_submitted: str = ""  # why this is an automatic message ("" when it is not)
    is_bounce: bool = False
    headers: dict[str, str] = field(default_factory=dict)


def decoded_header(value: object) -> str:
    """An RFC 2047 header value as text, on one line; broken encodings don't fail."""
    if value is None:
        return ""
    text = str(value)
    if "=?" in text:
        try:
            parts = decode_header(text)
        except (ValueError, LookupError, UnicodeError, AssertionError):
            parts = [(text, None)]
        text = "".join(
            _decode(chunk, charset) if isinstance(chunk, bytes) else chunk
            for chunk, charset in parts
        )
    return _SPACE.sub(" ", text).strip()[:MAX_HEADER_CHARS]


def _decode(data: bytes, charset: str | None) -> str:
    name = (charset or "utf-8").strip().strip('"').lower()
    name = _CHARSET_ALIASES.get(name, name)
    for candidate in (name, "utf-8"):
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("windows-1252", errors="replace")


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    return _decode(payload, part.get_content_charset())


def _file_name(part: Message) -> str:
    raw = part.get_param("filename", header="content-disposition") or part.get_param("name")
    if isinstance(raw, tuple):  # RFC 2231
        name = email.utils.collapse_rfc2231_value(raw, errors="replace")
    else:
        name = decoded_header(raw) if raw else ""
    return name.strip()


_EXTENSIONS = {"message/rfc822": "eml", "text/calendar": "ics", "text/plain": "txt"}


def _as_file(part: Message, index: int) -> MailFile | None:
    content_type = part.get_content_type()
    if content_type == "message/rfc822":
        inner = part.get_payload()
        first = inner[0] if isinstance(inner, list) and inner else None
        data = first.as_bytes() if isinstance(first, Message) else b""
    else:
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
    if not data:
        return None
    name = _file_name(part)
    if not name:
        extension = _EXTENSIONS.get(content_type, content_type.rpartition("/")[2] or "bin")
        name = f"part-{index}.{extension}"
    inline = (part.get("Content-Disposition") or "").lower().startswith("inline")
    return MailFile(name=name, content_type=content_type, data=data, inline=inline)


def _is_file(part: Message, content_type: str) -> bool:
    disposition = (part.get("Content-Disposition") or "").split(";", 1)[0].strip().lower()
    if disposition == "attachment" or content_type == "message/rfc822":
        return True
    if content_type in {"text/plain", "text/html"}:
        return False
    return content_type != "multipart/alternative" and not content_type.startswith("multipart/")


def _walk(message: Message) -> tuple[str, str, list[MailFile]]:
    plain: list[str] = []
    html: list[str] = []
    files: list[MailFile] = []
    stack: list[Message] = [message]
    while stack:
        part = stack.pop(0)
        content_type = part.get_content_type()
        if part.is_multipart() and content_type != "message/rfc822":
            payload = part.get_payload()
            if isinstance(payload, list):
                stack[0:0] = [inner for inner in payload if isinstance(inner, Message)]
            continue
        if _is_file(part, content_type):
            found = _as_file(part, len(files) + 1)
            if found is not None:
                files.append(found)
        elif content_type == "text/html":
            html.append(_part_text(part))
        else:
            plain.append(_part_text(part))
    return "\n\n".join(text for text in plain if text.strip()), "\n".join(html), files


def automatic_reason(message: Message, sender: str) -> str:
    """Why `message` is an automatic one (RFC 3834 and the usual vendor headers), or ""."""
    auto = str(message.get("Auto-Submitted") or "").strip().lower()
    if auto and auto != "no":
        return f"auto-submitted:{auto.split(';')[0]}"
    precedence = str(message.get("Precedence") or "").strip().lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return f"precedence:{precedence}"
    for header in ("X-Autoreply", "X-Autorespond", "List-Id"):
        if message.get(header) is not None:
            return header.lower()
    local = sender.partition("@")[0]
    if local.replace("-", "").replace("_", "").replace(".", "") in {"noreply", "donotreply"}:
        return "no-reply-sender"
    return ""


def _is_bounce(message: Message, sender: str) -> bool:
    content_type = message.get_content_type()
    report = str(message.get_param("report-type") or "").lower()
    local = sender.partition("@")[0]
    return (
        (content_type == "multipart/report" and report == "delivery-status")
        or local in {"mailer-daemon", "postmaster"}
        or (not sender and bool(message.get("X-Failed-Recipients")))
    )


def message_ids(value: object) -> tuple[str, ...]:
    return tuple(_MESSAGE_IDS.findall(str(value or "")))


def parse(raw: bytes) -> ParsedMail:
    message = email.message_from_bytes(raw)
    sender_name, sender = parseaddr(decoded_header(message.get("From")))
    sender = sender.lower()
    recipients = tuple(
        address.lower()
        for _name, address in getaddresses(
            [
                str(value)
                for key in ("To", "Cc", "Delivered-To", "X-Original-To")
                for value in message.get_all(key, [])
            ]
        )
        if address
    )
    found_ids = message_ids(message.get("Message-ID"))
    message_id = found_ids[0] if found_ids else f"<sha256.{hashlib.sha256(raw).hexdigest()}@>"
    plain, html, files = _walk(message)
    text = plain or (html_to_text(html) if html else "")
    return ParsedMail(
        message_id=message_id[:255],
        sender=sender,
        sender_name=sender_name,
        recipients=recipients,
        subject=decoded_header(message.get("Subject")),
        in_reply_to=message_ids(message.get("In-Reply-To")),
        references=message_ids(message.get("References")),
        text=text.replace("\r\n", "\n").replace("\x00", ""),
        html=sanitised_html(html) if html else "",
        files=tuple(files),
        auto_submitted=automatic_reason(message, sender),
        is_bounce=_is_bounce(message, sender),
    )
