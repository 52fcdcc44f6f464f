"""The adapter from calendar rows to `sla.engine.BusinessCalendar`.

Building an engine calendar reads the hours, the active holidays and the closures (three
queries). The result is cached in the process, keyed on the calendar's primary key, its
`version` and `updated_at` (both set by every service that changes hours, holidays or closures;
the time stamp also tells apart rows whose primary key a database reused) and the language of
the closed-day reasons, so repeated deadline computations do not touch the database."""

import threading
from collections import OrderedDict
from datetime import date, timedelta

from django.utils.translation import get_language

from sla.engine import BusinessCalendar

from .models import Calendar

CACHE_SIZE = 256

_cache: OrderedDict[tuple, BusinessCalendar] = OrderedDict()
_lock = threading.Lock()
_stats = {"hits": 0, "builds": 0}


def _language() -> str:
    return "de" if (get_language() or "de").startswith("de") else "en"


def business_calendar_for(*, calendar: Calendar) -> BusinessCalendar:
    """The engine calendar of `calendar` (reasons of closed days in the current language).

    Uses the `version` on the row as given: a caller holding a stale row gets the calendar as of
    that version (reload the row, e.g. via `calendar_by_slug`, to see later changes)."""
    key = (calendar.pk, calendar.version, calendar.updated_at, _language())
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            _stats["hits"] += 1
            return cached
    built = _build(calendar, key[-1])
    with _lock:
        _stats["builds"] += 1
        _cache[key] = built
        for stale in [k for k in _cache if k[0] == calendar.pk and k[1:3] != key[1:3]]:
            del _cache[stale]
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return built


def business_calendar_cache_clear() -> None:
    """Forget every cached engine calendar (tests; never needed for correctness)."""
    with _lock:
        _cache.clear()
        _stats.update(hits=0, builds=0)


def business_calendar_cache_stats() -> dict[str, int]:
    with _lock:
        return dict(_stats, size=len(_cache))


def _build(calendar: Calendar, language: str) -> BusinessCalendar:
    weekly: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for weekday, open_minute, close_minute in calendar.hours.order_by("weekday", "open_minute").values_list(
        "weekday", "open_minute", "close_minute"
    ):
        day = weekly[weekday]
        if day and day[-1][1] == open_minute:  # 09:00-12:00 + 12:00-17:00 is one range
            day[-1] = (day[-1][0], close_minute)
        else:
            day.append((open_minute, close_minute))

    reasons: dict[date, list[str]] = {}
    name_field = "name_de" if language == "de" else "name_en"
    for day, name in calendar.holidays.filter(is_active=True).values_list("date", name_field):
        reasons.setdefault(day, []).append(name)
    for start, end, reason in calendar.closures.values_list("start_date", "end_date", "reason"):
        day = start
        while day <= end:
            reasons.setdefault(day, []).insert(0, reason)
            day += timedelta(days=1)

    covered = None
    if calendar.holiday_country:
        covered = (date(calendar.holidays_from_year, 1, 1), date(calendar.holidays_until_year, 12, 31))
    return BusinessCalendar(
        slug=calendar.slug,
        tz=calendar.time_zone,
        weekly=tuple(tuple(day) for day in weekly),
        closed={day: "; ".join(dict.fromkeys(names)) for day, names in reasons.items()},
        covered=covered,
    )
