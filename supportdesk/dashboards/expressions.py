"""Database expressions the dashboard needs and Django lacks: durations in seconds, percentiles.

Percentiles: PostgreSQL computes them with the ordered-set aggregate `percentile_cont` (linear
interpolation between the two nearest ranks). SQLite has no such aggregate; there the selectors
fetch the (bounded, windowed) durations and `percentile_cont` below interpolates them the same
way in Python. The demo's SQLite database is small; production runs on PostgreSQL.
"""

import math
from collections.abc import Sequence
from typing import Any, TypeAlias

from django.db import NotSupportedError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Aggregate, Expression, FloatField, Func, Q
from django.db.models.sql.compiler import SQLCompiler

_SQL: TypeAlias = tuple[str, Any]


class SecondsBetween(Func):
    """`end - start` in seconds (float); NULL when either is NULL."""

    output_field = FloatField()

    def __init__(self, end: str | Expression, start: str | Expression) -> None:
        super().__init__(end, start)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> _SQL:
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM (%(expressions)s))::double precision",
            arg_joiner=" - ",
            **extra_context,
        )

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> _SQL:
        return self.as_sql(
            compiler,
            connection,
            template="ROUND((julianday(%(expressions)s)) * 86400.0, 3)",  # ms: julianday is a float
            arg_joiner=") - julianday(",
            **extra_context,
        )


class PercentileCont(Aggregate):
    """PostgreSQL's `percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)`."""

    function = "percentile_cont"
    name = "PercentileCont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Expression, *, fraction: float, filter: Q | None = None) -> None:
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be within [0, 1]")
        super().__init__(expression, filter=filter, fraction=repr(float(fraction)))

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> _SQL:
        raise NotSupportedError("SQLite has no percentile_cont; use percentile_cont() in Python")


def percentile_cont(values: Sequence[float], fraction: float) -> float | None:
    """Python twin of PostgreSQL's percentile_cont over already-sorted `values`."""
    if not values:
        return None
    position = fraction * (len(values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)
