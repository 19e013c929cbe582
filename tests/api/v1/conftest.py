"""Helpers for the v1 API tests: payloads, ticket creation, and response validation against
the OpenAPI schema the project serves."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import requests
import schemathesis
from django.test import Client
from rest_framework.response import Response
from rest_framework.test import APIClient
from schemathesis.core.transport import Response as SchemaResponse

from supportdesk.api import throttling
from tests.conftest import ClientPrincipal
from tests.notifications.conftest import smtp_server  # noqa: F401 - a fixture for the API tests

PAYLOAD: dict[str, Any] = {
    "subject": "Mijn bestelling is niet aangekomen",
    "body": "Ik heb vorige week besteld en nog niets ontvangen. Kunt u helpen?",
    "customer": {
        "email": "sanne@example.nl",
        "name": "Sanne de Vries",
        "locale": "nl-NL",
        "country": "NL",
        "timezone": "Europe/Amsterdam",
    },
}


def payload(**overrides: Any) -> dict[str, Any]:
    """A valid create body (customer locale set, so no detection is needed)."""
    body = copy.deepcopy(PAYLOAD)
    customer = overrides.pop("customer", None)
    if customer is not None:
        body["customer"].update(customer)
    body.update(overrides)
    return body


def create_ticket(client: APIClient, **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/v1/tickets/", payload(**overrides), format="json")
    assert response.status_code == 201, response.content
    data: dict[str, Any] = response.json()
    return data


@pytest.fixture
def ticket_of_a(client_a: ClientPrincipal) -> dict[str, Any]:
    return create_ticket(client_a.client)


_SCHEMA: list[Any] = []


def openapi() -> Any:
    """The live schema (generated once per run; needs no database)."""
    if not _SCHEMA:
        raw = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        assert raw.status_code == 200
        _SCHEMA.append(schemathesis.openapi.from_dict(raw.json()))
    return _SCHEMA[0]


def assert_conforms(response: Response, *, path: str, method: str) -> None:
    """The response's status, headers and body are what the schema documents for it."""
    request = requests.Request(method=method.upper(), url=f"http://localhost{path}").prepare()
    converted = SchemaResponse(
        status_code=response.status_code,
        headers={name: [value] for name, value in response.headers.items()},
        content=response.content,
        request=request,
        elapsed=0.0,
        message="",
        encoding="utf-8",
        http_version="1.1",
        verify=False,
    )
    openapi()[path][method.upper()].validate_response(converted)


@pytest.fixture(autouse=True)
def _fresh_throttle_counters() -> None:
    """Throttle counters live in the throttle counter; each test starts with none."""
    throttling.counter().clear()
