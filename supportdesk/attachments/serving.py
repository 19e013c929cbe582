"""How a stored file leaves the server: always as a download, never rendered or run."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404

from supportdesk.attachments.storage import attachment_storage

SANDBOX = "default-src 'none'; sandbox; frame-ancestors 'none'"


def safe_file_response(
    stream: Any, *, content_type: str, filename: str, as_attachment: bool = True
) -> FileResponse:
    """`Content-Disposition: attachment` (RFC 6266 `filename*` for non-ASCII names, made by
    Django), the stored content type, `nosniff`, and a CSP that lets nothing run even if a
    browser showed it. `as_attachment=False` only for server-made thumbnails."""
    response = FileResponse(
        stream, as_attachment=as_attachment, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    response["Cache-Control"] = "private, max-age=0, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def stored_file_response(
    key: str, *, content_type: str, filename: str, as_attachment: bool = True
) -> FileResponse:
    """The stored file under `key` served as `safe_file_response` does; a file gone from
    storage is a 404, as an unknown attachment is."""
    try:
        stream = attachment_storage().open(key, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return safe_file_response(
        stream, content_type=content_type, filename=filename, as_attachment=as_attachment
    )
