"""Request bodies sent with `Transfer-Encoding: chunked` (no Content-Length).

The server (gunicorn) de-chunks them, but Django reads CONTENT_LENGTH bytes of a body, so
without a length it would see an empty body. This WSGI wrapper reads such a body (at most
DATA_UPLOAD_MAX_MEMORY_SIZE + 1 bytes: a larger one keeps a length over the limit and gets the
usual 413) and hands Django the bytes with their length.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def with_chunked_bodies(app: WSGIApp) -> WSGIApp:
    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        chunked = "chunked" in str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower()
        if chunked and not environ.get("CONTENT_LENGTH"):
            limit: int = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            body = environ["wsgi.input"].read(limit + 1)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return app(environ, start_response)

    return wrapped
