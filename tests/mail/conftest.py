import pytest

from supportdesk.clients.services import api_key_create
from supportdesk.mail.models import Mailbox, Transport
from tests.mail.messages import HUB


@pytest.fixture
def mailbox(db: None) -> Mailbox:
    app, _key = api_key_create(name="mail-hub")
    return Mailbox.objects.create(
        address=HUB, client_app=app, default_language="en", transport=Transport.WEBHOOK
    )
