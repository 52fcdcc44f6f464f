"""Reading and checking inputs: targets, instants, calendar definitions."""

import pickle
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from calendars import de_nrw_standard, us_east
from hypothesis import given
from hypothesis import strategies as st
from strategies import settings_for

from sla.engine import (
    BusinessCalendar,
    CalendarError,
    EngineError,
    InstantError,
    OutOfRangeError,
    Target,
    TargetError,
    add_business_time,
    add_working_days,
    deadline,
    format_instant,
    is_open,
    parse_instant,
    parse_target,
)

NINE_TO_FIVE = {day: ["09:00-17:00"] for day in range(5)}


class TestTargets:
    @pytest.mark.parametrize(
        ("text", "target", "canonical"),
        [
            ("6h", Target(seconds=21600), "6h"),
            ("90m", Target(seconds=5400), "90m"),
            ("3600s", Target(seconds=3600), "1h"),
            ("0.25h", Target(seconds=900), "15m"),
            ("1.5d", Target(days=Fraction(3, 2)), "1.5d"),
            ("1d", Target(days=Fraction(1)), "1d"),
            ("10d", Target(days=Fraction(10)), "10d"),
            ("0.125d", Target(days=Fraction(1, 8)), "0.125d"),
            (" 61s ", Target(seconds=61), "61s"),
        ],
    )
    def test_parses_exactly_and_prints_a_canonical_form(self, text, target, canonical):
        parsed = parse_target(text)
        assert parsed == target
        assert str(parsed) == canonical
        assert parse_target(str(parsed)) == parsed

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "cannot read target"),
            ("h", "cannot read target"),
            ("1,5d", "cannot read target"),
            ("1e3s", "cannot read target"),
            ("6", "no unit"),
            ("6x", "unknown unit 'x'"),
            ("6H", "unknown unit 'H'"),
            ("0h", "must be positive"),
            ("-1h", "must be positive"),
            ("0.5s", "not a whole number of seconds"),
            ("0.001h", "not a whole number of seconds"),
        ],
    )
    def test_rejects_bad_targets_with_a_clear_message(self, text, message):
        with pytest.raises(TargetError, match=message):
            parse_target(text)

    def test_rejects_non_text(self):
        with pytest.raises(TargetError):
            parse_target(6)

    @pytest.mark.parametrize(
        "kwargs",
        [
            {},
            {"seconds": 1, "days": Fraction(1)},
            {"seconds": 0},
            {"seconds": 1.5},
            {"seconds": True},
            {"days": 0},
            {"days": 1.5},
            {"days": Fraction(1, 3)},
        ],
    )
    def test_target_checks_its_fields(self, kwargs):
        with pytest.raises(TargetError):
            Target(**kwargs)

    @settings_for(200)
    @given(seconds=st.integers(1, 10**7))
    def test_durations_round_trip_through_text(self, seconds):
        assert parse_target(str(Target(seconds=seconds))) == Target(seconds=seconds)

    @settings_for(200)
    @given(number=st.integers(1, 10**6), places=st.integers(0, 4))
    def test_working_days_round_trip_through_text(self, number, places):
        target = Target(days=Fraction(number, 10**places))
        assert parse_target(str(target)) == target

    @pytest.mark.parametrize("seconds", [0, -5, 1.5, True, "60"])
    def test_add_business_time_needs_positive_whole_seconds(self, seconds):
        with pytest.raises(TargetError):
            add_business_time(de_nrw_standard(), parse_instant("2026-02-16T09:00Z"), seconds)

    @pytest.mark.parametrize("days", [0, -1, 1.5, "1.5", Decimal("NaN")])
    def test_add_working_days_needs_exact_positive_days(self, days):
        with pytest.raises(TargetError):
            add_working_days(de_nrw_standard(), parse_instant("2026-02-16T09:00Z"), days)

    def test_deadline_needs_a_target(self):
        with pytest.raises(TargetError):
            deadline(de_nrw_standard(), parse_instant("2026-02-16T09:00Z"), "6h")


class TestInstants:
    @pytest.mark.parametrize(
        ("text", "utc"),
        [
            ("2026-12-23T15:30+01:00", "2026-12-23T14:30:00+00:00"),
            ("2026-12-23T15:30:05Z", "2026-12-23T15:30:05+00:00"),
            ("2026-12-23 15:30:00-0500", "2026-12-23T20:30:00+00:00"),
            ("2026-12-23T15:30:00+05:30", "2026-12-23T10:00:00+00:00"),
        ],
    )
    def test_parses_iso_8601_with_an_offset(self, text, utc):
        assert parse_instant(text).astimezone(UTC).isoformat() == utc

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("2026-12-23T15:30:00", "no UTC offset"),
            ("2026-12-23T15:30:00.5+01:00", "fractional seconds"),
            ("2026-12-23T15:30:00,000Z", "fractional seconds"),
            ("2026-12-23", "cannot read instant"),
            ("2026-02-30T10:00Z", "not a valid date"),
            ("2026-12-23T25:00Z", "not a valid date"),
            ("2026-12-23T10:00+01:75", "invalid UTC offset"),
            ("tomorrow", "cannot read instant"),
        ],
    )
    def test_rejects_bad_instants(self, text, message):
        with pytest.raises(InstantError, match=message):
            parse_instant(text)

    def test_engine_refuses_naive_and_sub_second_datetimes(self):
        cal = de_nrw_standard()
        with pytest.raises(InstantError, match="naive"):
            is_open(cal, datetime(2026, 2, 16, 10))
        with pytest.raises(InstantError, match="sub-second"):
            is_open(cal, datetime(2026, 2, 16, 10, microsecond=1, tzinfo=UTC))
        with pytest.raises(InstantError):
            is_open(cal, date(2026, 2, 16))

    def test_engine_refuses_a_tzinfo_without_offset(self):
        class Vague(tzinfo):
            def utcoffset(self, dt):
                return None

        with pytest.raises(InstantError):
            add_business_time(de_nrw_standard(), datetime(2026, 2, 16, 10, tzinfo=Vague()), 60)

    @pytest.mark.parametrize(
        ("calendar", "utc", "shown"),
        [
            (de_nrw_standard, "2027-01-04T12:30:00Z", "2027-01-04T13:30:00+01:00"),
            (de_nrw_standard, "2027-07-05T12:30:00Z", "2027-07-05T14:30:00+02:00"),
            (de_nrw_standard, "2026-10-25T00:30:00Z", "2026-10-25T02:30:00+02:00"),  # first 02:30
            (de_nrw_standard, "2026-10-25T01:30:00Z", "2026-10-25T02:30:00+01:00"),  # second 02:30
            (us_east, "2026-03-09T14:00:00Z", "2026-03-09T10:00:00-04:00"),
            (us_east, "2026-03-07T14:00:00Z", "2026-03-07T09:00:00-05:00"),
        ],
    )
    def test_format_uses_the_calendar_zone_offset_at_that_instant(self, calendar, utc, shown):
        assert format_instant(parse_instant(utc), calendar()) == shown

    def test_errors_are_value_errors(self):
        for error in (CalendarError, TargetError, InstantError, OutOfRangeError):
            assert issubclass(error, EngineError)
        assert issubclass(EngineError, ValueError)


class TestCalendars:
    @pytest.mark.parametrize(
        ("hours", "message"),
        [
            ({0: ["09:00-12:00", "11:00-17:00"]}, "Monday: ranges 09:00-12:00 and 11:00-17:00 overlap"),
            ({1: ["09:00-09:00"]}, "Tuesday: range 09:00-09:00 is empty"),
            ({2: ["17:00-09:00"]}, "Wednesday: range 17:00-09:00 is reversed"),
            ({3: ["9-17"]}, "Thursday: cannot read range '9-17'"),
            ({4: ["24:00-24:30"]}, "Friday: range '24:00-24:30' is not a valid time"),
            ({5: ["09:60-10:00"]}, "Saturday: range '09:60-10:00' is not a valid time"),
            ({7: ["09:00-17:00"]}, "weekday must be 0"),
            ({}, "no support hours on any weekday"),
        ],
    )
    def test_from_hours_rejects_bad_ranges_naming_weekday_and_range(self, hours, message):
        with pytest.raises(CalendarError, match=message):
            BusinessCalendar.from_hours("x", "Europe/Berlin", hours)

    @pytest.mark.parametrize(
        ("weekly", "message"),
        [
            ([[(0, 1441)]] + [[]] * 6, "Monday: range 0-1441 is outside 00:00-24:00"),
            ([[]] * 6 + [[(-1, 60)]], "Sunday: range -1-60 is outside"),
            ([[(540, 1020)]] * 6, "need 7 entries"),
            ([[(540.0, 1020)]] + [[]] * 6, "whole minutes"),
            ([[(540,)]] + [[]] * 6, "not an \\(open, close\\) pair"),
        ],
    )
    def test_weekly_ranges_are_validated(self, weekly, message):
        with pytest.raises(CalendarError, match=message):
            BusinessCalendar("x", "Europe/Berlin", weekly)

    def test_unknown_zone_is_named(self):
        with pytest.raises(CalendarError, match="unknown time zone 'Europe/Bonn'"):
            BusinessCalendar.from_hours("x", "Europe/Bonn", NINE_TO_FIVE)
        with pytest.raises(CalendarError, match="unknown time zone"):
            BusinessCalendar.from_hours("x", "../etc/passwd", NINE_TO_FIVE)

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"closed": {datetime(2026, 1, 1): "Neujahr"}}, "is not a date"),
            ({"closed": {date(2026, 1, 1): ""}}, "needs a reason"),
            ({"closed": [(date(2026, 1, 1), "a"), (date(2026, 1, 1), "b")]}, "listed twice"),
            ({"covered": (date(2030, 1, 1), date(2020, 1, 1))}, "reversed"),
        ],
    )
    def test_closed_dates_and_covered_range_are_validated(self, kwargs, message):
        with pytest.raises(CalendarError, match=message):
            BusinessCalendar.from_hours("x", "Europe/Berlin", NINE_TO_FIVE, **kwargs)

    def test_normalised_hashable_and_picklable(self):
        first = BusinessCalendar.from_hours(
            "x",
            "Europe/Berlin",
            {0: ["13:00-17:00", "09:00-12:00"]},
            closed={date(2026, 5, 1): "Tag der Arbeit", date(2026, 1, 1): "Neujahr"},
        )
        assert first.weekly[0] == ((540, 720), (780, 1020))
        assert first.closed == ((date(2026, 1, 1), "Neujahr"), (date(2026, 5, 1), "Tag der Arbeit"))
        assert first.closed_reason(date(2026, 5, 1)) == "Tag der Arbeit"
        assert first.closed_reason(date(2026, 5, 2)) is None
        again = pickle.loads(pickle.dumps(first))  # noqa: S301 - our own bytes
        assert again == first and hash(again) == hash(first)
        assert len({first, again}) == 1
        assert first.zone == ZoneInfo("Europe/Berlin")

    def test_equal_calendars_give_equal_answers(self):
        start = parse_instant("2026-12-23T15:30+01:00")
        twin = BusinessCalendar(*de_nrw_standard().__reduce__()[1])
        assert twin is not de_nrw_standard()
        assert deadline(twin, start, parse_target("6h")) == deadline(de_nrw_standard(), start, parse_target("6h"))

    def test_midnight_close_is_allowed(self):
        cal = BusinessCalendar.from_hours("late", "Europe/Berlin", {0: "20:00-24:00"})
        assert cal.weekly[0] == ((1200, 1440),)
        start = parse_instant("2026-02-16T23:00:00+01:00")
        assert format_instant(add_business_time(cal, start, 3600), cal) == "2026-02-17T00:00:00+01:00"
        assert format_instant(add_business_time(cal, start, 3601), cal) == "2026-02-23T20:00:01+01:00"


def test_a_utc_offset_with_seconds_is_fine_but_microseconds_are_not():
    cal = de_nrw_standard()
    odd = timezone(timedelta(hours=1, seconds=30))
    assert is_open(cal, datetime(2026, 2, 16, 10, 0, 30, tzinfo=odd))
    with pytest.raises(InstantError):
        is_open(cal, datetime(2026, 2, 16, 10, tzinfo=timezone(timedelta(microseconds=5))))
