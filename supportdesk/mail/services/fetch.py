"""Reading an IMAP mailbox: each unseen message is landed (committed) first and only then
flagged \\Seen, so a connection that drops mid-fetch loses nothing (the message stays unseen
and is read again) and doubles nothing (the second read finds its Message-ID and only flags
it). One fetch per mailbox at a time (a PostgreSQL advisory lock).

TLS (IMAPS or STARTTLS) always verifies the server's certificate and host name against the
system's trusted CAs and MAIL_IMAP_CA_FILE: a server that cannot prove who it is gets no
password or token and nothing is read; the mailbox's last error says why."""

from __future__ import annotations

import imaplib
import ipaddress
import logging
import os
import re
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext
from imap_tools import BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import ImapToolsError, UnexpectedCommandStatusError

from supportdesk.mail.models import ImapAuth, ImapSecurity, Mailbox, Outcome
from supportdesk.mail.services.receive import mail_receive

logger = logging.getLogger(__name__)
IMAP_ERRORS = (OSError, imaplib.IMAP4.error, ImapToolsError, EOFError)
LOCK_SPACE = 0x6D61696C  # "mail": advisory lock keys (LOCK_SPACE, mailbox id)
SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
IMAPS_PORT = 993


class MailboxNotConfigured(Exception):
    """The mailbox lacks what a fetch needs (host, user, its secret in the environment)."""


class SignInRefused(Exception):
    """The server refused the password or OAuth2 token (its own words are the message)."""


@dataclass
class FetchResult:
    read: int = 0
    landed: int = 0
    duplicates: int = 0
    refused: int = 0
    error: str = ""
    skipped: bool = False  # another fetch of this mailbox was running


def tls_context() -> ssl.SSLContext:
    """Certificates and host names verified (imaplib's own default verifies neither)."""
    context = ssl.create_default_context()
    if settings.MAIL_IMAP_CA_FILE:
        context.load_verify_locations(cafile=settings.MAIL_IMAP_CA_FILE)
    return context


def _is_loopback(host: str) -> bool:
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def imap_connection_problem(*, host: str, port: int, security: str) -> str:
    """Why a mailbox cannot connect this way ("" when it can): checked by the admin form and
    again before every connection (a row written some other way)."""
    if security == ImapSecurity.STARTTLS and port == IMAPS_PORT:
        return gettext(
            "Port 993 is for IMAPS: choose “%(tls)s”, or the server's STARTTLS port (usually 143)."
        ) % {"tls": ImapSecurity.TLS.label}
    if security == ImapSecurity.NONE and host and not _is_loopback(host):
        return gettext(
            "Without TLS the password or token would cross the network unencrypted: security "
            "“%(none)s” is for a server on this machine (127.0.0.1, localhost) only."
        ) % {"none": ImapSecurity.NONE.label}
    return ""


def _client(mailbox: Mailbox) -> BaseMailBox:
    timeout = settings.MAIL_IMAP_TIMEOUT_SECONDS
    host, port = mailbox.imap_host, mailbox.imap_port
    if problem := imap_connection_problem(host=host, port=port, security=mailbox.imap_security):
        raise MailboxNotConfigured(problem)
    if mailbox.imap_security == ImapSecurity.TLS:
        return MailBox(host, port, timeout=timeout, ssl_context=tls_context())
    if mailbox.imap_security == ImapSecurity.STARTTLS:
        # a server that offers no STARTTLS is refused (imaplib raises) before any sign-in
        return MailBoxStartTls(host, port, timeout=timeout, ssl_context=tls_context())
    return MailBoxUnencrypted(host, port, timeout=timeout)


def _sign_in(mailbox: Mailbox, client: BaseMailBox, secret: str) -> None:
    try:
        if mailbox.imap_auth == ImapAuth.OAUTH2:
            client.xoauth2(mailbox.imap_user, secret, initial_folder=mailbox.imap_folder)
        else:
            client.login(mailbox.imap_user, secret, initial_folder=mailbox.imap_folder)
    except imaplib.IMAP4.abort:
        raise  # the connection broke: not an answer about the credentials
    except UnexpectedCommandStatusError as exc:  # LOGIN answered NO
        reply = b" ".join(part for part in exc.command_result[1] if isinstance(part, bytes))
        raise SignInRefused(reply.decode("utf-8", "replace")) from exc
    except imaplib.IMAP4.error as exc:  # AUTHENTICATE answered NO
        raise SignInRefused(str(exc)) from exc


def _describe(mailbox: Mailbox, exc: Exception) -> str:
    """The mailbox's last error: what went wrong, in words an administrator can act on."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return gettext(
            "The IMAP server's TLS certificate is not trusted (%(reason)s): no password or "
            "token was sent and nothing was read. If a private CA signed the certificate, add "
            "that CA to MAIL_IMAP_CA_FILE."
        ) % {"reason": exc.verify_message or exc.reason}
    if isinstance(exc, SignInRefused):
        return gettext("The IMAP server refused the sign-in (%(method)s): %(reply)s") % {
            "method": mailbox.get_imap_auth_display(),
            "reply": str(exc),
        }
    return f"{type(exc).__name__}: {exc}"


def _secret(mailbox: Mailbox) -> str:
    """Read at every fetch: the variable named by `secret_env`, else the file its `_FILE`
    twin names (a mounted secret that a token refresher rewrites: a running worker's own
    environment cannot be changed from outside, and OAuth2 access tokens live about an hour)."""
    secret = ""
    if mailbox.secret_env:
        secret = os.environ.get(mailbox.secret_env, "")
        path = os.environ.get(f"{mailbox.secret_env}_FILE", "")
        if not secret and path:
            secret = Path(path).read_text(encoding="utf-8").strip()
    if not (mailbox.imap_host and mailbox.imap_user and secret):
        name = mailbox.secret_env or "-"
        raise MailboxNotConfigured(
            f"IMAP host, user and the variable named by secret_env ({name}, or {name}_FILE "
            "naming a file) must be set"
        )
    return secret


@contextmanager
def _session(mailbox: Mailbox) -> Iterator[BaseMailBox]:
    """A signed-in connection, its socket closed whatever happens (a cut connection too)."""
    secret = _secret(mailbox)
    client = _client(mailbox)
    try:
        _sign_in(mailbox, client, secret)
        yield client
        client.client.logout()
    finally:
        try:
            client.client.shutdown()
        except (*IMAP_ERRORS, ValueError):
            pass


@contextmanager
def _exclusive(mailbox_id: int) -> Iterator[bool]:
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_SPACE, mailbox_id])
        locked = bool(cursor.fetchone()[0])
    try:
        yield locked
    finally:
        if locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_SPACE, mailbox_id])


def _raw(client: BaseMailBox, uid: str) -> bytes | None:
    """The message's bytes (BODY.PEEK: reading does not flag it seen); None when gone."""
    status, data = client.client.uid("fetch", uid, "(BODY.PEEK[])")
    if status != "OK":
        raise imaplib.IMAP4.error(f"FETCH {status}")
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return bytes(item[1])
    return None


def _too_large(client: BaseMailBox, uid: str) -> bool:
    _status, data = client.client.uid("fetch", uid, "(RFC822.SIZE)")
    found = SIZE.search(b" ".join(item for item in data if isinstance(item, bytes)))
    return found is not None and int(found.group(1)) > settings.MAIL_MAX_MESSAGE_BYTES


def _read(mailbox: Mailbox, client: BaseMailBox, result: FetchResult) -> None:
    uids = client.uids("UNSEEN")[: settings.MAIL_FETCH_BATCH]
    for uid in uids:
        if _too_large(client, uid):
            logger.warning(
                "mail: a message in mailbox %s is over MAIL_MAX_MESSAGE_BYTES", mailbox.pk
            )
            result.refused += 1
            client.flag(uid, ["\\Seen", "\\Flagged"], True)  # left on the server, marked
            continue
        raw = _raw(client, uid)
        if raw is None:
            continue
        result.read += 1
        try:
            received = mail_receive(mailbox=mailbox, raw=raw)  # committed before the flag
        except DatabaseError:
            raise  # the database is away: the task retries, the message stays unseen
        except Exception as exc:  # noqa: BLE001 - one bad message must not block the mailbox
            logger.error(
                "mail: a message in mailbox %s failed (%s)", mailbox.pk, type(exc).__name__
            )
            result.refused += 1
            client.flag(uid, "\\Flagged", True)  # stays unseen: read again, visible on the server
            continue
        if received.duplicate:
            result.duplicates += 1
        elif received.outcome == Outcome.REFUSED:  # no sender, unparseable: not read again
            result.refused += 1
            client.flag(uid, ["\\Seen", "\\Flagged"], True)
            continue
        else:
            result.landed += 1
        client.flag(uid, "\\Seen", True)


def mailbox_fetch(*, mailbox: Mailbox) -> FetchResult:
    """Read a mailbox's unseen messages (at most MAIL_FETCH_BATCH). The outcome is kept on
    the mailbox (last fetch, last error) for the admin."""
    result = FetchResult()
    with _exclusive(mailbox.pk) as locked:
        if not locked:
            result.skipped = True
            return result
        try:
            with _session(mailbox) as client:
                _read(mailbox, client, result)
        except (*IMAP_ERRORS, MailboxNotConfigured, SignInRefused) as exc:
            result.error = _describe(mailbox, exc)[:500]
            logger.warning("mail: fetching mailbox %s failed (%s)", mailbox.pk, type(exc).__name__)
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_fetch_at=timezone.now(), last_error=result.error
    )
    return result


def mailboxes_to_fetch() -> list[int]:
    return list(
        Mailbox.objects.filter(enabled=True, transport="imap")
        .order_by("id")
        .values_list("id", flat=True)
    )
