"""Providers' inbound webhooks (django-anymail): signed payloads land, unsigned ones are
refused, and the endpoint does not exist until its secret is configured."""

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator

import pytest
from django.test import Client, override_settings

from supportdesk.mail.models import InboundMessage, Mailbox
from supportdesk.tickets.models import Ticket
from tests.mail.messages import HUB, mail

pytestmark = pytest.mark.django_db

SECRET = "hooks:s3cret-basic-auth"
SIGNING_KEY = "key-mailgun-signing"
CONFIGURED = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}


@pytest.fixture
def configured() -> Iterator[None]:
    with override_settings(ANYMAIL=CONFIGURED):
        yield


def _basic(secret: str = SECRET) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def _mailgun(raw: bytes, *, key: str = SIGNING_KEY) -> dict[str, str]:
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
    return {
        "body-mime": raw.decode(),
        "recipient": HUB,
        "sender": "jan@example.nl",
        "timestamp": timestamp,
        "token": token,
        "signature": signature.hexdigest(),
    }


def test_signed_mailgun_message_makes_a_ticket(configured: None, mailbox: Mailbox) -> None:
    answer = Client().post(
        "/mail/inbound/mailgun/", _mailgun(mail(subject="Via Mailgun")), **_basic()
    )
    assert answer.status_code == 200
    ticket = Ticket.objects.get()
    assert (ticket.subject, ticket.channel) == ("Via Mailgun", "email")
    assert InboundMessage.objects.get().mailbox == mailbox


SIGNATURE_FAILED = (
    "The provider's signature check failed: the request is not signed with the key in "
    "MAILGUN_WEBHOOK_SIGNING_KEY."
)
BASIC_AUTH_FAILED = (
    "HTTP basic authentication failed: the user and password in the webhook's URL do not "
    "match ANYMAIL_WEBHOOK_SECRET."
)


def test_bad_signature_or_missing_basic_auth_is_refused_saying_which(
    configured: None, mailbox: Mailbox
) -> None:
    forged = _mailgun(mail(), key="not-the-key")
    answer = Client().post("/mail/inbound/mailgun/", forged, **_basic())
    assert (answer.status_code, answer.json()["detail"]) == (400, SIGNATURE_FAILED)
    unsigned = {key: value for key, value in _mailgun(mail()).items() if key != "signature"}
    answer = Client().post("/mail/inbound/mailgun/", unsigned, **_basic())
    assert (answer.status_code, answer.json()["detail"]) == (400, SIGNATURE_FAILED)
    no_auth = Client().post("/mail/inbound/mailgun/", _mailgun(mail()))
    assert (no_auth.status_code, no_auth.json()["detail"]) == (400, BASIC_AUTH_FAILED)
    wrong_auth = Client().post("/mail/inbound/mailgun/", _mailgun(mail()), **_basic("hooks:no"))
    assert (wrong_auth.status_code, wrong_auth.json()["detail"]) == (400, BASIC_AUTH_FAILED)
    unsigned_postmark = Client().post(
        "/mail/inbound/postmark/", "{}", content_type="application/json", **_basic("hooks:no")
    )
    assert unsigned_postmark.json()["detail"] == BASIC_AUTH_FAILED
    assert Ticket.objects.count() == 0


def test_postmark_raw_email_with_basic_auth(configured: None, mailbox: Mailbox) -> None:
    payload = {"RawEmail": mail(subject="Via Postmark").decode(), "OriginalRecipient": HUB}
    answer = Client().post(
        "/mail/inbound/postmark/", json.dumps(payload), content_type="application/json", **_basic()
    )
    assert answer.status_code == 200
    assert Ticket.objects.get().subject == "Via Postmark"
    unsigned = Client().post(
        "/mail/inbound/postmark/", json.dumps(payload), content_type="application/json"
    )
    assert unsigned.status_code == 400
    assert Ticket.objects.count() == 1


def test_garbage_payload_is_a_400_not_a_500(configured: None, mailbox: Mailbox) -> None:
    answer = Client().post(
        "/mail/inbound/postmark/", "[1, 2]", content_type="application/json", **_basic()
    )
    assert answer.status_code == 400


def test_an_authenticated_payload_without_any_e_mail_is_a_400(
    configured: None, mailbox: Mailbox
) -> None:
    # a payload with neither sender nor recipient is not a received e-mail (a delivery-events
    # webhook pointed at the inbound URL): the caller learns it, instead of a silent 200
    answer = Client().post(
        "/mail/inbound/postmark/", '{"foo": 1}', content_type="application/json", **_basic()
    )
    assert answer.status_code == 400
    assert answer.json()["detail"] == (
        "This payload holds no e-mail: it names neither a sender nor a recipient."
    )
    assert InboundMessage.objects.count() == 0


def test_mail_for_no_mailbox_is_dropped(configured: None, mailbox: Mailbox) -> None:
    raw = mail(to="someone-else@elsewhere.example")
    data = {**_mailgun(raw), "recipient": "someone-else@elsewhere.example"}
    assert Client().post("/mail/inbound/mailgun/", data, **_basic()).status_code == 200
    assert Ticket.objects.count() == 0


def test_endpoints_do_not_exist_without_their_secrets(mailbox: Mailbox) -> None:
    with override_settings(ANYMAIL={}):
        assert Client().post("/mail/inbound/postmark/", {}).status_code == 404
    with override_settings(ANYMAIL={"WEBHOOK_SECRET": SECRET}):
        assert Client().post("/mail/inbound/mailgun/", {}, **_basic()).status_code == 404
        assert Client().post("/mail/inbound/unknown/", {}, **_basic()).status_code == 404
