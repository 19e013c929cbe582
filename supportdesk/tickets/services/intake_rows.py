"""Writing a new ticket's rows: the customer (upserted), the ticket, its first message, its events.

On PostgreSQL one statement writes them all (data-modifying CTEs): one round trip instead of
five, and the customer row comes back whole, so answering needs no second read. Any other
database (the embedded SQLite of `make run`) gets the same rows from the ORM, one by one, inside
the caller's transaction. tests/tickets/test_intake_rows.py holds both writers to the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import psycopg
from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone

from supportdesk.core.database import on_postgresql
from supportdesk.tickets.models import Customer, Message, Ticket, TicketEvent

CUSTOMER_CONFLICT = ("client_app_id", "email")  # the customer_email_per_app constraint


Row = dict[str, Any]  # column (attname) → value; a column left out takes its field's default


@dataclass(frozen=True)
class NewRows:
    """The ticket is an unsaved instance (the answer is rendered from it); the rows nobody
    reads back are plain values: building model instances for them cost more than writing
    them. `customer_updates` are the fields a returning customer takes from this request
    (what it left blank keeps its stored value)."""

    customer: Row
    customer_updates: tuple[str, ...]
    ticket: Ticket
    message: Row
    events: tuple[Row, ...]


def rows_written_at_once() -> bool:
    """True when `rows_write` is one statement (PostgreSQL): atomic without a transaction."""
    return on_postgresql()


def rows_write(rows: NewRows) -> Ticket:
    """Insert the rows; the saved ticket comes back with its customer as stored. A unique
    violation (idempotency key) raises IntegrityError and writes nothing."""
    if rows_written_at_once():
        return _write_in_one_statement(rows)
    return _write_with_orm(rows)


def _write_with_orm(rows: NewRows) -> Ticket:
    given = Customer(**rows.customer)
    Customer.objects.bulk_create(
        [given],
        update_conflicts=True,
        unique_fields=["client_app", "email"],
        update_fields=[*rows.customer_updates, "updated_at"],
    )
    customer = Customer.objects.get(client_app_id=given.client_app_id, email=given.email)
    ticket = rows.ticket
    ticket.customer = customer
    ticket.save(force_insert=True)
    Message(ticket=ticket, **rows.message).save(force_insert=True)
    TicketEvent.objects.bulk_create([TicketEvent(ticket=ticket, **event) for event in rows.events])
    return ticket


Fields = tuple[Field[Any, Any], ...]


@cache
def _fields(model: type[Model], skip: str = "") -> Fields:
    """The columns an INSERT of `model` may write: all but its primary key and `skip`."""
    return tuple(
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.attname != skip
    )


# value types the field's own preparation returns unchanged: such values go to psycopg as they are
_PLAIN = {
    "CharField": str,
    "TextField": str,
    "IntegerField": int,
    "PositiveIntegerField": int,
    "PositiveSmallIntegerField": int,
    "BigIntegerField": int,
    "ForeignKey": int,
    "BooleanField": bool,
    "FloatField": float,
    "DateTimeField": datetime,  # when aware: a naive one gets Django's warning and conversion
}


@cache
def _plain_type(field: Field[Any, Any]) -> type | None:
    return _PLAIN.get(field.get_internal_type())


def _prepared(field: Field[Any, Any], value: Any) -> Any:
    if type(value) is not _plain_type(field) or (
        isinstance(value, datetime) and value.tzinfo is None
    ):
        return field.get_db_prep_save(value, connection)
    return value


def _shape(fields: Fields, values: Iterable[Any]) -> tuple[int, list[Any]]:
    """The columns an INSERT writes, as a mask over `fields` (the statement's shape), and their
    prepared values. NULLs are left out, the column's own NULL: fewer parameters keep the
    statement within psycopg's cache of parsed statements (at most 50 parameters)."""
    mask, params = 0, []
    for bit, (field, value) in enumerate(zip(fields, values, strict=True)):
        if value is not None:
            mask |= 1 << bit
            params.append(_prepared(field, value))
    return mask, params


def _instance_row(obj: Model, skip: str = "") -> tuple[int, list[Any]]:
    """`_shape` of an instance (timestamps stamped on the instance too)."""
    fields = _fields(type(obj), skip)
    return _shape(fields, (field.pre_save(obj, add=True) for field in fields))


@cache
def _stamped(field: Field[Any, Any]) -> bool:
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def _values_row(model: type[Model], given: Row, skip: str = "") -> tuple[int, list[Any]]:
    """`_shape` of plain values: a column not given takes its field's default (timestamps:
    now), as a new instance would."""
    fields = _fields(model, skip)
    now = timezone.now()
    return _shape(fields, (_given_or_default(field, given, now) for field in fields))


def _given_or_default(field: Field[Any, Any], given: Row, now: datetime) -> Any:
    if field.attname in given:
        return given[field.attname]
    if _stamped(field):
        return now
    return field.get_default()  # "" for text, None (left out) for nullable columns


def _chosen(model: type[Model], mask: int, skip: str = "") -> Fields:
    return tuple(field for bit, field in enumerate(_fields(model, skip)) if mask >> bit & 1)


def _column(field: Field[Any, Any] | Any) -> str:
    return connection.ops.quote_name(str(field.column))


def _columns_and_slots(fields: Fields) -> tuple[str, str]:
    columns = ", ".join(_column(field) for field in fields)
    slots = ", ".join(f"%s::{field.db_type(connection)}" for field in fields)
    return columns, slots


def _insert_select(
    model: type[Model], fields: Fields, parent: str, *, after: str = "", returning: str = "1"
) -> str:
    """INSERT … SELECT <typed placeholders>, <parent>.id FROM <parent> [, <after>] RETURNING …:
    naming the previous CTE makes PostgreSQL write the rows in order (ids follow event order)."""
    quote = connection.ops.quote_name
    columns, slots = _columns_and_slots(fields)
    link = "customer_id" if parent == "c" else "ticket_id"
    source = f"{parent}, {after}" if after else parent
    return (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}, {quote(link)}) "
        f"SELECT {slots}, {parent}.{quote('id')} FROM {source} RETURNING {returning}"
    )


@cache
def _statement(
    customer_mask: int,
    customer_updates: tuple[str, ...],
    ticket_mask: int,
    children: tuple[tuple[type[Model], int], ...],
) -> str:
    """The one statement, built once per shape (which columns each row writes) from model
    metadata; values are parameters."""
    quote = connection.ops.quote_name
    customer = _chosen(Customer, customer_mask)
    ticket = _chosen(Ticket, ticket_mask, "customer_id")
    updates = [
        *(_column(Customer._meta.get_field(name)) for name in customer_updates),
        quote("updated_at"),
    ]
    returned = ", ".join(_column(field) for field in Customer._meta.concrete_fields)
    columns, slots = _columns_and_slots(customer)
    upsert = (
        f"INSERT INTO {quote(Customer._meta.db_table)} ({columns}) VALUES ({slots}) "
        f"ON CONFLICT ({', '.join(map(quote, CUSTOMER_CONFLICT))}) DO UPDATE SET "
        + ", ".join(f"{column} = EXCLUDED.{column}" for column in updates)
        + f" RETURNING {returned}"
    )
    parts = [
        f"c AS ({upsert})",
        f"t AS ({_insert_select(Ticket, ticket, 'c', returning=quote('id'))})",
    ]
    previous = ""
    for number, (model, mask) in enumerate(children):
        fields = _chosen(model, mask, "ticket_id")
        parts.append(f"r{number} AS ({_insert_select(model, fields, 't', after=previous)})")
        previous = f"r{number}"
    customer_columns = ", ".join(f"c.{_column(field)}" for field in Customer._meta.concrete_fields)
    return f"WITH {', '.join(parts)} SELECT t.{quote('id')}, {customer_columns} FROM t, c"


@cache
def _attnames(model: type[Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _write_in_one_statement(rows: NewRows) -> Ticket:
    customer_mask, params = _values_row(Customer, rows.customer)
    ticket_mask, values = _instance_row(rows.ticket, "customer_id")
    params += values
    children = []
    for model, given in ((Message, rows.message), *((TicketEvent, event) for event in rows.events)):
        mask, values = _values_row(model, given, "ticket_id")
        children.append((model, mask))
        params += values
    sql = _statement(customer_mask, rows.customer_updates, ticket_mask, tuple(children))
    connection.ensure_connection()
    # a server-side-binding cursor (Django's own inline every value into the text), its
    # statement prepared once per connection: parsing and planning five inserts took PostgreSQL
    # longer than running them (DB_PREPARED_STATEMENTS=0 turns preparing off)
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        row = cursor.fetchone()
    if row is None:  # pragma: no cover - an INSERT … RETURNING always answers one row
        raise RuntimeError("the ticket insert returned no row")
    ticket_id, *customer_values = row
    # plain columns (text, timestamps, ids): psycopg's values are the model's values
    customer = Customer.from_db(connection.alias, _attnames(Customer), customer_values)
    ticket = rows.ticket
    ticket.pk = ticket_id
    ticket._state.adding = False
    ticket._state.db = connection.alias
    ticket.customer = customer
    return ticket
