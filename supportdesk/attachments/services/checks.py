"""Checking files before anything is written: name, size, SHA-256 and content type."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, cast

from django.core.files.uploadedfile import UploadedFile

from supportdesk.attachments import content
from supportdesk.attachments.limits import AttachmentLimits, attachment_limits
from supportdesk.attachments.receiving import ReceivedFile
from supportdesk.attachments.refusals import (
    empty_file,
    file_too_large,
    message_too_large,
    name_refused,
    too_many_files,
    type_refused,
)

CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class IncomingFile:
    """A file as a caller hands it over: the name it was given and a readable binary file."""

    name: str
    content: IO[bytes]
    declared_type: str | None = None  # informative only: the bytes decide


@dataclass(frozen=True, slots=True)
class CheckedFile:
    name: str  # cleaned
    content: IO[bytes]  # positioned at its start
    content_type: str
    size: int
    sha256: str
    spooled: bool = False  # `content` is a copy made here, closed once stored

    def close_copy(self) -> None:
        if self.spooled:
            self.content.close()

    @property
    def digest_line(self) -> str:
        """What the Idempotency-Key fingerprint records of this file."""
        return f"{self.sha256} {self.name}"


def incoming_files(uploads: Sequence[UploadedFile[bytes]]) -> list[IncomingFile]:
    """Django's uploaded files (a form's, a request's) as the services take them."""
    return [
        IncomingFile(
            name=upload.name or "",
            content=cast("IO[bytes]", upload.file),
            declared_type=upload.content_type,
        )
        for upload in uploads
    ]


def _seekable(stream: IO[bytes]) -> tuple[IO[bytes], bool]:
    """A stream the checks can read and the storage read again, and whether it is a copy:
    a stream that cannot seek is spooled (to disk past 1 MB), never held whole in memory."""
    try:
        if stream.seekable():
            stream.seek(0)
            return stream, False
    except (AttributeError, OSError, ValueError):
        pass
    spooled: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115
    while chunk := stream.read(CHUNK_BYTES):
        spooled.write(chunk)
    spooled.seek(0)
    return spooled, True


def _measure(stream: IO[bytes], *, limit: int) -> tuple[int, str, bytes]:
    """(size, sha256, first bytes), read in chunks; stops reading once past `limit`."""
    digest, size, head = hashlib.sha256(), 0, b""
    while chunk := stream.read(CHUNK_BYTES):
        if len(head) < content.HEAD_BYTES:
            head += chunk[: content.HEAD_BYTES - len(head)]
        digest.update(chunk)
        size += len(chunk)
        if size > limit:
            break
    stream.seek(0)
    return size, digest.hexdigest(), head


def file_check(*, incoming: IncomingFile, limits: AttachmentLimits | None = None) -> CheckedFile:
    """One file, checked: a usable name (400), not empty (400), within the per-file limit
    (413), of an accepted type by its bytes (415). Reads the file once, in chunks."""
    limits = limits or attachment_limits()
    try:
        name = content.clean_name(incoming.name)
    except content.NameRefused as exc:
        raise name_refused(incoming.name) from exc
    stream, spooled = _seekable(incoming.content)
    try:
        return _checked(name=name, stream=stream, spooled=spooled, limits=limits)
    except Exception:
        if spooled:
            stream.close()
        raise


def _checked(
    *, name: str, stream: IO[bytes], spooled: bool, limits: AttachmentLimits
) -> CheckedFile:
    size, sha256, head = _measure(stream, limit=limits.max_file_bytes)
    if size == 0:
        raise empty_file(name)
    if size > limits.max_file_bytes:
        raise file_too_large(name, limits)
    sniffed = content.sniff(head=head, name=name)
    if not sniffed.allowed:
        raise type_refused(name, sniffed.content_type)
    return CheckedFile(
        name=name,
        content=stream,
        content_type=sniffed.content_type,
        size=size,
        sha256=sha256,
        spooled=spooled,
    )


ReadyFile = CheckedFile | ReceivedFile  # checked; stored already (received) or not yet


def files_check(
    *,
    files: Sequence[IncomingFile | ReceivedFile],
    already: tuple[int, int] = (0, 0),
    limits: AttachmentLimits | None = None,
) -> list[ReadyFile]:
    """Files for one message, all checked before any is stored: the count (400) and the total
    (413) include `already` = (files, bytes) the message has. Received files were checked
    while they arrived (`receiving`); only the message's count and total are checked again."""
    limits = limits or attachment_limits()
    if already[0] + len(files) > limits.max_files:
        raise too_many_files(limits)
    checked: list[ReadyFile] = []
    try:
        checked.extend(
            file if isinstance(file, ReceivedFile) else file_check(incoming=file, limits=limits)
            for file in files
        )
        if already[1] + sum(file.size for file in checked) > limits.max_message_bytes:
            raise message_too_large(limits)
    except Exception:
        for file in checked:
            file.close_copy()
        raise
    return checked
