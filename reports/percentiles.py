"""Percentiles of a column, computed by the database.

The method is PostgreSQL's `percentile_cont` (the "linear interpolation between closest ranks"
method, also `statistics.quantiles(method="inclusive")` and numpy's default): for n sorted values
x[0] <= ... <= x[n-1] and a fraction p, let r = p * (n - 1), k = floor(r), f = r - k; the
percentile is x[k] + f * (x[k+1] - x[k]) (just x[k] when f is 0 or k is the last index). No value
→ None. The median is p = 0.5.

- PostgreSQL: the `PercentileCont` ordered-set aggregate, inside the same query as the other figures.
- Other databases (SQLite): `percentile_by_offset` asks the database for x[k] and x[k+1] only
  (ORDER BY the column, LIMIT 2 OFFSET k), so no ticket list is ever loaded into Python. The
  interpolation is done in double precision, as PostgreSQL does, so both agree.

The dashboard then rounds the result to whole seconds, halves away from zero (`whole_seconds`).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Aggregate, FloatField, QuerySet


class PercentileCont(Aggregate):
    """`percentile_cont(p) WITHIN GROUP (ORDER BY expression)` (PostgreSQL only)."""

    function = "percentile_cont"
    name = "PercentileCont"
    output_field = FloatField()
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, *, fraction: float, **extra):
        fraction = float(fraction)
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be between 0 and 1")
        super().__init__(expression, fraction=repr(fraction), **extra)

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor != "postgresql":
            raise NotImplementedError("PercentileCont needs PostgreSQL; use percentile_by_offset elsewhere.")
        return super().as_sql(compiler, connection, **extra_context)


def rank_of(fraction: float, count: int) -> tuple[int, float]:
    """(k, f) for the fraction p of n values: r = p * (n - 1), k = floor(r), f = r - k."""
    rank = fraction * (count - 1)
    lower = math.floor(rank)
    return lower, rank - lower


def interpolate(lower: float, upper: float | None, proportion: float) -> float:
    if upper is None or proportion == 0:
        return float(lower)
    return float(lower) + proportion * (float(upper) - float(lower))


def percentile_by_offset(values: QuerySet, *, field: str, fraction: float, count: int) -> float | None:
    """The percentile of `field` over the rows of `values` (which has `count` rows with a non-null
    `field`; the caller knows it from its aggregate query): one query, at most two rows."""
    if count <= 0:
        return None
    lower, proportion = rank_of(fraction, count)
    pair = list(
        values.filter(**{f"{field}__isnull": False}).order_by(field).values_list(field, flat=True)[lower:lower + 2]
    )
    if not pair:
        return None
    return interpolate(pair[0], pair[1] if len(pair) > 1 else None, proportion)


def whole_seconds(value: float | None) -> int | None:
    """Round a percentile to whole seconds, halves away from zero (2.5 → 3)."""
    if value is None:
        return None
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))
