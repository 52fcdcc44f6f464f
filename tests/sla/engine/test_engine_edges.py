"""Edge cases of deadlines, working days, elapsed time and the covered range."""

from datetime import date, datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from calendars import always_open_berlin, de_nrw_standard, night_berlin, us_east
from oracle import epoch

from sla.engine import (
    BusinessCalendar,
    EngineError,
    OutOfRangeError,
    add_business_time,
    add_working_days,
    closed_days_between,
    deadline,
    elapsed,
    format_instant,
    is_open,
    next_opening,
    parse_instant,
    parse_target,
)
from sla.engine import timeline as engine_timeline

HOUR = 3600
SERVICE_DESK = BusinessCalendar.from_hours(
    "test-service-desk", "Europe/Berlin", {day: ["13:00-17:00", "08:30-12:00"] for day in range(5)}
)


def at(text: str) -> datetime:
    return parse_instant(text)


def shown(calendar: BusinessCalendar, moment: datetime) -> str:
    return format_instant(moment, calendar)


class TestStartAtTheEdgesOfAWindow:
    def test_start_exactly_at_opening_counts_from_that_instant(self):
        cal = de_nrw_standard()
        assert is_open(cal, at("2026-02-16T09:00:00+01:00"))
        assert shown(cal, add_business_time(cal, at("2026-02-16T09:00+01:00"), HOUR)) == "2026-02-16T10:00:00+01:00"

    def test_start_exactly_at_closing_waits_for_the_next_opening(self):
        cal = de_nrw_standard()
        assert not is_open(cal, at("2026-02-16T17:00:00+01:00"))
        assert shown(cal, add_business_time(cal, at("2026-02-16T17:00+01:00"), 1)) == "2026-02-17T09:00:01+01:00"

    def test_target_used_up_at_closing_is_reported_as_the_closing_instant(self):
        cal = de_nrw_standard()
        assert shown(cal, add_business_time(cal, at("2026-02-16T16:00+01:00"), HOUR)) == "2026-02-16T17:00:00+01:00"
        assert shown(cal, add_business_time(cal, at("2026-02-13T15:00+01:00"), HOUR)) == "2026-02-13T16:00:00+01:00"
        assert shown(cal, add_business_time(cal, at("2026-02-16T16:00+01:00"), HOUR + 1)) == "2026-02-17T09:00:01+01:00"

    def test_start_on_a_holiday_begins_on_the_next_open_day(self):
        cal = de_nrw_standard()  # Fronleichnam, Thursday 4 June 2026
        assert shown(cal, add_business_time(cal, at("2026-06-04T10:00+02:00"), HOUR)) == "2026-06-05T10:00:00+02:00"
        assert (
            shown(cal, add_working_days(cal, at("2026-06-04T10:00+02:00"), Fraction(1))) == "2026-06-05T16:00:00+02:00"
        )

    def test_start_given_in_another_offset_is_converted(self):
        cal = us_east()  # 14:00 UTC is 09:00 EST (Tuesday; Monday 16th is Washington's Birthday)
        assert shown(cal, add_business_time(cal, at("2026-02-17T14:00:00Z"), HOUR)) == "2026-02-17T10:00:00-05:00"


class TestWorkingDays:
    def test_start_before_opening_gets_the_whole_day(self):
        cal = de_nrw_standard()
        assert (
            shown(cal, add_working_days(cal, at("2026-02-16T07:00+01:00"), Fraction(1))) == "2026-02-16T17:00:00+01:00"
        )
        assert (
            shown(cal, add_working_days(cal, at("2026-02-16T07:00+01:00"), Fraction(1, 2)))
            == "2026-02-16T13:00:00+01:00"
        )

    def test_start_at_closing_or_on_a_weekend_starts_with_the_next_open_day(self):
        cal = de_nrw_standard()
        assert (
            shown(cal, add_working_days(cal, at("2026-02-16T17:00+01:00"), Fraction(1))) == "2026-02-17T17:00:00+01:00"
        )
        assert (
            shown(cal, add_working_days(cal, at("2026-02-14T11:00+01:00"), Fraction(1))) == "2026-02-16T17:00:00+01:00"
        )

    def test_ten_working_days_skip_weekends_and_holidays(self):
        cal = de_nrw_standard()  # Thu 2 Apr 2026 is day 1; Good Friday and Easter Monday are closed
        result = deadline(cal, at("2026-04-02T09:00+02:00"), parse_target("10d"))
        assert shown(cal, result) == "2026-04-17T16:00:00+02:00"

    def test_int_and_decimal_amounts_are_accepted(self):
        cal = de_nrw_standard()
        start = at("2026-02-16T09:00+01:00")
        assert add_working_days(cal, start, 1) == add_working_days(cal, start, Fraction(1))

    def test_clock_change_days_of_the_24x7_calendar_are_one_day_each(self):
        cal = always_open_berlin()
        assert (
            shown(cal, add_working_days(cal, at("2026-03-29T00:00+01:00"), Fraction(1))) == "2026-03-30T00:00:00+02:00"
        )
        assert (
            shown(cal, add_working_days(cal, at("2026-10-25T00:00+02:00"), Fraction(1, 2)))
            == "2026-10-25T11:30:00+01:00"
        )
        spring = elapsed(cal, at("2026-03-29T00:00+01:00"), at("2026-03-30T00:00+02:00"))
        assert (spring.seconds, spring.working_days) == (23 * HOUR, 1)
        autumn = elapsed(cal, at("2026-10-25T00:00+02:00"), at("2026-10-26T00:00+01:00"))
        assert (autumn.seconds, autumn.working_days) == (25 * HOUR, 1)


class TestSeveralRangesPerDay:
    def test_ranges_are_sorted_and_walked_in_order(self):
        assert SERVICE_DESK.weekly[0] == ((510, 720), (780, 1020))
        start = at("2026-02-16T11:00+01:00")
        assert shown(SERVICE_DESK, add_business_time(SERVICE_DESK, start, 4 * HOUR)) == "2026-02-16T16:00:00+01:00"

    def test_lunch_break_is_closed(self):
        assert not is_open(SERVICE_DESK, at("2026-02-16T12:30+01:00"))
        assert elapsed(SERVICE_DESK, at("2026-02-16T12:00+01:00"), at("2026-02-16T13:00+01:00")).seconds == 0
        assert shown(SERVICE_DESK, add_business_time(SERVICE_DESK, at("2026-02-16T12:30+01:00"), 1)) == (
            "2026-02-16T13:00:01+01:00"
        )

    def test_fraction_of_a_day_counts_open_seconds_across_the_ranges(self):
        # the day is 7.5 h; half of it is 3.5 h of morning plus 15 min after lunch
        result = add_working_days(SERVICE_DESK, at("2026-02-16T08:00+01:00"), Fraction(1, 2))
        assert shown(SERVICE_DESK, result) == "2026-02-16T13:15:00+01:00"

    def test_working_days_ending_at_the_lunch_closing_report_that_closing(self):
        # Monday 12:30 leaves 4/7.5 = 8/15; Tuesday's 7/15 is exactly its 3.5 h morning
        result = add_working_days(SERVICE_DESK, at("2026-02-16T12:30+01:00"), Fraction(1))
        assert shown(SERVICE_DESK, result) == "2026-02-17T12:00:00+01:00"


class TestElapsed:
    def test_counts_open_seconds_and_working_days(self):
        cal = de_nrw_standard()
        result = elapsed(cal, at("2026-02-12T13:00+01:00"), at("2026-02-13T16:00+01:00"))
        assert result.seconds == 11 * HOUR
        assert result.minutes == 660
        assert result.working_days == Fraction(3, 2)

    def test_minutes_may_be_fractional(self):
        result = elapsed(de_nrw_standard(), at("2026-02-16T09:00:00+01:00"), at("2026-02-16T09:01:30+01:00"))
        assert result.minutes == Fraction(3, 2)

    def test_empty_span_is_zero(self):
        result = elapsed(de_nrw_standard(), at("2026-02-16T10:00+01:00"), at("2026-02-16T10:00+01:00"))
        assert (result.seconds, result.working_days) == (0, 0)

    def test_end_before_start_is_an_error(self):
        with pytest.raises(EngineError, match="before start"):
            elapsed(de_nrw_standard(), at("2026-02-16T10:00+01:00"), at("2026-02-16T09:00+01:00"))

    def test_repeated_fall_back_hour_counts_twice(self):
        result = elapsed(night_berlin(), at("2026-10-25T00:00+02:00"), at("2026-10-25T05:00+01:00"))
        assert result.seconds == 4 * HOUR
        assert result.working_days == 1

    def test_skipped_spring_forward_hour_counts_nothing(self):
        result = elapsed(night_berlin(), at("2026-03-29T00:00+01:00"), at("2026-03-29T05:00+02:00"))
        assert result.seconds == 2 * HOUR


class TestNextOpening:
    def test_open_instant_is_its_own_next_opening(self):
        moment = at("2026-02-16T10:00+01:00")
        assert epoch(next_opening(de_nrw_standard(), moment)) == epoch(moment)

    def test_friday_after_closing_opens_on_monday(self):
        cal = de_nrw_standard()
        assert shown(cal, next_opening(cal, at("2026-02-13T16:00+01:00"))) == "2026-02-16T09:00:00+01:00"


class TestClosedDaysBetween:
    def test_lists_holidays_and_closures_with_reasons_in_date_order(self):
        cal = de_nrw_standard()
        listed = closed_days_between(cal, at("2026-12-23T15:30+01:00"), at("2027-01-04T13:30+01:00"))
        assert [day for day, _ in listed] == [date(2026, 12, day) for day in range(24, 32)] + [date(2027, 1, 1)]
        reasons = dict(listed)
        assert reasons[date(2026, 12, 24)] == "Betriebsferien"
        assert reasons[date(2026, 12, 25)] == "Erster Weihnachtstag"
        assert reasons[date(2027, 1, 1)] == "Neujahr"

    def test_weekends_are_not_listed(self):
        assert closed_days_between(de_nrw_standard(), at("2026-02-13T12:00+01:00"), at("2026-02-16T16:00+01:00")) == []

    def test_uses_local_dates_of_the_calendar(self):
        # 23:30 UTC on 31 Dec 2026 is already 1 Jan 2027 in Berlin
        listed = closed_days_between(de_nrw_standard(), at("2026-12-31T23:30:00Z"), at("2027-01-01T12:00:00Z"))
        assert listed == [(date(2027, 1, 1), "Neujahr")]

    def test_end_before_start_is_an_error(self):
        with pytest.raises(EngineError):
            closed_days_between(de_nrw_standard(), at("2027-01-04T00:00Z"), at("2027-01-01T00:00Z"))


class TestCoveredRange:
    def test_deadline_needing_a_year_without_holiday_data_is_refused(self):
        cal = de_nrw_standard()
        with pytest.raises(OutOfRangeError, match=r"^no holiday data for 2036 in calendar de-nrw-standard$"):
            add_business_time(cal, at("2035-12-31T15:00+01:00"), 6 * HOUR)
        assert shown(cal, add_business_time(cal, at("2035-12-31T15:00+01:00"), HOUR)) == "2035-12-31T16:00:00+01:00"

    @pytest.mark.parametrize(("start", "year"), [("2041-03-01T10:00+01:00", 2041), ("2019-12-31T10:00+01:00", 2019)])
    def test_start_outside_the_range_names_its_year(self, start, year):
        with pytest.raises(OutOfRangeError, match=f"no holiday data for {year} in calendar de-nrw-standard") as info:
            deadline(de_nrw_standard(), at(start), parse_target("1.5d"))
        assert info.value.year == year

    def test_queries_outside_the_range_are_refused_too(self):
        cal = de_nrw_standard()
        with pytest.raises(OutOfRangeError):
            is_open(cal, at("2041-01-02T10:00+01:00"))
        with pytest.raises(OutOfRangeError):
            elapsed(cal, at("2035-12-30T10:00+01:00"), at("2036-01-02T10:00+01:00"))
        with pytest.raises(OutOfRangeError):
            add_working_days(cal, at("2035-12-31T10:00+01:00"), Fraction(3))

    def test_elapsed_up_to_the_first_uncovered_midnight_needs_no_more_data(self):
        span = elapsed(de_nrw_standard(), at("2035-12-31T00:00+01:00"), at("2036-01-01T00:00+01:00"))
        assert (span.seconds, span.working_days) == (8 * HOUR, 1)

    def test_unbounded_calendars_work_in_any_year(self):
        cal = always_open_berlin()
        assert shown(cal, add_business_time(cal, at("2100-07-01T00:00+02:00"), HOUR)) == "2100-07-01T01:00:00+02:00"
        assert shown(cal, add_business_time(cal, at("1990-07-01T00:00+02:00"), 366 * 24 * HOUR)) == (
            "1991-07-02T00:00:00+02:00"
        )


def test_results_are_in_the_calendar_zone():
    cal = us_east()
    result = add_business_time(cal, at("2026-02-16T14:00:00Z"), HOUR)
    assert result.tzinfo == ZoneInfo("America/New_York")


class TestCaches:
    def test_a_computation_looking_too_far_ahead_is_refused(self, monkeypatch):
        monkeypatch.setattr(engine_timeline, "_MAX_AHEAD", 2 * 366 * 86400)
        with pytest.raises(EngineError, match="no result within"):
            add_business_time(always_open_berlin(), at("2030-01-01T00:00Z"), 5 * 366 * 86400)

    def test_built_years_per_calendar_are_bounded(self, monkeypatch):
        monkeypatch.setattr(engine_timeline, "_MAX_YEARS_PER_CALENDAR", 5)
        cal = BusinessCalendar.from_hours("test-bounded", "Europe/Berlin", {0: ["09:00-17:00"]})
        for year in range(2040, 2052):
            start = at(f"{year}-06-01T12:00:00Z")
            assert epoch(add_business_time(cal, start, HOUR)) - epoch(next_opening(cal, start)) == HOUR
        assert len(engine_timeline.timeline_for(cal)._years) <= 6

    def test_equal_calendars_share_one_timeline(self):
        twin = BusinessCalendar(*de_nrw_standard().__reduce__()[1])
        assert twin is not de_nrw_standard()
        assert engine_timeline.timeline_for(twin) is engine_timeline.timeline_for(de_nrw_standard())
