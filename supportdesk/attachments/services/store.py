"""Storing checked files for a message, and removing what a failed request stored."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import IO

from django.core.files import File
from django.db import DatabaseError, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from supportdesk.attachments.content import THUMBNAIL_TYPES
from supportdesk.attachments.models import Attachment
from supportdesk.attachments.receiving import ReceivedFile
from supportdesk.attachments.services.checks import IncomingFile, ReadyFile, files_check
from supportdesk.attachments.storage import attachment_storage, new_key
from supportdesk.core.publishing import publish_on_commit
from supportdesk.tickets.models import Message

logger = logging.getLogger(__name__)

_stored_in_guard: ContextVar[list[str] | None] = ContextVar("_stored_in_guard", default=None)


@contextmanager
def files_removed_on_error() -> Iterator[None]:
    """Around a transaction that stores files: when an exception leaves the block (and so
    the transaction rolled back), the files stored inside it are deleted at once. Files of a
    transaction rolled back outside such a block are left to the orphan sweep."""
    keys: list[str] = []
    enclosing = _stored_in_guard.get()
    token = _stored_in_guard.set(keys)
    try:
        yield
    except BaseException:
        keys_delete(keys=keys)
        raise
    finally:
        _stored_in_guard.reset(token)
    if enclosing is not None:  # an enclosing block's failure removes these too
        enclosing.extend(keys)


def keys_delete(*, keys: Sequence[str]) -> None:
    storage = attachment_storage()
    for key in keys:
        try:
            storage.delete(key)
        except OSError:  # the sweep will find it again
            logger.warning("could not delete stored file %s", key, exc_info=True)


def _save(*, key: str, content: IO[bytes]) -> str:
    """Stream one file into storage (the file system copies it in 64 KB chunks, S3 sends a
    multipart upload); returns the key it was stored under."""
    stored = attachment_storage().save(key, File(content, name=key))
    guarded = _stored_in_guard.get()
    if guarded is not None:
        guarded.append(stored)
    return stored


def _taken(file: ReceivedFile) -> str:
    """A file stored while it was received: this block's failure now deletes it."""
    key = file.hand_over()
    guarded = _stored_in_guard.get()
    if guarded is not None:
        guarded.append(key)
    return key


def attachments_stage(*, files: Sequence[ReadyFile]) -> list[Attachment]:
    """Store checked files (received files are stored already) and return their rows unsaved,
    without a message: for a writer that inserts the rows in its own statement (a new
    ticket's, `intake_rows`). Call within `files_removed_on_error()`, whose block must also
    write the rows (or delete the files)."""
    now = timezone.now()
    rows = []
    for file in files:
        if isinstance(file, ReceivedFile):
            attachment_id, key = file.attachment_id, _taken(file)
        else:
            attachment_id = uuid.uuid4()
            key = _save(key=new_key(attachment_id=attachment_id, now=now), content=file.content)
        rows.append(
            Attachment(
                id=attachment_id,
                name=file.name,
                content_type=file.content_type,
                size=file.size,
                sha256=file.sha256,
                storage_key=key,
            )
        )
    return rows


@contextmanager
def attachments_staged(*, files: Sequence[ReadyFile]) -> Iterator[list[Attachment]]:
    """Store checked files and hand the block their rows, unsaved and without a message, for
    a writer that inserts them in its own statement (a new ticket's rows: `intake_rows`).
    When the block ends or raises, the files of rows it did not write are deleted (a replay,
    a refusal, a failed statement); a row written and then rolled back is asked for in the
    database, and when that cannot answer its file is left to the orphan sweep."""
    with copies_closed(files):
        with files_removed_on_error():  # a failure while storing the second file
            rows = attachments_stage(files=files)
        try:
            yield rows
        except BaseException:
            _unwritten_deleted(rows, written_may_be_gone=True)
            raise
        _unwritten_deleted(rows, written_may_be_gone=False)


def _unwritten_deleted(rows: Sequence[Attachment], *, written_may_be_gone: bool) -> None:
    """Delete the files of `rows` no row in the database refers to (a saved instance is no
    longer `adding`; after an error its transaction may still have rolled back)."""
    gone = [row for row in rows if row._state.adding]
    written = [row.pk for row in rows if not row._state.adding]
    if written_may_be_gone and written:
        try:
            found = set(Attachment.objects.filter(pk__in=written).values_list("pk", flat=True))
        except DatabaseError:  # unknown: the sweep deletes them once no row refers to them
            found = set(written)
        gone += [row for row in rows if not row._state.adding and row.pk not in found]
    keys_delete(keys=[row.storage_key for row in gone])


def attachments_store(*, message: Message, files: Sequence[ReadyFile]) -> list[Attachment]:
    """Store checked files and write their rows. Call inside the transaction that writes (or
    locks) the message, within `files_removed_on_error()`."""
    with files_removed_on_error(), copies_closed(files):
        rows = attachments_stage(files=files)
        for row in rows:
            row.message = message
        with transaction.atomic(savepoint=False):  # a failure rolls back the caller's block
            Attachment.objects.bulk_create(rows)
            thumbnails_on_commit(rows)
    return rows


@contextmanager
def copies_closed(files: Sequence[ReadyFile]) -> Iterator[None]:
    """Closes the copies `files_check` made of streams that could not seek, whatever happens
    in the block (a replay or a refusal stores nothing, and must not leak them)."""
    try:
        yield
    finally:
        for file in files:
            file.close_copy()


def thumbnails_on_commit(rows: Sequence[Attachment]) -> None:
    """Ask for the thumbnails of the images among `rows` once their transaction commits."""
    for row in rows:
        if row.content_type in THUMBNAIL_TYPES:  # the task module imports these services
            publish_on_commit("attachments.make_thumbnail", str(row.id))


def _already(message: Message) -> tuple[int, int]:
    totals = Attachment.objects.filter(message=message).aggregate(n=Count("id"), size=Sum("size"))
    return totals["n"] or 0, totals["size"] or 0


def attachment_add(
    *, message: Message, name: str, content: IO[bytes], declared_type: str | None = None
) -> Attachment:
    """Check and store one file of `message` (usable outside HTTP, e.g. by e-mail intake).
    Raises InvalidInput (400), TooLarge (413) or UnsupportedType (415) before anything is
    stored; the message's count and size limits include the files it already has."""
    incoming = IncomingFile(name=name, content=content, declared_type=declared_type)
    (checked,) = files_check(files=[incoming], already=_already(message))
    (attachment,) = attachments_store(message=message, files=[checked])
    return attachment
