"""Both writers of a new ticket's rows (one PostgreSQL statement; the ORM, which SQLite uses)
leave the same rows behind."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace

import pytest
from django.db import IntegrityError, connection, transaction
from django.forms.models import model_to_dict

from supportdesk.attachments.models import Attachment
from supportdesk.clients.models import ClientApplication
from supportdesk.notifications.models import WebhookDelivery, WebhookEndpoint
from supportdesk.tickets.commands import NewCustomer, NewTicket
from supportdesk.tickets.models import (
    AuthorKind,
    Customer,
    EventKind,
    Message,
    Ticket,
    TicketEvent,
)
from supportdesk.tickets.services import intake_rows, ticket_create
from supportdesk.tickets.services.intake_rows import NewRows
from tests.factories import ClientAppFactory, CustomerFactory

pytestmark = pytest.mark.django_db
Writer = Callable[[NewRows], Ticket]
WRITERS = {
    "one statement": intake_rows._write_in_one_statement,
    "orm": intake_rows._write_with_orm,
}
IGNORED = {"id", "public_id", "created_at", "updated_at", "customer", "ticket"}


def rows(app: ClientApplication, *, name: str = "", key: str | None = None) -> NewRows:
    return NewRows(
        customer={
            "client_app_id": app.pk,
            "email": "ana@example.pt",
            "name": name,
            "locale": "pt-PT",
        },
        customer_updates=("name", "locale") if name else ("locale",),
        ticket=Ticket(
            client_app=app,
            subject="Encomenda",
            language="pt-PT",
            language_source="detected",
            language_confidence=0.97,
            tags=["billing"],
            idempotency_key=key,
        ),
        message={"author_kind": AuthorKind.CUSTOMER, "body": "Ainda não chegou."},
        events=(
            {"kind": EventKind.CREATED, "actor_label": app.name},
            {"kind": EventKind.LANGUAGE_SET, "data": {"language": "pt-PT"}},
        ),
    )


def stored(ticket: Ticket) -> dict[str, object]:
    def plain(instance: object) -> dict[str, object]:
        return {k: v for k, v in model_to_dict(instance).items() if k not in IGNORED}  # type: ignore[arg-type]

    fresh = Ticket.objects.get(pk=ticket.pk)
    return {
        "ticket": plain(fresh),
        "customer": plain(fresh.customer),
        "messages": [plain(m) for m in Message.objects.filter(ticket=fresh)],
        "events": [plain(e) for e in TicketEvent.objects.filter(ticket=fresh).order_by("id")],
    }


def test_both_writers_leave_the_same_rows() -> None:
    results = []
    for write in WRITERS.values():
        app = ClientAppFactory(name="help-centre")
        ticket = write(rows(app, name="Ana"))
        results.append(stored(ticket))
        Ticket.objects.filter(pk=ticket.pk).delete()

    assert results[0] == results[1]
    assert results[0]["customer"]["name"] == "Ana"
    assert [e["kind"] for e in results[0]["events"]] == ["created", "language_set"]


@pytest.mark.parametrize("name", WRITERS)
def test_a_returning_customer_keeps_what_the_request_leaves_blank(name: str) -> None:
    app = ClientAppFactory()
    CustomerFactory(client_app=app, email="ana@example.pt", name="Ana Sousa", country="PT")

    ticket = WRITERS[name](rows(app))  # no name given this time

    assert ticket.customer.name == "Ana Sousa"  # the returned instance is the stored row
    assert ticket.customer.country == "PT"
    assert ticket.customer.locale == "pt-PT"
    assert Customer.objects.filter(client_app=app).count() == 1
    assert ticket.reference == f"SD-{ticket.pk + 10000}"


@pytest.mark.parametrize("name", WRITERS)
def test_a_duplicate_idempotency_key_writes_nothing(name: str) -> None:
    app = ClientAppFactory()
    WRITERS[name](rows(app, key="k-1"))
    counts = (Ticket.objects.count(), Message.objects.count(), TicketEvent.objects.count())

    with pytest.raises(IntegrityError), transaction.atomic():
        WRITERS[name](rows(app, name="Someone else", key="k-1"))

    assert (Ticket.objects.count(), Message.objects.count(), TicketEvent.objects.count()) == counts
    assert Customer.objects.get(client_app=app).name == ""


def _create(app: ClientApplication, key: str) -> tuple[Ticket, bool]:
    return ticket_create(
        client_app=app,
        new=NewTicket(
            subject="Levering",
            body="Mijn pakket is niet aangekomen.",
            customer=NewCustomer(email="jan@example.nl"),
            language="nl",
        ),
        idempotency_key=key,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_one_statement_creates_and_a_duplicate_replays() -> None:
    # given autocommit, as in a web request, and no webhook endpoint: no BEGIN/COMMIT at all
    app = ClientAppFactory()
    ticket, created = _create(app, "k-1")
    # when the same key comes again
    again, created_again = _create(app, "k-1")
    # then the failed insert aborted nothing: the original ticket answers
    assert (created, created_again) == (True, False)
    assert again.pk == ticket.pk
    assert Message.objects.filter(ticket=ticket).count() == 1
    assert TicketEvent.objects.filter(ticket=ticket).count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_webhook_rows_commit_with_the_ticket() -> None:
    app = ClientAppFactory()
    WebhookEndpoint.objects.create(
        client_app=app, url="https://hooks.example.com/t", events=["ticket.created"]
    )

    ticket, _created = _create(app, "k-2")

    assert WebhookDelivery.objects.filter(ticket_id=ticket.pk, event="ticket.created").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_one_statement_is_prepared_once_per_connection() -> None:
    app = ClientAppFactory()
    for key in ("k-3", "k-4", "k-5"):
        _create(app, key)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'WITH c AS%%'"
        )
        assert cursor.fetchone() == (1,)


def _attachment(number: int) -> Attachment:
    return Attachment(
        id=uuid.uuid4(),
        name=f"factura-{number}.pdf",
        content_type="application/pdf",
        size=1000 + number,
        sha256=f"{number:064x}",
        storage_key=f"attachments/2026/12/05/{uuid.uuid4().hex}",
    )


@pytest.mark.parametrize("name", WRITERS)
def test_the_files_rows_are_written_with_the_opening_message(name: str) -> None:
    # given two stored files' rows, unsaved and without a message
    app = ClientAppFactory()
    files = (_attachment(1), _attachment(2))
    # when the ticket's rows are written with them
    ticket = WRITERS[name](replace(rows(app), attachments=files))
    # then they belong to the opening message, in order, and the instances say so
    opening = Message.objects.get(ticket=ticket)
    saved = list(Attachment.objects.filter(message=opening))
    assert [a.pk for a in saved] == [a.pk for a in files]
    assert [(a.name, a.size, a.sha256) for a in saved] == [
        (f.name, f.size, f.sha256) for f in files
    ]
    assert all(f.message_id == opening.pk and not f._state.adding for f in files)


@pytest.mark.parametrize("name", WRITERS)
def test_a_duplicate_key_writes_no_file_rows(name: str) -> None:
    app = ClientAppFactory()
    WRITERS[name](rows(app, key="k-1"))
    files = (_attachment(1),)

    with pytest.raises(IntegrityError), transaction.atomic():
        WRITERS[name](replace(rows(app, key="k-1"), attachments=files))

    assert not Attachment.objects.exists()
    assert files[0]._state.adding  # not written: `attachments_staged` deletes its file
