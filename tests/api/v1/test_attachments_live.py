"""Through a real HTTP server: a multipart body shorter than its declared Content-Length (the
client stops sending) is a 400, not a hang or a 500, and leaves nothing behind."""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pytest_django.live_server_helper import LiveServer

from supportdesk.tickets.models import Ticket
from tests.attachments import files
from tests.attachments.files import MULTIPART, raw_multipart, ticket_form
from tests.conftest import ClientPrincipal

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("attachment_media"),
]


def _post_lying(live_server: LiveServer, key: str, body: bytes, declared: int) -> bytes:
    address = urlsplit(live_server.url)
    head = (
        f"POST /api/v1/tickets/ HTTP/1.1\r\nHost: {address.netloc}\r\n"
        f"Authorization: Api-Key {key}\r\nContent-Type: {MULTIPART}\r\n"
        f"Content-Length: {declared}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((address.hostname, address.port), timeout=20) as sock:
        sock.sendall(head + body)
        sock.shutdown(socket.SHUT_WR)  # the rest never comes
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_a_body_shorter_than_its_declared_length_is_a_400(
    live_server: LiveServer, client_a: ClientPrincipal, attachment_media: Path
) -> None:
    fields = list(ticket_form().items())
    body = raw_multipart(fields, [("files", "a.pdf", files.pdf())])

    answer = _post_lying(live_server, client_a.key, body, declared=len(body) + 500)

    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert not Ticket.objects.exists()
    assert files.stored(attachment_media) == []
