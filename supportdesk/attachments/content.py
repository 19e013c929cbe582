"""PURE: what a file is, judged by its bytes (magic numbers), and what its name may be.

No Django here: the services pass the first bytes of a file and the name the client gave,
and get a cleaned name and a content type from the allow-list, or a reason to refuse.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import filetype

HEAD_BYTES = 8192  # what `filetype` inspects; also enough to tell text from binary
MAX_NAME_CHARS = 255

# Detected by magic bytes (filetype). Office Open XML files are zip archives that
# `filetype` recognises by their first member, so they are listed before plain zip.
ALLOWED_BINARY = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "image/heic",
        "image/avif",
        "image/bmp",
        "image/tiff",
        "application/pdf",
        "application/rtf",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
        "application/zip",
    }
)
TEXT_TYPES = frozenset({"text/plain", "text/csv"})
# Images Pillow can make a thumbnail of (HEIC/AVIF need plugins: shown by name and size).
THUMBNAIL_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp"})

# Text that a browser would run or render: never accepted, whatever the name says.
_MARKUP = re.compile(
    rb"^\s*(<\?xml|<!doctype|<html|<svg|<script|<head|<body|<iframe|<object|<embed|<!--)",
    re.IGNORECASE,
)
_PATH_SEPARATORS = re.compile(r"[/\\]")


class NameRefused(ValueError):
    """The name cannot be stored: control characters, a `..` part, or nothing left."""


@dataclass(frozen=True, slots=True)
class Sniffed:
    content_type: str  # what the bytes are (the declared type only tells text apart)
    allowed: bool


def clean_name(raw: str) -> str:
    """The file name as stored: NFC, without directory parts (`C:\\docs\\a.pdf` → `a.pdf`),
    at most 255 characters (the extension kept). Control characters (NUL included), lone
    surrogates and `..` parts are refused, not repaired: such a name is an attack or a bug."""
    if any(
        unicodedata.category(char) in {"Cc", "Cs", "Cf"} and char not in "\u200c\u200d"
        for char in raw
    ):
        raise NameRefused(raw)
    parts = _PATH_SEPARATORS.split(raw)
    if any(part == ".." for part in parts):
        raise NameRefused(raw)
    name = unicodedata.normalize("NFC", parts[-1]).strip()
    if name in {"", "."}:
        raise NameRefused(raw)
    if len(name) > MAX_NAME_CHARS:
        _stem, dot, extension = name.rpartition(".")
        keep = extension if dot and len(extension) <= 16 else ""
        name = name[: MAX_NAME_CHARS - len(keep) - 1] + "." + keep if keep else name[:255]
    return name


def _text_type(head: bytes, name: str) -> str | None:
    """`text/csv` or `text/plain` for UTF-8 text that is not markup; None otherwise."""
    if b"\x00" in head or _MARKUP.match(head):
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not merely a character cut at the end of the head
            return None
    return "text/csv" if name.lower().endswith(".csv") else "text/plain"


def sniff(*, head: bytes, name: str) -> Sniffed:
    """The content type of a file from its first bytes. Binary formats by magic numbers;
    text only when it is UTF-8 without markup (HTML, SVG, XML and scripts are refused)."""
    kind = filetype.guess(head)
    if kind is not None:
        return Sniffed(content_type=kind.mime, allowed=kind.mime in ALLOWED_BINARY)
    text = _text_type(head, name)
    if text is not None:
        return Sniffed(content_type=text, allowed=True)
    return Sniffed(content_type=_refused_type(head), allowed=False)


def _refused_type(head: bytes) -> str:
    """A name for what was refused, for the error message."""
    markup = _MARKUP.match(head)
    if markup is None:
        return "application/octet-stream"
    tag = markup.group(1).lower()
    if tag == b"<svg" or b"<svg" in head[:1024].lower():
        return "image/svg+xml"
    return "application/xml" if tag == b"<?xml" else "text/html"
