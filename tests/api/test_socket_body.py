"""The multipart parser reads a body straight from gunicorn's socket (ADR 0018): through
gunicorn's own body classes over a real socket pair, the whole file arrives (also the part
gunicorn had read ahead with the headers), and the next request on the connection is left
untouched for gunicorn."""

from __future__ import annotations

import hashlib
import socket
import threading
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from gunicorn.http.body import Body, LengthReader
from gunicorn.http.unreader import SocketUnreader

from config.wsgi import application
from supportdesk.api.socket_body import socket_body
from supportdesk.attachments.models import Attachment
from tests.attachments import files
from tests.attachments.files import MULTIPART, raw_multipart, ticket_form
from tests.conftest import ClientPrincipal

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("attachment_media"),
]

NEXT_REQUEST = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"


def _gunicorn_environ(
    sock: socket.socket, body: bytes, read_ahead: int, key: str
) -> tuple[dict[str, Any], LengthReader]:
    """What gunicorn hands the app: `wsgi.input` a Body over a LengthReader over the socket,
    with `read_ahead` bytes of the body already buffered (read with the headers)."""
    unreader = SocketUnreader(sock)
    unreader.unread(body[:read_ahead])
    reader = LengthReader(unreader, len(body))
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/v1/tickets/",
        "SERVER_NAME": "localhost",
        "CONTENT_TYPE": MULTIPART,
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_AUTHORIZATION": f"Api-Key {key}",
        "wsgi.input": Body(reader),
        "gunicorn.socket": sock,
    }
    setup_testing_defaults(environ)
    return environ, reader


def _call(environ: dict[str, Any]) -> tuple[str, bytes]:
    answer: dict[str, str] = {}

    def start_response(status: str, headers: list[tuple[str, str]], *exc: object) -> None:
        answer["status"] = status

    response = application(environ, start_response)
    content = b"".join(response)
    getattr(response, "close", lambda: None)()
    return answer["status"], content


@pytest.mark.parametrize("read_ahead", [0, 5000, 300_000])
def test_a_file_is_read_from_the_socket_and_the_next_request_stays_queued(
    client_a: ClientPrincipal, attachment_media: Path, read_ahead: int
) -> None:
    # given a 2 MB PDF in a multipart body, and a pipelined request behind it
    content = files.pdf(b"%" + b"z" * (2 * 1024 * 1024) + b"\n")
    body = raw_multipart(list(ticket_form().items()), [("files", "groot.pdf", content)])
    server, client = socket.socketpair()
    client.settimeout(20)
    sender = threading.Thread(target=client.sendall, args=(body[read_ahead:] + NEXT_REQUEST,))
    sender.start()
    try:
        environ, reader = _gunicorn_environ(server, body, read_ahead, client_a.key)
        assert socket_body(environ, declared=len(body)) is not None
        # when
        status, answer = _call(environ)
        # then the ticket has the whole file
        assert status.startswith("201"), answer
        sender.join()
        attachment = Attachment.objects.get()
        (stored,) = files.stored(attachment_media)
        assert stored.read_bytes() == content
        assert attachment.sha256 == hashlib.sha256(content).hexdigest()
        assert attachment.size == len(content)
        # and gunicorn finds the body consumed, with the next request intact behind it
        assert reader.length == 0
        assert reader.unreader.read(len(NEXT_REQUEST)) == NEXT_REQUEST
    finally:
        server.close()
        client.close()


def test_a_body_gunicorn_did_not_read_by_length_is_read_as_usual() -> None:
    server, client = socket.socketpair()
    try:
        environ, _reader = _gunicorn_environ(server, b"x" * 10, 0, "key")
        assert socket_body(environ, declared=11) is None  # a count that disagrees
        environ["wsgi.input"] = object()
        assert socket_body(environ, declared=10) is None  # not gunicorn's Body
    finally:
        server.close()
        client.close()
