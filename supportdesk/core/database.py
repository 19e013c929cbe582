"""Which database serves this connection: the one place that asks (PostgreSQL in production and
tests, SQLite for the embedded demo)."""

from django.db import connection


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"
