from collections.abc import Iterator

import pytest

from supportdesk.clients.services import api_key_create
from supportdesk.mail.models import ImapSecurity, Mailbox, Transport
from tests.mail.imap import ImapServer, start_dovecot
from tests.mail.messages import HUB
from tests.notifications.conftest import smtp_server  # noqa: F401 - a real SMTP server


@pytest.fixture
def mailbox(db: None) -> Mailbox:
    app, _key = api_key_create(name="mail-hub")
    return Mailbox.objects.create(
        address=HUB, client_app=app, default_language="en", transport=Transport.WEBHOOK
    )


@pytest.fixture
def imap_server() -> Iterator[ImapServer]:
    server = start_dovecot()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def imap_mailbox(db: None, imap_server: ImapServer, monkeypatch: pytest.MonkeyPatch) -> Mailbox:
    monkeypatch.setenv("SD_TEST_IMAP_SECRET", imap_server.password)
    app, _key = api_key_create(name="imap-hub")
    return Mailbox.objects.create(
        address=HUB,
        client_app=app,
        default_language="en",
        transport=Transport.IMAP,
        imap_host="127.0.0.1",
        imap_port=imap_server.port,
        imap_security=ImapSecurity.NONE,
        imap_user=imap_server.user,
        secret_env="SD_TEST_IMAP_SECRET",
    )
