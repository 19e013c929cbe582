"""Webhooks go only where they may: every resolved address public (checked at send time, the
connection made to the checked address), no redirects, no credentials or bad ports, generic
errors in the delivery log, and a bad endpoint never blocks the events behind it."""

import ipaddress

import pytest
from django.test import override_settings
from pytest_django import DjangoCaptureOnCommitCallbacks

from supportdesk.notifications import addresses, services, webhooks
from supportdesk.notifications.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from supportdesk.tickets.models import Ticket
from tests.factories import TicketFactory
from tests.notifications.conftest import Receiver

pytestmark = pytest.mark.django_db

NOT_PUBLIC = [
    "127.0.0.1",
    "10.0.0.5",
    "100.100.100.200",  # shared address space (cloud metadata on some providers)
    "169.254.169.254",
    "0.0.0.0",  # noqa: S104 - an address to refuse, not to bind
    "224.0.0.1",  # multicast
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "ff02::1",
    "fd00::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "2002:7f00:1::",  # 6to4 around 127.0.0.1
    "64:ff9b::7f00:1",  # NAT64 around 127.0.0.1
    "64:ff9b:1::5db8:d822",  # local-use NAT64
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
]
PUBLIC = ["93.184.216.34", "2606:4700::1111", "64:ff9b::5db8:d822", "2002:5db8:d822::"]


@pytest.mark.parametrize("literal", NOT_PUBLIC)
def test_addresses_that_are_not_global_are_refused(literal: str) -> None:
    assert not addresses.is_public(ipaddress.ip_address(literal))


@pytest.mark.parametrize("literal", PUBLIC)
def test_global_addresses_are_allowed(literal: str) -> None:
    assert addresses.is_public(ipaddress.ip_address(literal))


def _endpoint(ticket: Ticket, url: str) -> WebhookEndpoint:
    endpoint: WebhookEndpoint = WebhookEndpoint.objects.create(
        client_app=ticket.client_app, url=url, events=[]
    )
    return endpoint


def _emit(ticket: Ticket, capture: DjangoCaptureOnCommitCallbacks, *events: str) -> None:
    with capture(execute=True):
        for event in events:
            services.webhook_emit(ticket=ticket, event=event)


def test_a_name_that_resolves_to_loopback_is_refused_at_send_time(
    receiver: Receiver, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    # given an endpoint whose host name resolves to 127.0.0.1 (stored directly: a name whose
    # DNS answer changes after registration gets past any registration check)
    ticket = TicketFactory()
    port = receiver.url.split(":")[2].split("/")[0]
    _endpoint(ticket, f"http://localhost:{port}/hooks")
    # when an event is delivered with private addresses not allowed
    with override_settings(WEBHOOK_ALLOW_PRIVATE_URLS=False):
        _emit(ticket, django_capture_on_commit_callbacks, "ticket.created")
    # then nothing reached the receiver, and the delivery failed for good with a generic reason
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error == "address-not-allowed"


def test_redirects_are_not_followed(
    receiver: Receiver,
    second_receiver: Receiver,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    # given a receiver that answers 302 to another server
    receiver.statuses = [302]
    receiver.location = second_receiver.url
    ticket = TicketFactory()
    _endpoint(ticket, receiver.url)
    # when
    _emit(ticket, django_capture_on_commit_callbacks, "ticket.created")
    # then the signed request went nowhere else, and the delivery failed
    assert len(receiver.requests) == 1
    assert second_receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.status_code) == (DeliveryStatus.FAILED, 302)
    assert delivery.error == "redirect-not-followed"


def test_the_host_header_names_the_registered_host(
    receiver: Receiver, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    ticket = TicketFactory()
    port = receiver.url.split(":")[2].split("/")[0]
    _endpoint(ticket, f"http://localhost:{port}/hooks?v=1")
    _emit(ticket, django_capture_on_commit_callbacks, "ticket.created")
    [request] = receiver.requests
    assert request.headers["Host"] == f"localhost:{port}"
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://user:secret@{host}/hooks", "credentials-in-url"),
        ("http://127.0.0.1:99999/hooks", "invalid-port"),
        ("http://127.0.0.1:0/hooks", "invalid-port"),
        ("http://127.0.0.1:http/hooks", "invalid-port"),
        ("http:///hooks", "invalid-url"),
    ],
)
def test_a_bad_stored_url_fails_at_once_and_does_not_block_later_events(
    url: str,
    error: str,
    receiver: Receiver,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    # given one endpoint with a URL that cannot be used (stored before the checks existed)
    # and a good one, for the same ticket
    ticket = TicketFactory()
    bad = _endpoint(ticket, url.format(host=receiver.url.split("/")[2]))
    _endpoint(ticket, receiver.url)
    # when two events happen
    _emit(ticket, django_capture_on_commit_callbacks, "ticket.created", "ticket.solved")
    # then the bad endpoint's deliveries failed (none stays pending), with a generic error
    mine = WebhookDelivery.objects.filter(endpoint=bad).order_by("id")
    assert [d.status for d in mine] == [DeliveryStatus.FAILED, DeliveryStatus.FAILED]
    assert {d.error for d in mine} == {error}
    # and the good endpoint got both events
    assert len(receiver.requests) == 2


def test_a_closed_port_is_a_generic_transient_error() -> None:
    result = webhooks.post(
        url="http://127.0.0.1:9/none", body=b"{}", headers={}, timeout=2, allow_private=True
    )
    assert result.status_code is None
    assert result.transient
    assert result.error == "connection-failed"  # no errno, no "Connection refused"
