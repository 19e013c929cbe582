"""No input, however malformed, produces a 500; every error is DRF's JSON."""

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from supportdesk.tickets.models import Ticket
from tests.api.v1.conftest import assert_conforms, payload
from tests.conftest import ClientPrincipal, StaffPrincipal

pytestmark = pytest.mark.django_db

URL = "/api/v1/tickets/"


def test_non_json_is_a_415(client_a: ClientPrincipal) -> None:
    response = client_a.client.post(
        URL, "subject=hi&body=there", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert_conforms(response, path=URL, method="post")
    assert "detail" in response.json()


def test_a_body_over_the_limit_is_a_413(client_a: ClientPrincipal) -> None:
    huge = payload(body="x" * 300_000)
    response = client_a.client.post(URL, huge, format="json")
    assert response.status_code == 413
    assert_conforms(response, path=URL, method="post")
    assert response.json() == {"detail": "The request body may be at most 256 KB."}
    assert not Ticket.objects.exists()


CUSTOMER = b'"customer": {"email": "a@b.nl"}'


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b'{"subject": "a\\u0000b", "body": "x", ' + CUSTOMER + b"}", id="nul"),
        pytest.param(b'{"subject": "a\\ud800b", "body": "x", ' + CUSTOMER + b"}", id="surrogate"),
        pytest.param(b'{"subject": "a", "body": "x", "customer": {"name": "\\udfff"}}', id="deep"),
        pytest.param(b'{"tags": ["ok", "\\u0000"], "subject": "s", "body": "b"}', id="in-list"),
        pytest.param(b'{"a\\u0000": 1}', id="nul-in-key"),
        pytest.param(b"[" * 50_000 + b"]" * 50_000, id="deep-nesting"),
        pytest.param(b'{"subject": ', id="truncated"),
        pytest.param(b"\xff\xfe{}", id="not-utf-8"),
        pytest.param(b'{"subject": NaN}', id="nan"),
        pytest.param(b"[]", id="not-an-object"),
        pytest.param(b'"just a string"', id="bare-string"),
    ],
)
def test_malformed_json_is_a_400(client_a: ClientPrincipal, raw: bytes) -> None:
    response = client_a.client.post(URL, raw, content_type="application/json")
    assert response.status_code == 400, response.content
    assert_conforms(response, path=URL, method="post")
    assert not Ticket.objects.exists()


def test_nul_bytes_in_replies_and_patches_are_a_400(
    client_a: ClientPrincipal, agent_principal: StaffPrincipal
) -> None:
    ticket = client_a.client.post(URL, payload(), format="json").json()
    base = f"{URL}{ticket['id']}/"
    raw = b'{"body": "x\\u0000y"}'
    assert (
        client_a.client.post(f"{base}messages/", raw, content_type="application/json").status_code
        == 400
    )
    assert (
        agent_principal.client.post(
            f"{base}replies/", raw, content_type="application/json"
        ).status_code
        == 400
    )
    status = b'{"status": "\\ud800"}'
    assert (
        agent_principal.client.patch(base, status, content_type="application/json").status_code
        == 400
    )
    assert (
        agent_principal.client.patch(
            "/api/v1/agents/me/", status, content_type="application/json"
        ).status_code
        == 400
    )


def test_nul_bytes_in_query_strings_are_a_400(client_a: ClientPrincipal) -> None:
    for query in ("customer_email=a%00b", "language=%00", "status=%00", "created_after=%00"):
        response = client_a.client.get(f"{URL}?{query}")
        assert response.status_code == 400, query


@pytest.mark.parametrize(
    "authorization",
    [
        "Api-Key sd_abc.def",
        "Api-Key sd_\x00.x",
        "Api-Key",
        "Token nope",
        "Token a\x00b",
        "Api-Key a b",
    ],
)
def test_bad_credentials_are_a_401_with_www_authenticate(authorization: str) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=authorization)
    response = client.get(URL)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Api-Key"
    assert "detail" in response.json()


def test_no_credentials_is_a_401_not_a_403(anon_client: APIClient) -> None:
    response = anon_client.post(URL, payload(), format="json")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Api-Key"


def test_another_applications_ticket_is_a_404_everywhere(
    client_a: ClientPrincipal, client_b: ClientPrincipal
) -> None:
    ticket = client_a.client.post(URL, payload(), format="json").json()
    for method, path in [
        ("get", f"{URL}{ticket['id']}/"),
        ("get", f"{URL}{ticket['id']}/messages/"),
        ("post", f"{URL}{ticket['id']}/messages/"),
    ]:
        response = getattr(client_b.client, method)(path, {"body": "hi"}, format="json")
        assert response.status_code == 404
        assert set(response.json()) == {"detail"}


@override_settings(API_THROTTLE_RATE="3/min")
def test_throttled_per_client_application_with_retry_after(
    client_a: ClientPrincipal, client_b: ClientPrincipal
) -> None:
    statuses = [client_a.client.get(URL).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    throttled = client_a.client.get(URL)
    assert throttled.status_code == 429
    assert_conforms(throttled, path=URL, method="get")
    assert 0 < int(throttled.headers["Retry-After"]) <= 60
    # another application has its own budget
    assert client_b.client.get(URL).status_code == 200


@override_settings(API_THROTTLE_RATE="")
def test_an_empty_rate_turns_throttling_off(client_a: ClientPrincipal) -> None:
    assert {client_a.client.get(URL).status_code for _ in range(30)} == {200}
