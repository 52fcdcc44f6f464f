"""The calendars of SEMANTICS.md §1 plus the two synthetic ones, built for the engine tests."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

from sla.engine import BusinessCalendar

YEARS = range(2020, 2036)
COVERED = (date(2020, 1, 1), date(2035, 12, 31))
CLOSURE = (date(2026, 12, 24), date(2027, 1, 1))  # Betriebsferien of de-nrw-standard


def nrw_holidays() -> dict[date, str]:
    """NRW public holidays 2020-2035, German names."""
    found = holidays.country_holidays("DE", subdiv="NW", years=YEARS, categories=("public",), language="de")
    return dict(found.items())


def us_holidays() -> dict[date, str]:
    """US federal holidays 2020-2035 on their observed dates as well."""
    found = holidays.country_holidays("US", years=YEARS, observed=True, categories=("public",))
    return dict(found.items())


def closure_days() -> dict[date, str]:
    """The single company closure of de-nrw-standard (holidays inside it keep their own name)."""
    first, last = CLOSURE
    return {first + timedelta(days=n): "Betriebsferien" for n in range((last - first).days + 1)}


@cache
def de_nrw_standard() -> BusinessCalendar:
    return BusinessCalendar.from_hours(
        "de-nrw-standard",
        "Europe/Berlin",
        {day: ["09:00-17:00"] for day in range(4)} | {4: ["09:00-16:00"]},
        closed=closure_days() | nrw_holidays(),
        covered=COVERED,
    )


@cache
def us_east() -> BusinessCalendar:
    return BusinessCalendar.from_hours(
        "us-east",
        "America/New_York",
        {day: ["09:00-17:00"] for day in range(5)},
        closed=us_holidays(),
        covered=COVERED,
    )


@cache
def pos_extended() -> BusinessCalendar:
    return BusinessCalendar.from_hours(
        "pos-extended",
        "Europe/Berlin",
        {day: ["09:00-20:00"] for day in range(6)},
        closed=nrw_holidays(),
        covered=COVERED,
    )


@cache
def always_open_berlin() -> BusinessCalendar:
    return BusinessCalendar.from_hours("test-24x7-berlin", "Europe/Berlin", {day: ["00:00-24:00"] for day in range(7)})


@cache
def night_berlin() -> BusinessCalendar:
    return BusinessCalendar.from_hours("test-night-berlin", "Europe/Berlin", {day: ["01:00-04:00"] for day in range(7)})


def real_calendars() -> list[BusinessCalendar]:
    return [de_nrw_standard(), us_east(), pos_extended()]


def all_calendars() -> list[BusinessCalendar]:
    return [*real_calendars(), always_open_berlin(), night_berlin()]
