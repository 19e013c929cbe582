"""The configured limits as one typed value (settings are read here, not in the services)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True, slots=True)
class AttachmentLimits:
    max_file_bytes: int
    max_message_bytes: int
    max_files: int


def attachment_limits() -> AttachmentLimits:
    return AttachmentLimits(
        max_file_bytes=settings.ATTACHMENT_MAX_FILE_BYTES,
        max_message_bytes=settings.ATTACHMENT_MAX_MESSAGE_BYTES,
        max_files=settings.ATTACHMENT_MAX_FILES,
    )


def megabytes(size: int) -> str:
    """`20 MB`, `1.5 MB`, below a megabyte `256 KB`: limits as people read them in error
    messages."""
    value = size / (1024 * 1024)
    if value < 1:
        return f"{max(size / 1024, 1):.0f} KB"
    return f"{value:.0f} MB" if value >= 10 or value == int(value) else f"{value:.1f} MB"
