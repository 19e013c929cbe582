"""The served OpenAPI schema: valid, fully prefixed, and true to the running API
(schemathesis generates requests from it and checks every answer against it)."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.v1.conftest import openapi
from tests.conftest import ClientPrincipal, StaffPrincipal

MY_PATHS = r"^/api/v1/(tickets|languages|agents|macros)/"
EXAMPLES = 50
STAFF_ONLY = {
    ("PATCH", "/api/v1/tickets/{id}/"),
    ("POST", "/api/v1/tickets/{id}/replies/"),
    ("GET", "/api/v1/macros/"),
    ("POST", "/api/v1/tickets/{id}/macros/{macro}/apply/"),
    ("GET", "/api/v1/tickets/{id}/macros/{macro}/"),
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def test_the_schema_validates_without_warnings() -> None:
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert "openapi: 3" in out.getvalue()


def test_every_path_carries_the_full_prefix_and_every_operation_is_described() -> None:
    raw: dict[str, Any] = openapi().raw_schema
    assert raw["paths"]
    for path, item in raw["paths"].items():
        assert path.startswith("/api/v1/"), path
        for method, operation in item.items():
            if method not in {"get", "post", "patch", "put", "delete"}:
                continue
            responses = operation["responses"]
            success = [code for code in responses if code.startswith("2")]
            assert success, (method, path)
            if re.match(MY_PATHS, path):
                assert "429" in responses, (method, path)
                examples = [
                    body.get("examples")
                    for code in success
                    for body in responses[code].get("content", {}).values()
                ]
                assert any(examples), (method, path)


def _exercise(operation: Any, *, authorization: str, ticket_id: str) -> None:
    """Up to N generated requests for one operation, each answer checked against the schema."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        if "id" in (case.path_parameters or {}):  # aim at a real ticket, not random 404s
            case.path_parameters["id"] = ticket_id
        case.call_and_validate(headers={"Authorization": authorization}, checks=CHECKS)

    run()


@contextmanager
def _connections_kept_open() -> Iterator[None]:
    """As Django's test client does: requests must not close the test's database connection
    (it holds the test transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.slow
@override_settings(API_THROTTLE_RATE="")
def test_the_api_answers_as_its_schema_says(
    client_a: ClientPrincipal,
    manager_principal: StaffPrincipal,
    ticket_of_a: dict[str, Any],
) -> None:
    with _connections_kept_open():
        schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
        operations = [result.ok() for result in schema.get_all_operations()]
        mine = [op for op in operations if re.match(MY_PATHS, op.path)]
        assert len(mine) == 13
        for operation in mine:
            _exercise_as_allowed(operation, client_a, manager_principal, ticket_of_a["id"])


def _exercise_as_allowed(
    operation: Any, client_a: ClientPrincipal, manager: StaffPrincipal, ticket_id: str
) -> None:
    staff = (operation.method.upper(), operation.path) in STAFF_ONLY
    staff = staff or operation.path.startswith("/api/v1/agents/")
    who = f"Token {manager.token}" if staff else f"Api-Key {client_a.key}"
    _exercise(operation, authorization=who, ticket_id=ticket_id)


@pytest.mark.django_db
@pytest.mark.slow
@override_settings(API_THROTTLE_RATE="")
def test_dashboard_and_webhook_endpoints_answer_as_the_schema_says(
    client_a: ClientPrincipal, manager_principal: StaffPrincipal
) -> None:
    """The rest of /api/v1/: managers' figures and client applications' webhooks, each with
    the principal allowed to call it (generated queries and bodies: never a 5xx)."""
    with _connections_kept_open():
        schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
        operations = [result.ok() for result in schema.get_all_operations()]
        others = [op for op in operations if re.match(r"^/api/v1/(dashboard|webhooks)/", op.path)]
        assert len(others) >= 8
        for operation in others:
            manager = operation.path.startswith("/api/v1/dashboard/")
            who = f"Token {manager_principal.token}" if manager else f"Api-Key {client_a.key}"
            _exercise(operation, authorization=who, ticket_id="1")
