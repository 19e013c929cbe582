"""Attachment services on PostgreSQL with the file-system storage."""

from __future__ import annotations

import io
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from PIL import Image

from supportdesk.attachments.models import Attachment
from supportdesk.attachments.selectors import (
    attachment_open,
    attachments_of_message,
    stored_bytes,
)
from supportdesk.attachments.services import (
    IncomingFile,
    attachment_add,
    attachments_delete_for_ticket,
    attachments_sweep_orphans,
    files_removed_on_error,
    thumbnail_make,
)
from supportdesk.attachments.storage import attachment_storage
from supportdesk.core.exceptions import InvalidInput, TooLarge, UnsupportedType
from supportdesk.tickets.commands import NewCustomer, NewTicket
from supportdesk.tickets.models import Message, Ticket
from supportdesk.tickets.services import ticket_create_with_files
from tests.attachments import files
from tests.factories import ClientAppFactory, MessageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("attachment_media")]


class OneWayStream(io.RawIOBase):
    """A readable stream that cannot seek (a socket, a decoded e-mail part)."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_attachment_add_stores_the_bytes_and_records_what_they_are(
    attachment_media: Path,
) -> None:
    # given
    message = MessageFactory()
    content = files.pdf()
    # when
    attachment = attachment_add(
        message=message, name="C:\\scans\\factuur.pdf", content=io.BytesIO(content)
    )
    # then
    assert attachment.name == "factuur.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(content)
    assert len(attachment.sha256) == 64
    assert "factuur" not in attachment.storage_key
    assert (attachment_media / attachment.storage_key).read_bytes() == content
    assert attachments_of_message(message=message) == [attachment]
    with attachment_open(attachment=attachment) as stored_file:
        assert stored_file.read() == content
    assert stored_bytes() == (1, len(content))


def test_a_stream_that_cannot_seek_is_spooled_not_refused(attachment_media: Path) -> None:
    message = MessageFactory()
    attachment = attachment_add(
        message=message, name="notes.txt", content=io.BufferedReader(OneWayStream(files.TEXT))
    )
    assert attachment.content_type == "text/plain"
    assert (attachment_media / attachment.storage_key).read_bytes() == files.TEXT


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        pytest.param("leeg.pdf", b"", InvalidInput, id="empty"),
        pytest.param("../../etc/passwd", files.TEXT, InvalidInput, id="parent-path"),
        pytest.param("bad\x00.txt", files.TEXT, InvalidInput, id="nul-in-name"),
        pytest.param("page.html", files.HTML, UnsupportedType, id="html"),
        pytest.param("logo.png", files.SVG, UnsupportedType, id="svg-named-png"),
        pytest.param("setup.pdf", files.EXE, UnsupportedType, id="exe-named-pdf"),
    ],
)
def test_a_refused_file_leaves_nothing_behind(
    attachment_media: Path, name: str, content: bytes, error: type[Exception]
) -> None:
    message = MessageFactory()
    with pytest.raises(error):
        attachment_add(message=message, name=name, content=io.BytesIO(content))
    assert not Attachment.objects.exists()
    assert files.stored(attachment_media) == []


def test_the_limits_count_the_files_a_message_already_has(settings: Any) -> None:
    # given a message with one file, and limits of two files and 2 KB
    settings.ATTACHMENT_MAX_FILES = 2
    settings.ATTACHMENT_MAX_MESSAGE_BYTES = 2048
    settings.ATTACHMENT_MAX_FILE_BYTES = 1500
    message = MessageFactory()
    attachment_add(message=message, name="a.txt", content=io.BytesIO(b"a" * 1000))
    # then a second file past the message total is too large, one past the file limit too
    with pytest.raises(TooLarge):
        attachment_add(message=message, name="b.txt", content=io.BytesIO(b"b" * 1100))
    with pytest.raises(TooLarge):
        attachment_add(message=message, name="c.txt", content=io.BytesIO(b"c" * 1501))
    attachment_add(message=message, name="d.txt", content=io.BytesIO(b"d" * 1000))
    # and a third file is one too many
    with pytest.raises(InvalidInput):
        attachment_add(message=message, name="e.txt", content=io.BytesIO(b"e"))
    assert Attachment.objects.filter(message=message).count() == 2


def test_a_refused_file_among_several_leaves_no_ticket(attachment_media: Path) -> None:
    # given a good file and a bad one
    app = ClientAppFactory()
    new = NewTicket(subject="Kapot", body="Zie bijlagen", customer=NewCustomer(email="a@b.nl"))
    incoming = [
        IncomingFile(name="foto.png", content=io.BytesIO(files.png())),
        IncomingFile(name="page.html", content=io.BytesIO(files.HTML)),
    ]
    # when
    with pytest.raises(UnsupportedType) as refused:
        ticket_create_with_files(client_app=app, new=new, files=incoming)
    # then the message names the file, and nothing was written
    assert "page.html" in str(refused.value.message)
    assert not Ticket.objects.exists()
    assert not Message.objects.exists()
    assert files.stored(attachment_media) == []


def test_files_stored_in_a_failed_block_are_deleted_at_once(attachment_media: Path) -> None:
    message = MessageFactory()
    seen: list[int] = []

    def store_then_fail() -> None:
        with files_removed_on_error(), transaction.atomic():
            attachment_add(message=message, name="a.pdf", content=io.BytesIO(files.pdf()))
            seen.append(len(files.stored(attachment_media)))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        store_then_fail()
    assert seen == [1]
    assert files.stored(attachment_media) == []
    assert not Attachment.objects.exists()


def test_deleting_a_tickets_attachments_removes_rows_and_files_after_commit(
    attachment_media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    # given two messages of one ticket with files, and another ticket's file
    first = MessageFactory()
    second = MessageFactory(ticket=first.ticket, internal=True)
    other = MessageFactory()
    for message in (first, second, other):
        attachment_add(message=message, name="a.pdf", content=io.BytesIO(files.pdf()))
    # when
    with django_capture_on_commit_callbacks(execute=True):
        deleted = attachments_delete_for_ticket(ticket=first.ticket)
    # then
    assert deleted == 2
    assert list(Attachment.objects.values_list("message", flat=True)) == [other.pk]
    assert len(files.stored(attachment_media)) == 1


def _age(path: Path, seconds: int) -> None:
    stat = path.stat()
    os.utime(path, (stat.st_atime - seconds, stat.st_mtime - seconds))


def test_the_sweep_deletes_old_orphans_only(attachment_media: Path, settings: Any) -> None:
    # given a stored attachment, an old orphan and a fresh one (an upload in progress)
    settings.ATTACHMENT_ORPHAN_GRACE_SECONDS = 3600
    kept = attachment_add(message=MessageFactory(), name="a.pdf", content=io.BytesIO(files.pdf()))
    storage = attachment_storage()
    old = storage.save("attachments/2026/01/02/deadbeef", io.BytesIO(b"lost upload"))
    fresh = storage.save("attachments/2026/01/03/cafebabe", io.BytesIO(b"in progress"))
    _age(attachment_media / old, 7200)
    _age(attachment_media / kept.storage_key, 7200)
    # when
    deleted = attachments_sweep_orphans()
    # then
    assert deleted == 1
    assert not storage.exists(old)
    assert storage.exists(fresh)
    assert storage.exists(kept.storage_key)
    assert attachments_sweep_orphans() == 0


def test_a_thumbnail_is_a_small_png_made_once(attachment_media: Path) -> None:
    attachment = attachment_add(
        message=MessageFactory(), name="foto.png", content=io.BytesIO(files.png((1600, 1200)))
    )
    assert thumbnail_make(attachment_id=str(attachment.pk)) is True
    attachment.refresh_from_db()
    with Image.open(attachment_media / attachment.thumbnail_key) as thumbnail:
        assert thumbnail.format == "PNG"
        assert thumbnail.size == (320, 240)
    assert thumbnail_make(attachment_id=str(attachment.pk)) is False  # already made


def test_no_thumbnail_for_documents_or_broken_images() -> None:
    message = MessageFactory()
    document = attachment_add(message=message, name="a.pdf", content=io.BytesIO(files.pdf()))
    broken = attachment_add(message=message, name="b.png", content=io.BytesIO(files.png()[:200]))
    assert thumbnail_make(attachment_id=str(document.pk)) is False
    assert thumbnail_make(attachment_id=str(broken.pk)) is False
    assert set(Attachment.objects.values_list("thumbnail_key", flat=True)) == {""}


def test_the_sweep_makes_thumbnails_no_message_asked_for() -> None:
    # given an image whose thumbnail task never ran (the broker was down), ten minutes ago
    attachment = attachment_add(
        message=MessageFactory(), name="foto.png", content=io.BytesIO(files.png())
    )
    Attachment.objects.filter(pk=attachment.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    # when the sweep runs, then the image has its thumbnail
    attachments_sweep_orphans()
    attachment.refresh_from_db()
    assert attachment.thumbnail_key.startswith("thumbnails/")
