"""Weekly opening hours as text (``09:00``, ``24:00``) and their validation, shared by the
services and the admin formset so that both report the same errors."""

import re
from collections.abc import Iterable, Mapping
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models.calendars import Weekday, format_minute
from .validators import MINUTES_PER_DAY

_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")

Ranges = Mapping[int, Iterable[tuple[int, int]]]


def minute_parse(text: str) -> int:
    """``"09:30"`` → ``570``; ``"24:00"`` → ``1440``; anything else a `ValidationError`."""
    match = _TIME.match(text or "")
    if match is None:
        raise ValidationError(_("Enter a time as HH:MM, e.g. 09:00 or 24:00."), code="invalid_time")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise ValidationError(_("Enter a time between 00:00 and 24:00."), code="minute_out_of_range")
    return hours * 60 + minutes


def range_error(open_minute: int, close_minute: int) -> str | None:
    """Why [open, close) is not a usable range, or None."""
    if not (0 <= open_minute <= MINUTES_PER_DAY and 0 <= close_minute <= MINUTES_PER_DAY):
        return _("Times must lie between 00:00 and 24:00.")
    if open_minute == close_minute:
        return _("The range is empty: closing time equals opening time.")
    if close_minute < open_minute:
        return _("The closing time must be after the opening time.")
    return None


def overlap_error(weekday: int, first: tuple[int, int], second: tuple[int, int]) -> str:
    return _("%(weekday)s: %(first)s and %(second)s overlap.") % {
        "weekday": Weekday(weekday).label,
        "first": f"{format_minute(first[0])}-{format_minute(first[1])}",
        "second": f"{format_minute(second[0])}-{format_minute(second[1])}",
    }


def hours_normalise(hours: Ranges) -> dict[int, list[tuple[int, int]]]:
    """Sorted ranges per weekday 0..6; a `ValidationError` listing every bad or overlapping range."""
    errors: list[str] = []
    result: dict[int, list[tuple[int, int]]] = {day: [] for day in range(7)}
    for weekday, ranges in hours.items():
        if weekday not in result:
            errors.append(_("Weekdays are numbered 0 (Monday) to 6 (Sunday)."))
            continue
        for open_minute, close_minute in ranges:
            problem = range_error(open_minute, close_minute)
            if problem:
                errors.append(f"{Weekday(weekday).label}: {problem}")
            else:
                result[weekday].append((open_minute, close_minute))
    for weekday, ranges in result.items():
        ranges.sort()
        for first, second in pairwise(ranges):
            if second[0] < first[1]:
                errors.append(overlap_error(weekday, first, second))
    if errors:
        raise ValidationError(errors)
    return result
