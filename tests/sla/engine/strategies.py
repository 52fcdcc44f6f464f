"""Hypothesis strategies for the engine tests: instants, zones to express them in, targets."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from oracle import as_datetime


def _utc(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())


FIRST, LAST = _utc(2026, 1, 1), _utc(2029, 1, 1)

# clock changes: Europe/Berlin 2026-03-29, 2026-10-25, 2027-03-28 (Easter), 2027-10-31;
# America/New_York 2026-03-08, 2026-11-01, 2027-03-14, 2027-11-07
CLOCK_CHANGES = [
    _utc(2026, 3, 29, 1),
    _utc(2026, 10, 25, 1),
    _utc(2027, 3, 28, 1),
    _utc(2027, 10, 31, 1),
    _utc(2026, 3, 8, 7),
    _utc(2026, 11, 1, 6),
    _utc(2027, 3, 14, 7),
    _utc(2027, 11, 7, 6),
]
ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"]


def settings_for(examples: int) -> settings:
    """No example database (nothing written to the repository), no per-example deadline."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


def _snap(pair: tuple[int, int]) -> int:
    instant, grain = pair
    return instant - instant % grain


def instants(first: int = FIRST, last: int = LAST) -> st.SearchStrategy[int]:
    """Epoch seconds, often near a clock change and often on a whole minute or hour."""
    anywhere = st.integers(first, last)
    near_change = st.sampled_from(CLOCK_CHANGES).flatmap(
        lambda change: st.integers(change - 4 * 86400, change + 4 * 86400)
    )
    return st.tuples(st.one_of(anywhere, near_change), st.sampled_from([1, 60, 900, 3600])).map(_snap)


def moments(first: int = FIRST, last: int = LAST) -> st.SearchStrategy[datetime]:
    """Aware datetimes for :func:`instants`, expressed in one of several zones."""
    return st.builds(as_datetime, instants(first, last), st.sampled_from(ZONES))


def working_days(largest: int = 2) -> st.SearchStrategy[Fraction]:
    """Positive working-day amounts, decimal or not (sevenths and thirds force rounding)."""
    decimal = st.integers(1, 100 * largest).map(lambda n: Fraction(n, 100))
    odd = st.builds(Fraction, st.integers(1, 7 * largest), st.sampled_from([3, 7, 11]))
    return st.one_of(decimal, odd)
