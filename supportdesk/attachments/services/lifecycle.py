"""Thumbnails, deletion with a ticket, and the sweep of files no row refers to."""

from __future__ import annotations

import io
import logging
from collections.abc import Collection
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageOps

from supportdesk.attachments.content import THUMBNAIL_TYPES
from supportdesk.attachments.models import Attachment
from supportdesk.attachments.services.store import keys_delete
from supportdesk.attachments.storage import FILES, THUMBNAILS, attachment_storage, new_key
from supportdesk.tickets.models import Ticket

logger = logging.getLogger(__name__)

THUMBNAIL_PIXELS = (320, 320)
MAX_SOURCE_PIXELS = 40_000_000  # larger images get no thumbnail (decompression bombs)
SWEEP_BATCH = 500
MISSING_THUMBNAIL_AFTER = timedelta(minutes=5)


def thumbnail_make(*, attachment_id: str) -> bool:
    """A PNG of at most 320 x 320 px, made from the stored image by Pillow (the workspace
    previews this, never the original). Idempotent: False when there is nothing to do or the
    image cannot be read."""
    attachment = Attachment.objects.filter(pk=attachment_id, thumbnail_key="").first()
    if attachment is None or not attachment.is_image:
        return False
    storage = attachment_storage()
    try:
        with storage.open(attachment.storage_key, "rb") as source, Image.open(source) as image:
            width, height = image.size
            if width * height > MAX_SOURCE_PIXELS:
                return False
            preview = ImageOps.exif_transpose(image)
            preview.thumbnail(THUMBNAIL_PIXELS)
            if preview.mode not in {"RGB", "RGBA", "L", "LA"}:
                preview = preview.convert("RGBA")
            out = io.BytesIO()
            preview.save(out, format="PNG", optimize=True)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        logger.info("no thumbnail for attachment %s", attachment_id, exc_info=True)
        return False
    key = new_key(attachment_id=attachment.id, now=attachment.created_at, folder=THUMBNAILS)
    stored = storage.save(f"{key}.png", ContentFile(out.getvalue()))
    updated = Attachment.objects.filter(pk=attachment.pk, thumbnail_key="").update(
        thumbnail_key=stored
    )
    if not updated:  # a concurrent run won, or the attachment is gone
        keys_delete(keys=[stored])
    return bool(updated)


def thumbnails_missing(*, now: datetime | None = None, limit: int = 100) -> list[str]:
    """Images still without a thumbnail a while after upload (their task was never published:
    the broker was down), for a day; an image Pillow cannot read is given up after that."""
    now = now or timezone.now()
    return [
        str(pk)
        for pk in Attachment.objects.filter(
            thumbnail_key="",
            content_type__in=THUMBNAIL_TYPES,
            created_at__lt=now - MISSING_THUMBNAIL_AFTER,
            created_at__gte=now - timedelta(days=1),
        ).values_list("pk", flat=True)[:limit]
    ]


def attachments_delete_for_tickets(*, ticket_ids: Collection[int]) -> int:
    """Delete the attachment rows of these tickets now and their files and thumbnails after
    commit (a rollback keeps both): a customer's erasure and retention's anonymisation go
    through here (`supportdesk/privacy/holdings/attachments.py`). Returns how many
    attachments were deleted."""
    rows = Attachment.objects.filter(message__ticket_id__in=ticket_ids)
    keys = [key for pair in rows.values_list("storage_key", "thumbnail_key") for key in pair if key]
    with transaction.atomic():
        deleted, _ = rows.delete()
        transaction.on_commit(partial(keys_delete, keys=keys))
    return deleted


def attachments_delete_for_ticket(*, ticket: Ticket) -> int:
    """`attachments_delete_for_tickets` for one ticket."""
    return attachments_delete_for_tickets(ticket_ids=[ticket.pk])


def _walk(folder: str) -> list[str]:
    """Every key under `folder`, through the storage API only (`listdir`: directories on the
    file system, common prefixes on S3, where a "directory" never `exists()`)."""
    storage, keys, pending = attachment_storage(), [], [folder]
    while pending:
        current = pending.pop()
        try:
            directories, files = storage.listdir(current)
        except FileNotFoundError:  # the file system before the first upload
            continue
        keys += [f"{current}/{name}" for name in files]
        pending += [f"{current}/{name}" for name in directories]
    return keys


def _known(keys: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(keys), SWEEP_BATCH):
        batch = keys[start : start + SWEEP_BATCH]
        for column in ("storage_key", "thumbnail_key"):
            rows = Attachment.objects.filter(**{f"{column}__in": batch})
            known.update(rows.values_list(column, flat=True))
    return known


def attachments_sweep_orphans(*, now: datetime | None = None) -> int:
    """Delete stored files that no attachment refers to and that are older than
    ATTACHMENT_ORPHAN_GRACE_SECONDS: uploads whose transaction never committed (a killed
    worker), and files of rows deleted by a cascade. Returns how many were deleted. Also makes
    the thumbnails no message asked for (`thumbnails_missing`)."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.ATTACHMENT_ORPHAN_GRACE_SECONDS)
    storage = attachment_storage()
    keys = [*_walk(FILES), *_walk(THUMBNAILS)]
    known = _known(keys)
    orphans = [key for key in keys if key not in known and storage.get_modified_time(key) < cutoff]
    keys_delete(keys=orphans)
    for attachment_id in thumbnails_missing(now=now):
        thumbnail_make(attachment_id=attachment_id)
    return len(orphans)
