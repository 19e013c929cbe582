"""Signed ticket tokens for threading: the plus-address of our Reply-To
(`support+<token>@hub`) and the left part of the Message-IDs we generate
(`<<token>.<random>@hub>`). A token is the ticket's id and a truncated HMAC of it, in lower
case base 32 so that mail systems that fold the case of addresses keep it valid."""

from __future__ import annotations

import base64
import re
import secrets

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "supportdesk.mail.ticket-token"
MAC_CHARS = 16  # 80 bits
TOKEN = re.compile(r"([0-9a-z]{1,13})-([a-z2-7]{16})")
MESSAGE_ID = re.compile(r"<?sd\.([0-9a-z]{1,13}-[a-z2-7]{16})\.[0-9a-z]+@", re.IGNORECASE)


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


def _mac(ident: str) -> str:
    digest = salted_hmac(SALT, ident, algorithm="sha256").digest()
    return base64.b32encode(digest).decode("ascii").lower()[:MAC_CHARS]


def ticket_token(ticket_id: int) -> str:
    ident = _base36(ticket_id)
    return f"{ident}-{_mac(ident)}"


def ticket_from_token(token: str) -> int | None:
    """The ticket id a genuine token names; None for anything else."""
    match = TOKEN.fullmatch(token.strip().lower())
    if match is None or not constant_time_compare(match.group(2), _mac(match.group(1))):
        return None
    return int(match.group(1), 36)


def message_id_domain() -> str:
    configured: str = settings.MAIL_MESSAGE_ID_DOMAIN
    return configured or settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "supportdesk.localhost"


def new_message_id(ticket_id: int) -> str:
    return f"<sd.{ticket_token(ticket_id)}.{secrets.token_hex(6)}@{message_id_domain()}>"


def ticket_from_message_id(message_id: str) -> int | None:
    match = MESSAGE_ID.match(message_id.strip())
    return ticket_from_token(match.group(1)) if match else None


def reply_address(address: str, ticket_id: int) -> str:
    """`support@hub` → `support+<token>@hub`."""
    local, _at, domain = address.rpartition("@")
    return f"{local.split('+', 1)[0]}+{ticket_token(ticket_id)}@{domain}"


def ticket_from_address(address: str) -> int | None:
    local = address.rpartition("@")[0]
    if "+" not in local:
        return None
    return ticket_from_token(local.split("+", 1)[1])
