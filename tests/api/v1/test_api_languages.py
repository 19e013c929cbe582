"""API errors in the caller's language: the admin's languages, and every other enabled ticket
language Django and DRF ship a catalog for (ja, zh-Hans, ru, …)."""

import uuid

import pytest

from tests.conftest import ClientPrincipal

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept", "language", "detail"),
    [
        ("ja", "ja", "見つかりませんでした。"),
        (
            "ru-RU, en;q=0.5",
            "ru",
            "\u0421\u0442\u0440\u0430\u043d\u0438\u0446\u0430 "
            "\u043d\u0435 \u043d\u0430\u0439\u0434\u0435\u043d\u0430.",
        ),
        ("de", "de", "Nicht gefunden."),
    ],
)
def test_errors_answer_in_the_accepted_language(
    client_a: ClientPrincipal, accept: str, language: str, detail: str
) -> None:
    response = client_a.client.get(f"/api/v1/tickets/{uuid.uuid4()}/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 404
    assert response.json() == {"detail": detail}
    assert response.headers["Content-Language"] == language


def test_a_json_parse_error_is_translated(client_a: ClientPrincipal) -> None:
    response = client_a.client.generic(
        "POST",
        "/api/v1/tickets/",
        b'{"subject": ',
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "De body van het verzoek is geen geldige JSON."}
