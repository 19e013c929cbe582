"""No personal data in logs: a whole flow with a recognisable customer, every log record of it
captured (DEBUG and up, every logger), and none may carry their address, name or words."""

from __future__ import annotations

import logging

import pytest

from supportdesk.notifications.models import DeliveryStatus, WebhookDelivery
from tests.conftest import ClientPrincipal
from tests.privacy.conftest import EMAIL, NAME, PHRASE, Story

NEEDLES = (EMAIL, NAME, "Vermeulen", PHRASE, "zebra quasar", "parcel is lost")


def _texts(record: logging.LogRecord) -> list[str]:
    texts = [record.getMessage(), repr(record.args), str(record.msg)]
    if record.exc_info:
        texts.append(logging.Formatter().formatException(record.exc_info))
    texts.extend(str(value) for value in vars(record).values())
    return texts


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_whole_flow_logs_nothing_personal(
    caplog: pytest.LogCaptureFixture, client_a: ClientPrincipal, story: Story
) -> None:
    # given the story ran with every log record captured (intake, routing, reply and its
    # e-mail, webhooks to a real receiver; the fixture runs inside this capture)
    # when the customer is erased
    with caplog.at_level(logging.DEBUG):
        erased = client_a.client.post("/api/v1/customers/erase/", {"email": EMAIL}, "json")
    assert erased.status_code == 200
    # then the flow did run and log
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).exists()
    records = caplog.get_records("setup") + caplog.get_records("call")
    assert any("reply e-mail" in r.getMessage() for r in records)
    # and no record names the person or repeats their words
    leaks = [
        (record.name, needle)
        for record in records
        for text in _texts(record)
        for needle in NEEDLES
        if needle.lower() in text.lower()
    ]
    assert not leaks
