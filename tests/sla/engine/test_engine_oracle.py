"""The engine agrees with the naive second-by-second oracle on random starts and targets."""

from datetime import UTC, datetime

import pytest
from calendars import all_calendars, always_open_berlin, night_berlin
from hypothesis import given
from hypothesis import strategies as st
from oracle import Oracle, as_datetime, epoch
from strategies import instants, moments, settings_for, working_days

from sla.engine import BusinessCalendar, add_business_time, add_working_days, elapsed
from sla.engine.timeline import timeline_for

# largest duration per calendar that keeps the oracle's walk short
DURATION_LIMITS = {
    "de-nrw-standard": 12 * 3600,
    "us-east": 12 * 3600,
    "pos-extended": 15 * 3600,
    "test-24x7-berlin": 30 * 3600,
    "test-night-berlin": 7 * 3600,
}
CALENDARS = all_calendars()
IDS = [cal.slug for cal in CALENDARS]
ORACLES = {cal.slug: Oracle(cal) for cal in CALENDARS}


@pytest.mark.parametrize("calendar", CALENDARS, ids=IDS)
@settings_for(25)
@given(data=st.data())
def test_business_time_matches_the_oracle(calendar, data):
    start = data.draw(moments(), label="start")
    seconds = data.draw(st.integers(1, DURATION_LIMITS[calendar.slug]), label="seconds")
    expected = ORACLES[calendar.slug].add_seconds(epoch(start), seconds)
    assert epoch(add_business_time(calendar, start, seconds)) == expected


@pytest.mark.parametrize("calendar", CALENDARS, ids=IDS)
@settings_for(20)
@given(data=st.data())
def test_working_days_match_the_oracle(calendar, data):
    start = data.draw(moments(), label="start")
    days = data.draw(working_days(largest=2), label="days")
    expected = ORACLES[calendar.slug].add_days(epoch(start), days)
    assert epoch(add_working_days(calendar, start, days)) == expected


@pytest.mark.parametrize("calendar", CALENDARS, ids=IDS)
@settings_for(20)
@given(data=st.data())
def test_elapsed_matches_the_oracle(calendar, data):
    start = data.draw(instants(), label="start")
    span = data.draw(st.integers(0, 2 * 86400), label="span")
    seconds, days = ORACLES[calendar.slug].elapsed(start, start + span)
    result = elapsed(calendar, as_datetime(start), as_datetime(start + span, "America/New_York"))
    assert (result.seconds, result.working_days) == (seconds, days)


@pytest.mark.parametrize("calendar", [always_open_berlin(), night_berlin()], ids=["24x7", "night"])
@pytest.mark.parametrize("change", ["2026-03-29", "2026-10-25"])
def test_every_start_on_a_berlin_clock_change_day_matches_the_oracle(calendar, change):
    """Starts every 30 minutes across the change night (22:00-04:00 UTC), small and odd targets."""
    oracle = ORACLES[calendar.slug]
    day = datetime.fromisoformat(change).replace(tzinfo=UTC)
    first = epoch(day) - 2 * 3600
    for start in range(first, first + 6 * 3600, 1800):
        for seconds in (1, 3599, 3601, 2 * 3600 + 1):
            assert epoch(add_business_time(calendar, as_datetime(start), seconds)) == oracle.add_seconds(start, seconds)


# America/St_Johns fell back from 00:01 to 23:01 of the previous day until 2010: local dates
# interleave in real time, which the engine handles on a slower general path.
ST_JOHNS_MIDNIGHT = BusinessCalendar.from_hours(
    "test-st-johns-midnight", "America/St_Johns", {day: ["00:00-00:30", "22:00-24:00"] for day in range(7)}
)
ST_JOHNS_ALWAYS = BusinessCalendar.from_hours(
    "test-st-johns-24x7", "America/St_Johns", {day: ["00:00-24:00"] for day in range(7)}
)
ST_JOHNS_FALL_BACK = int(datetime(2009, 11, 1, 2, 31, tzinfo=UTC).timestamp())


@pytest.mark.parametrize("calendar", [ST_JOHNS_MIDNIGHT, ST_JOHNS_ALWAYS], ids=["midnight", "24x7"])
@settings_for(20)
@given(data=st.data())
def test_interleaved_local_dates_match_the_oracle(calendar, data):
    around = (ST_JOHNS_FALL_BACK - 2 * 86400, ST_JOHNS_FALL_BACK + 86400)
    start = data.draw(instants(*around), label="start")
    days = data.draw(working_days(largest=1), label="days")
    seconds = data.draw(st.integers(1, 4 * 3600), label="seconds")
    oracle = Oracle(calendar)
    assert epoch(add_working_days(calendar, as_datetime(start), days)) == oracle.add_days(start, days)
    assert epoch(add_business_time(calendar, as_datetime(start), seconds)) == oracle.add_seconds(start, seconds)
    span = data.draw(st.integers(0, 2 * 86400), label="span")
    result = elapsed(calendar, as_datetime(start), as_datetime(start + span))
    assert (result.seconds, result.working_days) == oracle.elapsed(start, start + span)


def test_the_st_johns_calendars_really_take_the_general_path():
    for calendar in (ST_JOHNS_MIDNIGHT, ST_JOHNS_ALWAYS):
        assert not timeline_for(calendar).segment_at(ST_JOHNS_FALL_BACK).contiguous
