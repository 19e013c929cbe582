from collections.abc import Callable, Iterator

import pytest

from supportdesk.clients.services import api_key_create
from supportdesk.mail.models import ImapAuth, ImapSecurity, Mailbox, Transport
from tests.mail.imap import Dovecot, ImapServer, start_dovecot
from tests.mail.messages import HUB
from tests.notifications.conftest import smtp_server  # noqa: F401 - a real SMTP server

SECRET_ENV = "SD_TEST_IMAP_SECRET"
MakeImapMailbox = Callable[..., Mailbox]


@pytest.fixture
def mailbox(db: None) -> Mailbox:
    app, _key = api_key_create(name="mail-hub")
    return Mailbox.objects.create(
        address=HUB, client_app=app, default_language="en", transport=Transport.WEBHOOK
    )


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """One dovecot for the whole test session (each test signs in to an account of its own)."""
    server = start_dovecot()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def imap_server(dovecot: Dovecot) -> ImapServer:
    return dovecot.account()


@pytest.fixture
def make_imap_mailbox(
    db: None, imap_server: ImapServer, monkeypatch: pytest.MonkeyPatch
) -> MakeImapMailbox:
    """An IMAP mailbox on this test's account: `security` picks the port (IMAPS or the plain
    one), `auth` the sign-in; its secret (password or OAuth2 token) is in SD_TEST_IMAP_SECRET."""

    def make(
        *, security: str = ImapSecurity.NONE, auth: str = ImapAuth.PASSWORD, secret: str = ""
    ) -> Mailbox:
        if not secret:
            secret = imap_server.token() if auth == ImapAuth.OAUTH2 else imap_server.password
        monkeypatch.setenv(SECRET_ENV, secret)
        app, _key = api_key_create(name="imap-hub")
        return Mailbox.objects.create(
            address=HUB,
            client_app=app,
            default_language="en",
            transport=Transport.IMAP,
            imap_host="127.0.0.1",
            imap_port=imap_server.tls_port if security == ImapSecurity.TLS else imap_server.port,
            imap_security=security,
            imap_user=imap_server.user,
            imap_auth=auth,
            secret_env=SECRET_ENV,
        )

    return make


@pytest.fixture
def imap_mailbox(make_imap_mailbox: MakeImapMailbox) -> Mailbox:
    """A plain-IMAP mailbox signing in by password (loopback only, as tests may)."""
    return make_imap_mailbox()
