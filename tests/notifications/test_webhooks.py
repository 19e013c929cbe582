"""Webhooks to a real HTTP receiver on 127.0.0.1 (eager Celery, PostgreSQL)."""

import json
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from supportdesk.notifications import services, webhooks
from supportdesk.notifications.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from supportdesk.tickets.models import Ticket
from tests.factories import TicketFactory
from tests.notifications.conftest import Receiver

pytestmark = pytest.mark.django_db


def endpoint_for(ticket: Ticket, receiver: Receiver, *events: str) -> WebhookEndpoint:
    endpoint: WebhookEndpoint = WebhookEndpoint.objects.create(
        client_app=ticket.client_app, url=receiver.url, events=list(events)
    )
    return endpoint


def test_signature_verifies_and_payload_is_versioned(
    receiver: Receiver, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    # given a client application listening for new tickets
    ticket = TicketFactory(subject="Where is my order?")
    endpoint = endpoint_for(ticket, receiver, "ticket.created")
    # when a ticket is created (the hook runs inside the creating transaction)
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_created(ticket=ticket)
    # then the receiver got one signed, versioned payload
    [request] = receiver.requests
    header = request.headers[webhooks.SIGNATURE_HEADER]
    assert webhooks.verify(
        secret=endpoint.secret, header=header, body=request.body, now=int(time.time())
    )
    assert not webhooks.verify(
        secret="whsec_wrong", header=header, body=request.body, now=int(time.time())
    )
    assert not webhooks.verify(
        secret=endpoint.secret, header=header, body=request.body + b" ", now=int(time.time())
    )
    payload = json.loads(request.body)
    assert payload["version"] == 1
    assert payload["event"] == "ticket.created"
    assert payload["ticket"]["reference"] == ticket.reference
    assert payload["ticket"]["subject"] == "Where is my order?"
    assert request.headers["X-Supportdesk-Delivery"] == payload["id"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert WebhookAttempt.objects.get().status_code == 200


def test_stale_or_malformed_signatures_are_rejected() -> None:
    body = b'{"a":1}'
    header = webhooks.signature_header(secret="s", timestamp=1000, body=body)
    assert webhooks.verify(secret="s", header=header, body=body, now=1100)
    assert not webhooks.verify(secret="s", header=header, body=body, now=2000)
    assert not webhooks.verify(secret="s", header="v1=abc", body=body, now=1000)


@override_settings(WEBHOOK_RETRY_BASE_SECONDS=10, WEBHOOK_RETRY_MAX_SECONDS=15)
def test_500s_are_retried_with_backoff_and_every_attempt_is_logged(
    receiver: Receiver, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    # given a receiver that fails twice
    receiver.statuses = [500, 503]
    ticket = TicketFactory()
    endpoint_for(ticket, receiver)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            [delivery_id] = services.webhook_emit(ticket=ticket, event="ticket.solved")
        # a message arriving before the backoff is over changes nothing
        assert services.webhook_deliver(delivery_id=delivery_id).status == "not-due"
    # when the retries come after 10 s, then after 15 s (2·10 capped at 15)
    with time_machine.travel(start + timedelta(seconds=10), tick=False):
        assert services.webhook_deliver(delivery_id=delivery_id) == services.outbox.DeliveryOutcome(
            "retry", retry_in=15
        )
    with time_machine.travel(start + timedelta(seconds=25), tick=False):
        assert services.webhook_deliver(delivery_id=delivery_id).status == "delivered"
    # then it arrived on the third try, and the log shows each try
    assert len(receiver.requests) == 3
    attempts = WebhookAttempt.objects.filter(delivery_id=delivery_id).order_by("attempt")
    assert [a.status_code for a in attempts] == [500, 503, 200]
    assert services.webhook_deliver(delivery_id=delivery_id).status == "skipped"


@override_settings(WEBHOOK_RETRY_BASE_SECONDS=1, WEBHOOK_SWEEP_GRACE_SECONDS=0)
def test_events_of_a_ticket_arrive_in_order_even_when_the_first_needs_a_retry(
    receiver: Receiver, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    # given a receiver whose first answer is a 500
    receiver.statuses = [500]
    ticket = TicketFactory()
    endpoint_for(ticket, receiver)
    # when three events happen; the first fails, so the other two wait behind it
    with django_capture_on_commit_callbacks(execute=True):
        for event in ("ticket.created", "ticket.assigned", "ticket.solved"):
            services.webhook_emit(ticket=ticket, event=event)
    assert len(receiver.requests) == 1
    # and the sweep picks the retry up once it is due (eager mode: no Celery retry)
    later = timezone.now() + timedelta(seconds=5)
    with (
        time_machine.travel(later, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.webhook_sweep() == 3
    # then every event arrived, in the order it happened
    events = [json.loads(r.body)["event"] for r in receiver.requests]
    assert events == ["ticket.created", "ticket.created", "ticket.assigned", "ticket.solved"]
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


@override_settings(WEBHOOK_MAX_ATTEMPTS=1, WEBHOOK_MAX_FAILURES=2, MANAGER_EMAILS=["m@example.com"])
def test_an_endpoint_is_disabled_after_consecutive_failures_and_managers_hear_of_it(
    receiver: Receiver, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    receiver.statuses = [500, 404, 500]
    ticket = TicketFactory()
    endpoint = endpoint_for(ticket, receiver)

    with django_capture_on_commit_callbacks(execute=True):
        services.webhook_emit(ticket=ticket, event="ticket.created")
        services.webhook_emit(ticket=ticket, event="ticket.assigned")
        services.webhook_emit(ticket=ticket, event="ticket.solved")

    endpoint.refresh_from_db()
    assert not endpoint.active
    assert endpoint.consecutive_failures == 2
    statuses = list(WebhookDelivery.objects.order_by("id").values_list("status", flat=True))
    assert statuses == ["failed", "failed", "cancelled"]
    assert len(receiver.requests) == 2
    [alert] = mail.outbox
    assert alert.to == ["m@example.com"]
    assert receiver.url in alert.subject
    # turning it on again forgets the failures; new events flow again
    services.webhook_endpoint_update(endpoint=endpoint, active=True)
    endpoint.refresh_from_db()
    assert (endpoint.active, endpoint.consecutive_failures) == (True, 0)


def test_a_client_application_hears_only_of_its_own_tickets_and_chosen_events(
    receiver: Receiver, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    mine = TicketFactory()
    theirs = TicketFactory()
    endpoint_for(mine, receiver, "ticket.solved")

    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_created(ticket=mine)
        services.ticket_solved(ticket=theirs)
        services.ticket_solved(ticket=mine)

    assert [json.loads(r.body)["ticket"]["reference"] for r in receiver.requests] == [
        mine.reference
    ]


@pytest.mark.parametrize(("attempt", "expected"), [(1, 10), (2, 20), (3, 40), (8, 600), (30, 600)])
def test_backoff_doubles_up_to_the_cap(attempt: int, expected: int) -> None:
    assert webhooks.retry_delay(attempt=attempt, base=10, cap=600) == expected
