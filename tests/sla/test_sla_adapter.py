"""Calendar rows become engine calendars, built once per version and rebuilt after a change."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from sla import engine, services
from sla.calendars import business_calendar_cache_stats, business_calendar_for
from sla.models import Calendar, Closure
from tests.sla.factories import nrw_calendar

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def _fresh(calendar):
    return Calendar.objects.get(pk=calendar.pk)


def test_hours_holidays_closures_and_years_become_the_engine_calendar():
    calendar = nrw_calendar(years=(2026, 2027))
    services.closure_add(calendar=calendar, start_date=date(2026, 12, 24), end_date=date(2027, 1, 1),
                         reason="Betriebsferien")
    business = business_calendar_for(calendar=_fresh(calendar))
    assert business.slug == calendar.slug
    assert business.tz == "Europe/Berlin"
    assert business.weekly == (((540, 1020),),) * 4 + (((540, 960),), (), ())
    assert business.covered == (date(2026, 1, 1), date(2027, 12, 31))
    closed = dict(business.closed)
    assert closed[date(2026, 12, 24)] == "Betriebsferien"
    assert closed[date(2026, 12, 25)] == "Betriebsferien; Christmas Day"
    assert closed[date(2027, 5, 27)] == "Corpus Christi"


def test_closed_day_reasons_follow_the_current_language():
    calendar = _fresh(nrw_calendar())
    with translation.override("de"):
        assert business_calendar_for(calendar=calendar).closed_reason(date(2027, 5, 27)) == "Fronleichnam"
    with translation.override("en"):
        assert business_calendar_for(calendar=calendar).closed_reason(date(2027, 5, 27)) == "Corpus Christi"


def test_adjacent_ranges_are_joined():
    calendar = nrw_calendar(hours={0: [(540, 720), (720, 1020)], 1: [(480, 600), (660, 1440)]})
    assert business_calendar_for(calendar=_fresh(calendar)).weekly[:2] == (((540, 1020),), ((480, 600), (660, 1440)))


def test_a_deactivated_holiday_is_an_open_day():
    calendar = nrw_calendar()
    services.holiday_remove(holiday=calendar.holidays.get(date=date(2027, 5, 27)))
    assert business_calendar_for(calendar=_fresh(calendar)).closed_reason(date(2027, 5, 27)) is None


def test_calendar_without_holiday_country_has_no_year_limit():
    calendar = services.calendar_create(slug="rund-um-die-uhr", name="Störungsannahme rund um die Uhr",
                                        time_zone="Europe/Berlin", hours={d: [(0, 1440)] for d in range(7)})
    assert business_calendar_for(calendar=calendar).covered is None


def test_repeated_computations_do_not_touch_the_database(django_assert_num_queries):
    calendar = _fresh(nrw_calendar())
    start = datetime(2027, 3, 25, 14, tzinfo=BERLIN)
    services.deadline_for(calendar=calendar, start=start, target="6h")
    builds = business_calendar_cache_stats()["builds"]
    with django_assert_num_queries(0):
        for _ in range(50):
            services.deadline_for(calendar=calendar, start=start, target="6h")
    assert business_calendar_cache_stats()["builds"] == builds


@pytest.mark.parametrize("change", ["holiday_remove", "holiday_add", "closure_add", "closure_change",
                                    "closure_remove", "hours", "time_zone"])
def test_every_change_bumps_the_version_and_rebuilds(change):
    calendar = nrw_calendar()
    closure = services.closure_add(calendar=calendar, start_date=date(2027, 3, 1), end_date=date(2027, 3, 2),
                                   reason="Inventur")
    calendar = _fresh(calendar)
    old = business_calendar_for(calendar=calendar)
    version = calendar.version
    if change == "holiday_remove":
        services.holiday_remove(holiday=calendar.holidays.get(date=date(2027, 5, 27)))
    elif change == "holiday_add":
        services.holiday_add(calendar=calendar, day=date(2027, 2, 8), name_de="Rosenmontag", name_en="Carnival")
    elif change == "closure_add":
        services.closure_add(calendar=calendar, start_date=date(2027, 8, 2), end_date=date(2027, 8, 13),
                             reason="Sommerpause", kind=Closure.Kind.COMPANY_HOLIDAYS)
    elif change == "closure_change":
        services.closure_change(closure=closure, start_date=date(2027, 3, 1), end_date=date(2027, 3, 3),
                                reason="Inventur", kind=Closure.Kind.ONE_OFF)
    elif change == "closure_remove":
        services.closure_remove(closure=closure)
    elif change == "hours":
        services.calendar_set_hours(calendar=calendar, hours={0: [(480, 1020)]})
    else:
        services.calendar_update(calendar=calendar, data={"time_zone": "Europe/Vienna"})
    reloaded = _fresh(calendar)
    assert reloaded.version > version
    assert business_calendar_for(calendar=reloaded) != old


def test_unchanged_hours_and_unchanged_closures_keep_the_version():
    calendar = nrw_calendar()
    closure = services.closure_add(calendar=calendar, start_date=date(2027, 3, 1), end_date=date(2027, 3, 2),
                                   reason="Inventur")
    version = _fresh(calendar).version
    assert services.calendar_set_hours(calendar=calendar, hours={4: [(540, 960)], 0: [(540, 1020)], 1: [(540, 1020)],
                                                                 2: [(540, 1020)], 3: [(540, 1020)]}) is False
    services.closure_change(closure=closure, start_date=date(2027, 3, 1), end_date=date(2027, 3, 2),
                            reason="Inventur", kind=closure.kind)
    services.calendar_update(calendar=calendar, data={"name": calendar.name})
    assert _fresh(calendar).version == version


def test_a_new_deadline_follows_a_new_closure():
    calendar = nrw_calendar()
    start = datetime(2027, 3, 1, 15, tzinfo=BERLIN)  # Monday
    assert services.deadline_for(calendar=_fresh(calendar), start=start, target="6h") == datetime(
        2027, 3, 2, 13, tzinfo=BERLIN)
    services.closure_add(calendar=calendar, start_date=date(2027, 3, 2), end_date=date(2027, 3, 2),
                         reason="Betriebsversammlung", kind=Closure.Kind.ONE_OFF)
    assert services.deadline_for(calendar=_fresh(calendar), start=start, target="6h") == datetime(
        2027, 3, 3, 13, tzinfo=BERLIN)


def test_calendar_without_hours_cannot_compute():
    calendar = services.calendar_create(slug="leer", name="Leerer Kalender", time_zone="Europe/Berlin")
    with pytest.raises(engine.CalendarError):
        services.deadline_for(calendar=calendar, start=datetime(2027, 3, 1, tzinfo=BERLIN), target="6h")
