"""Thin Celery tasks of inbound e-mail (queue `notifications` through task_routes): the beat
entry fans out one fetch per enabled IMAP mailbox. A duplicate or late fetch is harmless:
the advisory lock skips it, and Message-IDs are unique per mailbox."""

from __future__ import annotations

from django.db import OperationalError

from supportdesk.core.publishing import publish_on_commit
from supportdesk.core.tasks import durable_task
from supportdesk.mail import services
from supportdesk.mail.models import Mailbox


@durable_task("mail.fetch_all", retry_for=(OperationalError,), limits=(20, 30))
def fetch_all_task() -> int:
    ids = services.mailboxes_to_fetch()
    for mailbox_id in ids:
        publish_on_commit("mail.fetch_mailbox", mailbox_id)
    return len(ids)


@durable_task("mail.fetch_mailbox", retry_for=(OperationalError,), limits=(240, 300))
def fetch_mailbox_task(mailbox_id: int) -> int:
    mailbox = Mailbox.objects.select_related("client_app").filter(id=mailbox_id).first()
    if mailbox is None or not mailbox.enabled:
        return 0
    return services.mailbox_fetch(mailbox=mailbox).landed
