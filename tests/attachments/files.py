"""Files for attachment tests, made here (no fixtures on disk), and multipart helpers."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.api.v1.conftest import PAYLOAD


def png(size: tuple[int, int] = (640, 480), color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "blue").save(out, format="JPEG")
    return out.getvalue()


def pdf(extra: bytes = b"") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n" + extra + b"%%EOF\n"
    )


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


TEXT = b"Bestelnummer 4711, pakket beschadigd.\nTrack & trace: 3SABC123\n"
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
EXE = b"MZ\x90\x00\x03" + b"\x00" * 200 + b"PE\x00\x00" + b"\x00" * 100


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def ticket_form(**overrides: Any) -> dict[str, Any]:
    """The create payload as multipart form fields (nested customer as `customer.email`)."""
    form: dict[str, Any] = {key: value for key, value in PAYLOAD.items() if key != "customer"}
    form.update({f"customer.{key}": value for key, value in PAYLOAD["customer"].items()})
    form.update(overrides)
    return form


BOUNDARY = "sd-test-boundary-7f3a"


def raw_multipart(
    fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]], *, close: bool = True
) -> bytes:
    """A multipart body written by hand, so that names and endings can be anything."""
    parts = []
    for name, value in fields:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for field, filename, content in files:
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    return b"".join(parts) + (f"--{BOUNDARY}--\r\n".encode() if close else b"")


MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def stored(media: Path) -> list[Path]:
    """Every file the attachment storage holds."""
    return sorted(path for path in media.rglob("*") if path.is_file())
