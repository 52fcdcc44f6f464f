"""The worked examples of SEMANTICS.md §6, and the holiday facts of §1 they rely on."""

from datetime import date

import pytest
from calendars import de_nrw_standard, night_berlin, pos_extended, us_east

from sla.engine import deadline, format_instant, is_open, parse_instant, parse_target

EXAMPLES = [
    (1, de_nrw_standard, "2026-12-23T15:30+01:00", "6h", "2027-01-04T13:30:00+01:00"),
    (2, de_nrw_standard, "2026-12-23T15:30+01:00", "1.5d", "2027-01-05T11:30:00+01:00"),
    (3, de_nrw_standard, "2026-02-12T13:00+01:00", "1.5d", "2026-02-13T16:00:00+01:00"),
    (4, de_nrw_standard, "2026-02-13T12:00+01:00", "1.5d", "2026-02-16T16:25:43+01:00"),
    (5, de_nrw_standard, "2026-12-22T13:00+01:00", "1.5d", "2026-12-23T17:00:00+01:00"),
    (6, de_nrw_standard, "2027-03-25T14:00+01:00", "6h", "2027-03-30T12:00:00+02:00"),
    (7, de_nrw_standard, "2026-10-23T15:00+02:00", "6h", "2026-10-26T14:00:00+01:00"),
    (8, us_east, "2026-03-09T15:00+01:00", "6h", "2026-03-09T16:00:00-04:00"),
    (9, us_east, "2027-12-30T14:00-05:00", "6h", "2028-01-03T12:00:00-05:00"),
    (10, pos_extended, "2026-02-13T17:00+01:00", "1.5d", "2026-02-16T11:30:00+01:00"),
    (11, de_nrw_standard, "2028-02-28T14:00+01:00", "6h", "2028-02-29T12:00:00+01:00"),
    (12, night_berlin, "2026-10-24T01:00+02:00", "6h", "2026-10-25T03:00:00+01:00"),
]


@pytest.mark.parametrize(
    ("number", "calendar", "start", "target", "expected"), EXAMPLES, ids=[f"example-{e[0]}" for e in EXAMPLES]
)
def test_worked_example_gives_the_documented_deadline(number, calendar, start, target, expected):
    cal = calendar()
    result = deadline(cal, parse_instant(start), parse_target(target))
    assert format_instant(result, cal) == expected
    assert result.tzinfo.key == cal.tz


def _open_at_ten(calendar, day: date) -> bool:
    return is_open(calendar, parse_instant(f"{day.isoformat()}T10:00:00Z").astimezone(calendar.zone).replace(hour=10))


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        (date(2026, 12, 24), False),  # Betriebsferien
        (date(2027, 1, 1), False),  # Neujahr (and the last closure day)
        (date(2027, 12, 24), True),  # the closure does not recur
        (date(2027, 12, 31), True),
        (date(2026, 2, 16), True),  # Rosenmontag is no NRW holiday
        (date(2026, 1, 6), True),  # Heilige Drei Könige neither
        (date(2026, 6, 4), False),  # Fronleichnam
        (date(2026, 11, 2), True),  # after Allerheiligen (a Sunday in 2026)
    ],
)
def test_de_nrw_standard_closed_dates_follow_the_law_and_the_closure(day, open_):
    assert _open_at_ten(de_nrw_standard(), day) is open_


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        (date(2027, 12, 31), False),  # New Year's Day 2028 observed on Friday
        (date(2026, 4, 3), True),  # Good Friday is no federal holiday
        (date(2026, 11, 27), True),  # day after Thanksgiving
        (date(2026, 11, 26), False),  # Thanksgiving
        (date(2027, 6, 18), False),  # Juneteenth observed (19 June 2027 is a Saturday)
        (date(2026, 7, 3), False),  # Independence Day observed (4 July 2026 is a Saturday)
    ],
)
def test_us_east_closes_on_observed_federal_holidays_only(day, open_):
    assert _open_at_ten(us_east(), day) is open_


def test_pos_extended_opens_on_saturday_but_not_on_holidays():
    cal = pos_extended()
    assert _open_at_ten(cal, date(2026, 2, 14))  # Saturday
    assert not _open_at_ten(cal, date(2026, 2, 15))  # Sunday
    assert not _open_at_ten(cal, date(2026, 12, 26))  # Zweiter Weihnachtstag on a Saturday
    assert _open_at_ten(cal, date(2026, 12, 24))  # no company closure here
