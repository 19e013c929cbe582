"""The attachment tasks: thin, idempotent, and the orphan sweep on the beat schedule."""

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest

from config.celery import app as celery_app
from supportdesk.attachments.models import Attachment
from supportdesk.attachments.services import attachment_add
from supportdesk.attachments.storage import attachment_storage
from supportdesk.attachments.tasks import make_thumbnail_task, sweep_orphans_task
from tests.attachments import files
from tests.factories import MessageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("attachment_media")]


def test_the_orphan_sweep_is_on_the_beat_schedule() -> None:
    entry = celery_app.conf.beat_schedule["attachments-sweep-orphans"]
    assert entry["task"] == sweep_orphans_task.name == "attachments.sweep_orphans"
    assert entry["schedule"] == timedelta(hours=1)
    assert celery_app.amqp.router.route({}, entry["task"])["queue"].name == "notifications"


def test_the_sweep_task_removes_an_old_orphan(attachment_media: Path) -> None:
    key = attachment_storage().save("attachments/2026/01/01/0123abcd", io.BytesIO(b"lost"))
    old = (attachment_media / key).stat().st_mtime - 7200
    os.utime(attachment_media / key, (old, old))
    assert sweep_orphans_task.apply().get() == 1
    assert sweep_orphans_task.apply().get() == 0


def test_a_repeated_thumbnail_message_is_a_no_op() -> None:
    attachment = attachment_add(
        message=MessageFactory(), name="a.png", content=io.BytesIO(files.png())
    )
    results = [make_thumbnail_task.apply(args=(str(attachment.pk),)).get() for _ in range(2)]
    assert results == [True, False]
    assert Attachment.objects.get().thumbnail_key.startswith("thumbnails/")
