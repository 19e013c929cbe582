"""Operations: /metrics counts inbound e-mail by outcome; the beat task fans out one fetch per
enabled IMAP mailbox and each fetch reads its mailbox."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings

from supportdesk.mail.models import Mailbox
from supportdesk.mail.services import mail_receive
from supportdesk.mail.tasks import fetch_all_task
from supportdesk.tickets.models import Ticket
from tests.mail.imap import ImapServer
from tests.mail.messages import mail

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True, METRICS_TOKEN="")
def test_metrics_count_messages_by_outcome(mailbox: Mailbox) -> None:
    mail_receive(mailbox=mailbox, raw=mail())
    mail_receive(mailbox=mailbox, raw=mail(headers={"Auto-Submitted": "auto-replied"}))
    body = Client(REMOTE_ADDR="127.0.0.1").get("/metrics").content.decode()
    assert 'supportdesk_mail_received_total{outcome="created",reason=""} 1.0' in body
    skipped = 'outcome="skipped",reason="auto-submitted:auto-replied"'
    assert f"supportdesk_mail_received_total{{{skipped}}} 1.0" in body
    assert "supportdesk_mail_mailboxes_failing 0.0" in body


def test_beat_task_fetches_every_enabled_imap_mailbox(
    imap_server: ImapServer,
    imap_mailbox: Mailbox,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    Mailbox.objects.create(
        address="hooks@hub.example", client_app=imap_mailbox.client_app, transport="webhook"
    )
    imap_server.append(mail(subject="from the beat"))
    with django_capture_on_commit_callbacks(execute=True):
        queued = fetch_all_task.apply().get()
    assert queued == 1  # the IMAP mailbox; the webhook mailbox is not fetched
    assert Ticket.objects.get().subject == "from the beat"
    assert imap_server.unseen() == 0
