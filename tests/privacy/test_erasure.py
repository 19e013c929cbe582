"""Erasure: the person is gone from every table, file and payload; the figures stay."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from supportdesk.attachments.models import Attachment
from supportdesk.audit.models import AuditAction, AuditRecord
from supportdesk.core.pseudonyms import customer_pseudonym
from supportdesk.dashboards.selectors import hub_totals, queue_figures
from supportdesk.notifications.models import WebhookDelivery
from supportdesk.privacy.models import Erasure, LegalHold, TicketAnonymisation
from supportdesk.tickets.models import Customer, Message, Ticket
from tests.conftest import ClientPrincipal, StaffPrincipal
from tests.privacy.conftest import EMAIL, NAME, PHRASE, Story, new_ticket

ERASE = "/api/v1/customers/erase/"


def _dump() -> str:
    """The whole test database as SQL (pg_dump of what is committed)."""
    db = connection.settings_dict
    command = ["pg_dump", "--data-only", "-h", db["HOST"] or "127.0.0.1",
               "-p", str(db["PORT"] or 5432), "-U", db["USER"], db["NAME"]]  # fmt: skip
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603


def _files_mentioning(media: Path, needle: bytes) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file() and needle in p.read_bytes()]


def _figures(now: object) -> tuple[object, object]:
    queues = queue_figures(now=now, window=timedelta(days=1))  # type: ignore[arg-type]
    return queues, hub_totals(queues=queues, now=now, window=timedelta(days=1))  # type: ignore[arg-type]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_erasure_leaves_no_trace_in_the_database_or_the_media_and_keeps_the_figures(
    story: Story, client_a: ClientPrincipal
) -> None:
    # given the customer's data everywhere, committed
    dump = _dump()
    for needle in (EMAIL, PHRASE, NAME):  # the check can fail
        assert needle in dump
    assert _files_mentioning(story.media, PHRASE.encode())
    now = timezone.now()
    before = _figures(now)

    # when the client application asks for the erasure
    response = client_a.client.post(ERASE, {"email": EMAIL}, "json")

    # then nothing of the person is left in any table or file
    assert response.status_code == 200, response.content
    dump = _dump()
    for needle in (EMAIL, PHRASE, NAME, "Vermeulen", "ingrid"):
        assert needle.lower() not in dump.lower(), needle
    assert not _files_mentioning(story.media, PHRASE.encode())
    assert not Attachment.objects.exists()
    # and the ticket row keeps what the figures read
    ticket = Ticket.objects.get(pk=story.ticket.pk)
    assert (ticket.language, ticket.priority, ticket.status) == ("en", 2, "solved")
    assert ticket.solved_at == story.ticket.solved_at
    assert ticket.first_response_at == story.ticket.first_response_at
    assert ticket.assignee_id == story.ticket.assignee_id
    assert _figures(now) == before
    # and the answer names the pseudonym, which the customer row now carries
    pseudonym = customer_pseudonym(story.ticket.customer_id)
    assert response.json()["pseudonym"] == pseudonym
    customer = Customer.objects.get(pk=story.ticket.customer_id)
    assert customer.name == pseudonym
    assert (customer.locale, customer.country, customer.timezone) == ("", "", "")
    assert TicketAnonymisation.objects.filter(ticket=ticket).exists()


@pytest.mark.django_db
def test_the_client_application_hears_of_it_and_the_audit_trail_names_the_pseudonym(
    story: Story, client_a: ClientPrincipal
) -> None:
    client_a.client.post(ERASE, {"email": EMAIL}, "json")
    pseudonym = customer_pseudonym(story.ticket.customer_id)
    erased = WebhookDelivery.objects.get(event="customer.erased")
    assert erased.payload["customer"] == {"pseudonym": pseudonym}
    assert erased.endpoint.client_app_id == client_a.app.pk
    record = AuditRecord.objects.get(action=AuditAction.CUSTOMER_ERASE)
    assert (record.object_label, record.actor_label) == (pseudonym, client_a.app.name)
    assert record.customer_pseudonym == pseudonym
    assert record.ip == "127.0.0.1"
    # every older delivery's payload is scrubbed down to its event's id
    for delivery in WebhookDelivery.objects.exclude(event="customer.erased"):
        assert set(delivery.payload) <= {"version", "id", "event", "occurred_at", "erased"}


@pytest.mark.django_db
def test_a_dry_run_lists_what_would_change_and_changes_nothing(
    story: Story, client_a: ClientPrincipal
) -> None:
    response = client_a.client.post(ERASE, {"email": EMAIL, "dry_run": True}, "json")
    assert response.status_code == 200
    body = response.json()
    assert body["dry_run"] is True
    assert body["tickets"] == 1
    assert body["changes"]["attachments"] == 1
    assert body["changes"]["customer"] == 1
    assert body["changes"]["tickets"] == 1 + 3  # the ticket, its three messages
    assert body["changes"]["webhooks"] >= 1
    assert body["changes"]["inbound_emails"] == 2
    assert Customer.objects.get(pk=story.ticket.customer_id).email == EMAIL
    assert Message.objects.filter(body__contains=PHRASE).count() == 3
    assert not Erasure.objects.exists()


@pytest.mark.django_db
def test_erasure_is_idempotent(story: Story, client_a: ClientPrincipal) -> None:
    first = client_a.client.post(ERASE, {"email": EMAIL}, "json").json()
    again = client_a.client.post(ERASE, {"email": EMAIL.upper()}, "json")
    assert again.status_code == 200
    assert again.json()["already_erased"] is True
    assert again.json()["pseudonym"] == first["pseudonym"]
    assert WebhookDelivery.objects.filter(event="customer.erased").count() == 1


@pytest.mark.django_db
def test_an_open_ticket_refuses_the_erasure_unless_a_manager_forces_it(
    client_a: ClientPrincipal, manager_principal: StaffPrincipal
) -> None:
    new_ticket(client_a)  # assigned to nobody: new, i.e. open work
    refused = client_a.client.post(ERASE, {"email": EMAIL}, "json")
    assert refused.status_code == 409
    assert "open ticket" in refused.json()["detail"]
    not_a_manager = client_a.client.post(ERASE, {"email": EMAIL, "force": True}, "json")
    assert not_a_manager.status_code == 403
    forced = manager_principal.client.post(
        ERASE, {"email": EMAIL, "force": True, "client_application": client_a.app.pk}, "json"
    )
    assert forced.status_code == 200, forced.content
    assert not Customer.objects.filter(email=EMAIL).exists()
    assert Erasure.objects.get().forced is True


@pytest.mark.django_db
def test_a_legal_hold_refuses_even_a_forced_erasure(
    client_a: ClientPrincipal, manager_principal: StaffPrincipal
) -> None:
    ticket = new_ticket(client_a)
    LegalHold.objects.create(ticket=ticket, reason="court case 2026/118")
    response = manager_principal.client.post(
        ERASE, {"email": EMAIL, "force": True, "client_application": client_a.app.pk}, "json"
    )
    assert response.status_code == 409
    assert "legal hold" in response.json()["detail"]
    assert Customer.objects.filter(email=EMAIL).exists()


@pytest.mark.django_db
def test_the_same_address_at_another_application_is_another_customer(
    client_a: ClientPrincipal, client_b: ClientPrincipal
) -> None:
    new_ticket(client_b)
    assert client_a.client.post(ERASE, {"email": EMAIL}, "json").status_code == 404
    assert Customer.objects.filter(email=EMAIL, client_app=client_b.app).exists()


@pytest.mark.django_db
def test_an_e_mail_still_owed_to_an_erased_customer_is_skipped(
    client_a: ClientPrincipal, mailoutbox: list[object]
) -> None:
    from supportdesk.notifications.models import EmailDelivery
    from supportdesk.notifications.services import email_send

    ticket = new_ticket(client_a)
    Ticket.objects.filter(pk=ticket.pk).update(status="solved")
    client_a.client.post(ERASE, {"email": EMAIL}, "json")
    assert email_send(ticket_id=ticket.pk, kind="acknowledgement") is False
    assert EmailDelivery.objects.get(ticket_id=ticket.pk).status == "skipped"
    assert mailoutbox == []
