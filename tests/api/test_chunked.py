"""A body sent with `Transfer-Encoding: chunked` (no Content-Length, as gunicorn hands it on
after de-chunking) is read, through the project's WSGI application."""

import io
import json
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest

from config.wsgi import application
from tests.api.v1.conftest import payload
from tests.conftest import ClientPrincipal

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _call(environ: dict[str, Any]) -> tuple[str, bytes]:
    answer: dict[str, str] = {}

    def start_response(status: str, headers: list[tuple[str, str]], *exc: object) -> None:
        answer["status"] = status

    body = b"".join(application(environ, start_response))
    return answer["status"], body


def test_a_chunked_ticket_is_read_and_created(client_a: ClientPrincipal) -> None:
    raw = json.dumps(payload()).encode()
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/v1/tickets/",
        "SERVER_NAME": "localhost",
        "CONTENT_TYPE": "application/json",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "HTTP_AUTHORIZATION": f"Api-Key {client_a.key}",
        "wsgi.input": io.BytesIO(raw),
    }
    setup_testing_defaults(environ)
    environ.pop("CONTENT_LENGTH", None)
    status, body = _call(environ)
    assert status.startswith("201"), body
    assert json.loads(body)["subject"] == payload()["subject"]
