"""Receiving files as their bytes arrive (a streaming multipart parser feeds them): each file
is hashed (SHA-256), its type judged from its first bytes, counted against the limits and
written straight to its final storage key, in one pass over the bytes, with no temporary
file and no second read (ADR 0018).

A refused file is refused before any of it is written when its name or type is wrong, and
deleted again when it turns out empty or too large. Files received for a request that fails
before a service takes them are deleted when the request ends (`ReceivedFile.close`, which
Django calls for every uploaded file); once a service has taken them (`hand_over`), its own
clean-up applies (`attachments_staged`, `files_removed_on_error`); a worker killed between
the two leaves an orphan for the sweep.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import uuid
from typing import IO, Protocol

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage
from django.utils import timezone

from supportdesk.attachments import content
from supportdesk.attachments.disk import PathSink
from supportdesk.attachments.limits import AttachmentLimits, attachment_limits
from supportdesk.attachments.refusals import (
    empty_file,
    file_too_large,
    message_too_large,
    name_refused,
    too_many_files,
    type_refused,
)
from supportdesk.attachments.storage import attachment_storage, new_key

logger = logging.getLogger(__name__)

SPOOL_MEMORY_BYTES = 1024 * 1024  # a storage without a local path: spooled to disk past this


class ReceivedFile:
    """A file received, checked and stored under `storage_key`; no row refers to it yet."""

    __slots__ = (
        "_handed_over",
        "attachment_id",
        "content_type",
        "name",
        "sha256",
        "size",
        "storage_key",
    )

    def __init__(
        self,
        *,
        attachment_id: uuid.UUID,
        name: str,
        content_type: str,
        size: int,
        sha256: str,
        storage_key: str,
    ) -> None:
        self.attachment_id = attachment_id
        self.name = name
        self.content_type = content_type
        self.size = size
        self.sha256 = sha256
        self.storage_key = storage_key
        self._handed_over = False

    def __str__(self) -> str:
        return self.name

    @property
    def digest_line(self) -> str:
        """What the Idempotency-Key fingerprint records of this file."""
        return f"{self.sha256} {self.name}"

    def hand_over(self) -> str:
        """A service takes the stored file (and the duty to delete it if unused)."""
        self._handed_over = True
        return self.storage_key

    def close_copy(self) -> None:
        """Nothing to close: there is no copy (see CheckedFile.close_copy)."""

    def close(self) -> None:
        """At the end of the request: delete the file when no service took it."""
        if not self._handed_over:
            self._handed_over = True
            _delete(self.storage_key)


class _Sink(Protocol):
    def write(self, data: bytes) -> None: ...
    def finish(self) -> None: ...
    def discard(self) -> None: ...


class _SpooledSink:
    """Any other storage (S3): spooled (to disk past 1 MB), saved through the storage API."""

    def __init__(self, storage: Storage, key: str) -> None:
        self.storage, self.key, self.saved = storage, key, False
        self.spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES)  # noqa: SIM115

    def write(self, data: bytes) -> None:
        self.spool.write(data)

    def finish(self) -> None:
        try:
            self.spool.seek(0)
            stored = self.storage.save(self.key, File(self.spool, name=self.key))
            self.saved = True
            if stored != self.key:  # never for random keys; kept honest all the same
                self.key = stored
        finally:
            self.spool.close()

    def discard(self) -> None:
        self.spool.close()
        if self.saved:
            _delete(self.key)


def _sink(key: str) -> _Sink:
    storage = attachment_storage()
    if isinstance(storage, FileSystemStorage):
        return PathSink(
            storage.path(key),
            mode=storage.file_permissions_mode,
            directory_mode=storage.directory_permissions_mode,
        )
    return _SpooledSink(storage, key)


def _delete(key: str) -> None:
    try:
        attachment_storage().delete(key)
    except OSError:  # the sweep will find it again
        logger.warning("could not delete received file %s", key, exc_info=True)


class FileReceiver:
    """One file of a request, fed chunk by chunk: `feed(bytes)`…, then `finish()`."""

    def __init__(self, *, upload: MessageUpload, name: str) -> None:
        self.upload, self.name = upload, name
        self.digest = hashlib.sha256()
        self.size = 0
        self.head = b""  # until the type is known, nothing is written
        self.content_type = ""
        self.attachment_id = uuid.uuid4()
        self.key = new_key(attachment_id=self.attachment_id, now=timezone.now())
        self.sink: _Sink | None = None

    def feed(self, data: bytes) -> None:
        self.size += len(data)
        limits = self.upload.limits
        if self.size > limits.max_file_bytes:
            raise file_too_large(self.name, limits)
        if self.upload.total + self.size > limits.max_message_bytes:
            raise message_too_large(limits)
        self.digest.update(data)
        sink = self.sink
        if sink is None:
            self.head += data
            if len(self.head) < content.HEAD_BYTES:
                return
            sink = self._open()
            data, self.head = self.head, b""
        sink.write(data)

    def _open(self) -> _Sink:
        sniffed = content.sniff(head=self.head[: content.HEAD_BYTES], name=self.name)
        if not sniffed.allowed:
            raise type_refused(self.name, sniffed.content_type)
        self.content_type = sniffed.content_type
        self.sink = _sink(self.key)
        return self.sink

    def finish(self) -> ReceivedFile:
        sink = self.sink
        if sink is None:  # smaller than the head: judged now
            if not self.head:
                raise empty_file(self.name)
            sink = self._open()
            sink.write(self.head)
            self.head = b""
        sink.finish()
        received = ReceivedFile(
            attachment_id=self.attachment_id,
            name=self.name,
            content_type=self.content_type,
            size=self.size,
            sha256=self.digest.hexdigest(),
            storage_key=self.key,
        )
        self.upload.received(received)
        return received

    def discard(self) -> None:
        if self.sink is not None:
            self.sink.discard()
            self.sink = None


class MessageUpload:
    """The files of one request (one message): the count and total limits across them, and
    what to delete when the request is refused part-way."""

    def __init__(self, limits: AttachmentLimits | None = None) -> None:
        self.limits = limits or attachment_limits()
        self.files: list[ReceivedFile] = []
        self.total = 0
        self.current: FileReceiver | None = None

    def start(self, *, raw_name: str) -> FileReceiver:
        """The next file, named `raw_name` by the client (checked here: 400 when refused)."""
        try:
            name = content.clean_name(raw_name)
        except content.NameRefused as exc:
            raise name_refused(raw_name) from exc
        if len(self.files) + 1 > self.limits.max_files:
            raise too_many_files(self.limits)
        self.current = FileReceiver(upload=self, name=name)
        return self.current

    def received(self, file: ReceivedFile) -> None:
        self.files.append(file)
        self.total += file.size
        self.current = None

    def discard(self) -> None:
        """The request failed: delete what was stored for it."""
        if self.current is not None:
            self.current.discard()
            self.current = None
        for file in self.files:
            file.close()
