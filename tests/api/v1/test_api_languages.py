"""API errors in the caller's language: the admin's languages, and every other enabled ticket
language Django and DRF ship a catalog for (ja, zh-Hans, ru, …)."""

import uuid

import pytest
from rest_framework.test import APIClient

from tests.api.v1.conftest import payload
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


@pytest.mark.parametrize(
    ("accept", "language", "detail"),
    [
        ("zh-Hant", "zh-hant", "請求內容不是有效的 JSON。"),
        ("ja-JP, en;q=0.5", "ja", "リクエスト本文が有効な JSON ではありません。"),
        ("pt-PT", "pt-pt", "O corpo do pedido não é JSON válido."),
    ],
)
def test_our_own_messages_answer_in_languages_without_a_full_catalog(
    client_a: ClientPrincipal, accept: str, language: str, detail: str
) -> None:
    response = client_a.client.generic(
        "POST",
        "/api/v1/tickets/",
        b'{"subject": ',
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=accept,
    )
    assert response.status_code == 400
    assert response.json() == {"detail": detail}
    assert response.headers["Content-Language"] == language


def test_a_bad_key_and_a_bad_field_are_refused_in_the_callers_language(
    client_a: ClientPrincipal,
) -> None:
    refused = APIClient().get(
        "/api/v1/tickets/", HTTP_AUTHORIZATION="Api-Key nope", HTTP_ACCEPT_LANGUAGE="ko"
    )
    invalid = client_a.client.post(
        "/api/v1/tickets/",
        payload(language="xx-invalid"),
        format="json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    server_set = client_a.client.post(
        "/api/v1/tickets/", payload(status="solved"), format="json", HTTP_ACCEPT_LANGUAGE="zh-Hans"
    )

    assert refused.status_code == 401
    assert refused.json() == {"detail": "API 키가 올바르지 않거나 폐기되었습니다."}
    assert invalid.status_code == 400
    assert invalid.json() == {"language": ["«xx-invalid» — недопустимый языковой тег."]}
    assert server_set.status_code == 400
    assert server_set.json() == {"status": ["此字段由服务器设置，不能在此处提供。"]}  # noqa: RUF001
