"""A request body read straight from gunicorn's socket (ADR 0018), for the multipart parser.

gunicorn's `wsgi.input` copies every piece of a body through two `BytesIO` buffers and reads
ahead in pieces of up to 1 MB (fresh allocations that a thread's malloc arena keeps); for a
1 MB file that is a few milliseconds of copying per request and megabytes of worker RSS. Under
gunicorn the socket is in the environ (`gunicorn.socket`), so the parser may read the body from
it directly: first what gunicorn already holds of this body, then `recv` on the socket,
keeping gunicorn's own count of the body (`LengthReader.length`) true, so that it finds the
body consumed when it reads the next request on the connection.

This depends on gunicorn internals (`Body`, `LengthReader`, `SocketUnreader`,
`Unreader.take_buffered`); each is checked before use, and anything else — another server, a
chunked body, a body something already started reading, another gunicorn — gets None and the
plain `wsgi.input`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

try:  # gunicorn serves production and the benchmarks; tests and runserver do without it
    from gunicorn.http.body import Body, LengthReader
    from gunicorn.http.unreader import SocketUnreader
except ImportError:  # pragma: no cover - gunicorn is a dependency
    Body = LengthReader = SocketUnreader = None


class SocketBody:
    """`read(size)` of what is left of one body of known length: gunicorn's read-ahead
    first, then the socket. Never reads past the body (a pipelined request stays queued)."""

    def __init__(self, *, body: Any, reader: Any, sock: Any) -> None:
        self._body, self._reader, self._sock = body, reader, sock
        self._held: bytes | None = None  # gunicorn's read-ahead, taken at the first read

    def _take_held(self) -> bytes:
        reader = self._reader
        held: bytes = reader.unreader.take_buffered()
        if len(held) > reader.length:  # the start of the next request: give it back
            reader.unreader.unread(held[reader.length :])
            held = held[: reader.length]
        return held

    def read(self, size: int) -> bytes:
        reader = self._reader
        if self._held is None:
            self._held = self._take_held()
        if self._held:
            data, self._held = self._held[:size], self._held[size:]
        else:
            wanted = min(size, reader.length)
            if wanted <= 0:
                return b""
            try:
                data = self._sock.recv(wanted)
            except OSError:
                self._body.failed = True  # where the next request starts is unknown
                raise
        reader.length -= len(data)
        return data


def socket_body(meta: Mapping[str, Any], *, declared: int) -> SocketBody | None:
    """The socket reader for a request's body of `declared` bytes, or None when the request
    is not one gunicorn reads by length from a socket, untouched so far."""
    body, sock = meta.get("wsgi.input"), meta.get("gunicorn.socket")
    if Body is None or sock is None or type(body) is not Body:
        return None
    reader = getattr(body, "reader", None)
    if type(reader) is not LengthReader or getattr(reader, "length", None) != declared:
        return None
    unreader = getattr(reader, "unreader", None)
    if type(unreader) is not SocketUnreader or getattr(unreader, "sock", None) is not sock:
        return None
    buffered = getattr(body, "buf", None)
    if buffered is None or buffered.tell() or not hasattr(unreader, "take_buffered"):
        return None
    return SocketBody(body=body, reader=reader, sock=sock)
