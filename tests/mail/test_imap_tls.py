"""The IMAP connection modes a mailbox offers, against the real server (dovecot on loopback
with a certificate from a throw-away CA): IMAPS and STARTTLS fetch mail once the CA is trusted
and refuse a certificate nobody trusts; XOAUTH2 signs in with a bearer token and a wrong token
is refused. A refusal is the mailbox's last error (shown in the admin), never a crash, and
nothing is read."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from supportdesk.mail.models import ImapAuth, ImapSecurity, InboundMessage, Mailbox
from supportdesk.mail.services import mailbox_fetch
from supportdesk.tickets.models import Ticket
from tests.mail.bearer import bearer_token
from tests.mail.conftest import SECRET_ENV, MakeImapMailbox
from tests.mail.imap import ImapServer
from tests.mail.messages import mail
from tests.mail.tls import make_server_tls

pytestmark = pytest.mark.django_db

TLS_MODES = [
    pytest.param(ImapSecurity.TLS, id="imaps"),
    pytest.param(ImapSecurity.STARTTLS, id="starttls"),
]
NOT_TRUSTED = "The IMAP server's TLS certificate is not trusted"


@pytest.fixture
def trusted_ca(imap_server: ImapServer, settings: Any) -> Path:
    settings.MAIL_IMAP_CA_FILE = str(imap_server.ca_file)
    return imap_server.ca_file


@pytest.mark.parametrize("security", TLS_MODES)
def test_new_mail_over_tls_becomes_a_ticket(
    imap_server: ImapServer, make_imap_mailbox: MakeImapMailbox, trusted_ca: Path, security: str
) -> None:
    mailbox = make_imap_mailbox(security=security)
    imap_server.append(mail(subject=f"over {security}"))
    result = mailbox_fetch(mailbox=mailbox)
    assert (result.read, result.landed, result.error) == (1, 1, "")
    ticket = Ticket.objects.get()
    assert (ticket.subject, ticket.channel) == (f"over {security}", "email")
    assert imap_server.unseen() == 0
    mailbox.refresh_from_db()
    assert mailbox.last_error == ""


def _admin_list(mailbox_address: str) -> str:
    user = get_user_model().objects.create_superuser("root", "root@hub.example", "x" * 16)
    client = Client()
    client.force_login(user)
    page = client.get(reverse("admin:mail_mailbox_changelist"))
    assert page.status_code == 200
    content = page.content.decode()
    assert mailbox_address in content
    return content


@pytest.mark.parametrize("security", TLS_MODES)
@pytest.mark.parametrize("trusting", ["system-cas-only", "another-ca"])
def test_a_certificate_nobody_trusts_is_refused_and_nothing_is_read(
    imap_server: ImapServer,
    make_imap_mailbox: MakeImapMailbox,
    settings: Any,
    tmp_path: Path,
    security: str,
    trusting: str,
) -> None:
    """A man in the middle: the server's CA is in no trust store the hub uses (the default),
    or the hub trusts some other private CA."""
    if trusting == "another-ca":
        settings.MAIL_IMAP_CA_FILE = str(make_server_tls(tmp_path, name="other").ca_file)
    mailbox = make_imap_mailbox(security=security)
    imap_server.append(mail())
    result = mailbox_fetch(mailbox=mailbox)
    assert result.error.startswith(NOT_TRUSTED)
    assert "MAIL_IMAP_CA_FILE" in result.error
    assert (result.read, result.landed) == (0, 0)
    assert not Ticket.objects.exists()
    assert not InboundMessage.objects.exists()
    assert imap_server.unseen() == 1
    mailbox.refresh_from_db()
    assert mailbox.last_error == result.error
    assert NOT_TRUSTED in _admin_list(mailbox.address).replace("&#x27;", "'")


def test_a_ca_file_that_cannot_be_read_is_the_mailboxs_error(
    imap_server: ImapServer, make_imap_mailbox: MakeImapMailbox, settings: Any, tmp_path: Path
) -> None:
    settings.MAIL_IMAP_CA_FILE = str(tmp_path / "missing.pem")
    mailbox = make_imap_mailbox(security=ImapSecurity.TLS)
    imap_server.append(mail())
    result = mailbox_fetch(mailbox=mailbox)
    assert result.error.startswith("FileNotFoundError")
    assert not Ticket.objects.exists()
    assert imap_server.unseen() == 1


@pytest.mark.parametrize("security", TLS_MODES)
def test_oauth2_sign_in_with_the_right_token_fetches_mail(
    imap_server: ImapServer, make_imap_mailbox: MakeImapMailbox, trusted_ca: Path, security: str
) -> None:
    mailbox = make_imap_mailbox(security=security, auth=ImapAuth.OAUTH2)
    imap_server.append(mail(subject="signed in by token"))
    result = mailbox_fetch(mailbox=mailbox)
    assert (result.read, result.landed, result.error) == (1, 1, "")
    assert Ticket.objects.get().subject == "signed in by token"
    assert imap_server.unseen() == 0


def _forged(server: ImapServer) -> str:
    return bearer_token(key=b"k" * 32, subject=server.user)


def _for_another_user(server: ImapServer) -> str:
    return bearer_token(key=server.oauth2_key, subject="someone-else")


def _the_password(server: ImapServer) -> str:
    return server.password


@pytest.mark.parametrize("token", [_forged, _for_another_user, _the_password])
def test_oauth2_sign_in_with_a_wrong_token_is_refused_and_nothing_is_read(
    imap_server: ImapServer,
    make_imap_mailbox: MakeImapMailbox,
    trusted_ca: Path,
    token: Callable[[ImapServer], str],
) -> None:
    mailbox = make_imap_mailbox(
        security=ImapSecurity.TLS, auth=ImapAuth.OAUTH2, secret=token(imap_server)
    )
    imap_server.append(mail())
    result = mailbox_fetch(mailbox=mailbox)
    assert result.error == (
        "The IMAP server refused the sign-in (OAuth2 token (XOAUTH2)): "
        "[AUTHENTICATIONFAILED] Authentication failed."
    )
    assert (result.read, result.landed) == (0, 0)
    assert not Ticket.objects.exists()
    assert imap_server.unseen() == 1
    mailbox.refresh_from_db()
    assert mailbox.last_error == result.error


def test_a_token_in_a_secret_file_is_read_again_at_every_fetch(
    imap_server: ImapServer,
    make_imap_mailbox: MakeImapMailbox,
    trusted_ca: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """A token refresher rewrites a mounted secret file; the worker never restarts."""
    mailbox = make_imap_mailbox(security=ImapSecurity.TLS, auth=ImapAuth.OAUTH2)
    secret_file = tmp_path / "token"
    secret_file.write_text(imap_server.token() + "\n")
    monkeypatch.delenv(SECRET_ENV)
    monkeypatch.setenv(f"{SECRET_ENV}_FILE", str(secret_file))
    imap_server.append(mail(subject="first"))
    assert mailbox_fetch(mailbox=mailbox).landed == 1
    secret_file.write_text(_forged(imap_server))  # the token was revoked and replaced badly
    imap_server.append(mail(subject="second"))
    refused = mailbox_fetch(mailbox=mailbox)
    assert refused.error.startswith("The IMAP server refused the sign-in")
    secret_file.write_text(imap_server.token())  # refreshed
    assert mailbox_fetch(mailbox=mailbox).landed == 1
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["first", "second"]


def test_a_password_mailbox_with_a_token_is_refused(
    imap_server: ImapServer, make_imap_mailbox: MakeImapMailbox, trusted_ca: Path
) -> None:
    """The token is no password: each sign-in method checks its own secret."""
    mailbox = make_imap_mailbox(security=ImapSecurity.STARTTLS, secret=imap_server.token())
    imap_server.append(mail())
    result = mailbox_fetch(mailbox=mailbox)
    assert result.error.startswith("The IMAP server refused the sign-in (password): ")
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("security", "host", "port", "problem"),
    [
        pytest.param(ImapSecurity.STARTTLS, "127.0.0.1", 993, "Port 993 is", id="starttls-993"),
        pytest.param(ImapSecurity.NONE, "imap.hub.example", 143, "Without TLS", id="none-remote"),
    ],
)  # fmt: skip
def test_a_connection_that_cannot_work_is_the_mailboxs_error_not_a_crash(
    make_imap_mailbox: MakeImapMailbox, security: str, host: str, port: int, problem: str
) -> None:
    """Rows written around the admin form: refused before any connection (the form refuses
    them too, tests/mail/test_admin.py)."""
    mailbox = make_imap_mailbox(security=security)
    Mailbox.objects.filter(pk=mailbox.pk).update(imap_host=host, imap_port=port)
    mailbox.refresh_from_db()
    result = mailbox_fetch(mailbox=mailbox)
    assert result.error.startswith(f"MailboxNotConfigured: {problem}")
    mailbox.refresh_from_db()
    assert mailbox.last_error == result.error


def test_security_none_is_fine_for_a_server_on_this_machine_by_name(
    imap_server: ImapServer, make_imap_mailbox: MakeImapMailbox
) -> None:
    mailbox = make_imap_mailbox(security=ImapSecurity.NONE)
    Mailbox.objects.filter(pk=mailbox.pk).update(imap_host="localhost")
    mailbox.refresh_from_db()
    imap_server.append(mail())
    assert mailbox_fetch(mailbox=mailbox).landed == 1
