"""Which database serves this connection: the one place that asks (PostgreSQL in production and
tests, SQLite for the embedded demo); and the few PostgreSQL statements prepared once per
connection."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import psycopg
from django.db import connection


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def prepared_rows(
    sql: str, params: Sequence[object] | Mapping[str, object]
) -> list[tuple[Any, ...]]:
    """PostgreSQL: run `sql` on a server-side-binding cursor, prepared once per connection, and
    return its rows. For the statements that run on every routing message, where Django's
    query building and PostgreSQL's parsing and planning cost more than the work (a primary-key
    read: ~0.5 ms of CPU through the ORM, ~0.06 ms so). Counted in `connection.queries` when
    queries are logged (tests' query budgets, DEBUG), as Django's own cursor does."""
    connection.ensure_connection()
    started = time.monotonic()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        rows = cursor.fetchall() if cursor.description is not None else []
    if connection.queries_logged:
        connection.queries_log.append(
            {"sql": f"/* prepared */ {sql}", "time": f"{time.monotonic() - started:.3f}"}
        )
    return rows
