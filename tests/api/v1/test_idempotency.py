"""`Idempotency-Key`: retries are safe, sequentially and concurrently."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from supportdesk.tickets.models import Message, Ticket
from tests.api.v1.conftest import assert_conforms, payload
from tests.conftest import ClientPrincipal


def _post(client: APIClient, key: str, **overrides: object) -> tuple[int, dict[str, object]]:
    response = client.post(
        "/api/v1/tickets/", payload(**overrides), format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    return response.status_code, response.json()


@pytest.mark.django_db
def test_a_replay_returns_the_original_ticket_with_200(client_a: ClientPrincipal) -> None:
    first_status, first = _post(client_a.client, "retry-1")
    replay = client_a.client.post(
        "/api/v1/tickets/", payload(), format="json", HTTP_IDEMPOTENCY_KEY="retry-1"
    )
    assert first_status == 201
    assert replay.status_code == 200
    assert_conforms(replay, path="/api/v1/tickets/", method="post")
    assert replay.json()["id"] == first["id"]
    assert Ticket.objects.count() == 1
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_payload_is_a_409(client_a: ClientPrincipal) -> None:
    _post(client_a.client, "retry-2")
    response = client_a.client.post(
        "/api/v1/tickets/",
        payload(subject="Something else"),
        format="json",
        HTTP_IDEMPOTENCY_KEY="retry-2",
    )
    assert response.status_code == 409
    assert_conforms(response, path="/api/v1/tickets/", method="post")
    assert "Idempotency-Key" in response.json()["detail"]
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_keys_are_per_client_application(
    client_a: ClientPrincipal, client_b: ClientPrincipal
) -> None:
    status_a, ticket_a = _post(client_a.client, "shared-key")
    status_b, ticket_b = _post(client_b.client, "shared-key")
    assert (status_a, status_b) == (201, 201)
    assert ticket_a["id"] != ticket_b["id"]


@pytest.mark.django_db
def test_a_key_expires_after_24_hours(client_a: ClientPrincipal) -> None:
    _, first = _post(client_a.client, "daily")
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        status, second = _post(client_a.client, "daily")
    assert status == 201
    assert second["id"] != first["id"]


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "k" * 256, "naïve-key", "tab\there"])
def test_a_malformed_key_is_a_400(client_a: ClientPrincipal, key: str) -> None:
    response = client_a.client.post(
        "/api/v1/tickets/", payload(), format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert not Ticket.objects.exists()


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_replays_create_one_ticket(client_a: ClientPrincipal) -> None:
    # given 8 threads, each with its own database connection, released together
    threads = 8
    barrier = threading.Barrier(threads, timeout=30)

    def post_once(_: int) -> tuple[int, str]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {client_a.key}")
        try:
            barrier.wait()
            status, body = _post(client, "burst-1")
            return status, str(body["id"])
        finally:
            connection.close()

    # when they all send the same key and payload at once
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(post_once, range(threads), timeout=60))
    # then exactly one ticket exists; one answer is 201, the others 200, all with its id
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * (threads - 1) + [201]
    assert {ticket_id for _, ticket_id in results} == {str(Ticket.objects.get().public_id)}
    assert Message.objects.count() == 1
