"""schemathesis over the whole API: the customers' privacy endpoints answer as the schema says
(generated bodies, as a client application and as a manager), and every path of the schema is
exercised by one of the schema tests (a new endpoint cannot be left out unnoticed)."""

import re
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import override_settings

from tests.api.v1.conftest import create_ticket, openapi
from tests.api.v1.test_schema import MY_PATHS, _connections_kept_open, _exercise
from tests.conftest import ClientPrincipal, StaffPrincipal

CUSTOMERS = r"^/api/v1/customers/"
# the schema tests and the paths each exercises
EXERCISED = {
    "test_schema.test_the_api_answers_as_its_schema_says": MY_PATHS,
    "test_schema.test_dashboard_and_webhook_endpoints_answer_as_the_schema_says": (
        r"^/api/v1/(dashboard|webhooks)/"
    ),
    "test_schema_attachments": r"^/api/v1/attachments/",
    "test_schema_coverage": CUSTOMERS,
}


def test_every_path_of_the_schema_is_exercised_by_a_schema_test() -> None:
    paths = set(openapi().raw_schema["paths"])
    left_out = {path for path in paths if not any(re.match(p, path) for p in EXERCISED.values())}
    assert left_out == set()


@pytest.mark.django_db
@pytest.mark.slow
@override_settings(API_THROTTLE_RATE="")
def test_customer_privacy_endpoints_answer_as_the_schema_says(
    client_a: ClientPrincipal, manager_principal: StaffPrincipal
) -> None:
    # given a customer of client A (with a ticket) and an export job to look at
    create_ticket(client_a.client)
    job = client_a.client.post(
        "/api/v1/customers/export/", {"email": "sanne@example.nl"}, format="json"
    )
    assert job.status_code == 202, job.content
    with _connections_kept_open():
        schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
        operations = [result.ok() for result in schema.get_all_operations()]
        mine: list[Any] = [op for op in operations if re.match(CUSTOMERS, op.path)]
        assert len(mine) == 3
        # when each is called with generated bodies by the application and by a manager
        for operation in mine:
            for who in (f"Api-Key {client_a.key}", f"Token {manager_principal.token}"):
                _exercise(operation, authorization=who, ticket_id=job.json()["id"])
