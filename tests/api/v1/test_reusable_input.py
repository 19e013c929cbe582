"""The intake's input serializer is reused per thread (supportdesk/api/reusable.py): each
request must still get its own values, its own errors, in its own language."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from rest_framework.exceptions import ValidationError

from supportdesk.api.v1.tickets.serializers import TicketCreateInputSerializer
from tests.conftest import ClientPrincipal

pytestmark = pytest.mark.django_db
URL = "/api/v1/tickets/"


def test_one_after_another_each_request_gets_its_own_language(client_a: ClientPrincipal) -> None:
    answers = {
        language: client_a.client.post(URL, {}, format="json", HTTP_ACCEPT_LANGUAGE=language)
        for language in ("nl", "de", "en", "nl")
    }
    assert answers["nl"].json()["subject"] == ["Dit veld is vereist."]
    assert answers["de"].json()["subject"] == ["Dieses Feld ist zwingend erforderlich."]
    assert answers["en"].json()["subject"] == ["This field is required."]


def test_an_error_does_not_linger_into_the_next_valid_request(client_a: ClientPrincipal) -> None:
    bad = client_a.client.post(URL, {"subject": "x" * 300}, format="json")
    good = client_a.client.post(
        URL,
        {"subject": "Hi", "body": "Hello", "customer": {"email": "a@example.com"}},
        format="json",
    )
    assert bad.status_code == 400
    assert set(bad.json()) == {"subject", "body", "customer"}
    assert good.status_code == 201


def test_threads_validating_at_once_get_their_own_results() -> None:
    def validate(number: int) -> tuple[int, str]:
        data = {
            "subject": f"Subject {number}",
            "body": "Body",
            "customer": {"email": f"c{number}@example.com" if number % 2 else "not-an-email"},
        }
        try:
            valid = TicketCreateInputSerializer.validated(data)
        except ValidationError as exc:
            return number, f"error:{sorted(exc.detail)}"  # type: ignore[arg-type]
        return number, f"{valid['subject']}|{valid['customer']['email']}"

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = dict(pool.map(validate, range(200)))

    for number, outcome in results.items():
        if number % 2:
            assert outcome == f"Subject {number}|c{number}@example.com"
        else:
            assert outcome == "error:['customer']"
