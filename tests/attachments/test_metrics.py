"""/metrics counts the attachments and their bytes."""

import io

import pytest
from django.test import Client, override_settings

from supportdesk.attachments.services import attachment_add
from tests.attachments import files
from tests.factories import MessageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("attachment_media")]


@override_settings(DEBUG=True)  # without METRICS_TOKEN, loopback may scrape in development only
def test_metrics_count_stored_attachments_and_bytes() -> None:
    message = MessageFactory()
    for content in (files.pdf(), files.TEXT):
        attachment_add(message=message, name="a.txt", content=io.BytesIO(content))

    body = Client(REMOTE_ADDR="127.0.0.1").get("/metrics").content.decode()

    assert "supportdesk_attachments_stored 2.0" in body
    assert (
        f"supportdesk_attachments_stored_bytes {float(len(files.pdf()) + len(files.TEXT))}" in body
    )
