"""Where attachment bytes live: the `attachments` storage alias (STORAGES in settings), the
file system under MEDIA_ROOT by default, S3 through django-storages when configured."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.core.files.storage import Storage, storages

ALIAS = "attachments"
FILES, THUMBNAILS = "attachments", "thumbnails"


def attachment_storage() -> Storage:
    return storages[ALIAS]


def new_key(*, attachment_id: uuid.UUID, now: datetime, folder: str = FILES) -> str:
    """`attachments/2026/03/02/<id>`: no part of the client's file name reaches the key."""
    return f"{folder}/{now:%Y/%m/%d}/{attachment_id.hex}"
