"""Properties every calendar must have, checked on random starts and targets (engine only).

Instants are compared as epoch seconds: Python compares two datetimes of the same zone by
wall clock, ignoring ``fold``, and never finds an ambiguous (fall-back) time equal to a
datetime of another zone, so ``==`` and ``<`` on datetimes are wrong around DST changes.
For the same reason ``+``/``-`` of a timedelta is done in UTC (``shift``).
"""

import pytest
from calendars import all_calendars
from hypothesis import given
from hypothesis import strategies as st
from oracle import epoch, shift
from strategies import moments, settings_for, working_days

from sla.engine import add_business_time, add_working_days, elapsed, is_open, next_opening

CALENDARS = all_calendars()
IDS = [cal.slug for cal in CALENDARS]
durations = st.integers(1, 40 * 3600)


@pytest.mark.parametrize("calendar", CALENDARS, ids=IDS)
@settings_for(100)
@given(start=moments(), seconds=durations)
def test_deadline_ends_an_open_second_and_measures_back_to_the_target(calendar, start, seconds):
    end = add_business_time(calendar, start, seconds)
    assert is_open(calendar, shift(end, -1))  # the last counted second: end is open or a closing
    assert elapsed(calendar, start, end).seconds == seconds
    assert elapsed(calendar, start, shift(end, -1)).seconds == seconds - 1


@pytest.mark.parametrize("calendar", CALENDARS, ids=IDS)
@settings_for(60)
@given(start=moments(), first=durations, second=durations)
def test_adding_durations_is_additive(calendar, start, first, second):
    stepwise = add_business_time(calendar, add_business_time(calendar, start, first), second)
    assert epoch(stepwise) == epoch(add_business_time(calendar, start, first + second))


@pytest.mark.parametrize("calendar", CALENDARS, ids=IDS)
@settings_for(60)
@given(start=moments(), later=st.integers(0, 5 * 86400), seconds=durations, more=st.integers(0, 3600))
def test_deadlines_are_monotonic_in_start_and_target(calendar, start, later, seconds, more):
    base = epoch(add_business_time(calendar, start, seconds))
    assert epoch(add_business_time(calendar, shift(start, later), seconds)) >= base
    assert epoch(add_business_time(calendar, start, seconds + more)) >= base


@pytest.mark.parametrize("calendar", CALENDARS, ids=IDS)
@settings_for(60)
@given(start=moments(), days=working_days(largest=10))
def test_working_days_are_reached_at_the_deadline_and_not_a_second_earlier(calendar, start, days):
    end = add_working_days(calendar, start, days)
    assert elapsed(calendar, start, end).working_days >= days
    assert elapsed(calendar, start, shift(end, -1)).working_days < days
    assert is_open(calendar, shift(end, -1))


@pytest.mark.parametrize("calendar", CALENDARS, ids=IDS)
@settings_for(60)
@given(start=moments(), later=st.integers(0, 5 * 86400), days=working_days(), more=working_days())
def test_working_days_are_monotonic_in_start_and_target(calendar, start, later, days, more):
    base = epoch(add_working_days(calendar, start, days))
    assert epoch(add_working_days(calendar, shift(start, later), days)) >= base
    assert epoch(add_working_days(calendar, start, days + more)) >= base


@pytest.mark.parametrize("calendar", CALENDARS, ids=IDS)
@settings_for(60)
@given(start=moments(), first=st.integers(0, 4 * 86400), second=st.integers(0, 4 * 86400))
def test_elapsed_adds_up_over_adjacent_spans(calendar, start, first, second):
    middle = shift(start, first)
    end = shift(middle, second)
    left, right, whole = elapsed(calendar, start, middle), elapsed(calendar, middle, end), elapsed(calendar, start, end)
    assert left.seconds + right.seconds == whole.seconds
    assert left.working_days + right.working_days == whole.working_days
    assert whole.minutes * 60 == whole.seconds


@pytest.mark.parametrize("calendar", CALENDARS, ids=IDS)
@settings_for(60)
@given(at=moments())
def test_next_opening_is_open_with_nothing_open_before_it(calendar, at):
    opening = next_opening(calendar, at)
    assert is_open(calendar, opening)
    assert elapsed(calendar, at, opening).seconds == 0
    assert (epoch(opening) == epoch(at)) is is_open(calendar, at)
