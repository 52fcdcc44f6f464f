"""The business calendar value object: time zone, weekly support hours, closed dates."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import CalendarError

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MINUTES_PER_DAY = 1440

_RANGE_TEXT = re.compile(r"\s*([0-9]{1,2}):([0-9]{2})\s*-\s*([0-9]{1,2}):([0-9]{2})\s*")

Range = tuple[int, int]


def format_minute(minute: int) -> str:
    """``540`` -> ``"09:00"``; ``1440`` -> ``"24:00"``."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True)
class BusinessCalendar:
    """When support is open, in one IANA time zone.

    ``weekly`` has 7 entries (Monday..Sunday), each a tuple of half-open
    ``(open_minute, close_minute)`` ranges of local wall-clock minutes. ``closed`` maps
    local dates closed all day to a reason; it is stored as a sorted tuple of
    ``(date, reason)`` pairs (a mapping is accepted). ``covered`` is the first and last
    local date with holiday data, or None for unbounded.
    """

    slug: str
    tz: str
    weekly: tuple[tuple[Range, ...], ...]
    closed: tuple[tuple[date, str], ...] = ()
    covered: tuple[date, date] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.slug, str) or not self.slug:
            raise CalendarError("calendar slug must be a non-empty string")
        _check_zone(self.slug, self.tz)
        object.__setattr__(self, "weekly", _normalise_weekly(self.slug, self.weekly))
        object.__setattr__(self, "closed", _normalise_closed(self.slug, self.closed))
        object.__setattr__(self, "covered", _normalise_covered(self.slug, self.covered))
        fields = (self.slug, self.tz, self.weekly, self.closed, self.covered)
        object.__setattr__(self, "_hash", hash(fields))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self):
        return (type(self), (self.slug, self.tz, self.weekly, self.closed, self.covered))

    @classmethod
    def from_hours(
        cls,
        slug: str,
        tz: str,
        hours: Mapping[int, Iterable[str] | str],
        closed: Mapping[date, str] | Iterable[tuple[date, str]] = (),
        covered: tuple[date, date] | None = None,
    ) -> BusinessCalendar:
        """Build from ``{weekday: ["HH:MM-HH:MM", ...]}`` (0 = Monday; ``24:00`` closes a day)."""
        weekly: list[list[Range]] = [[] for _ in range(7)]
        for weekday, texts in hours.items():
            if isinstance(weekday, bool) or weekday not in range(7):
                raise CalendarError(f"calendar {slug!r}: weekday must be 0 (Monday) to 6 (Sunday), got {weekday!r}")
            if isinstance(texts, str):
                texts = [texts]
            for text in texts:
                weekly[weekday].append(_parse_range(slug, weekday, text))
        return cls(slug, tz, tuple(tuple(day) for day in weekly), closed, covered)

    @property
    def zone(self) -> ZoneInfo:
        """The calendar's time zone."""
        return ZoneInfo(self.tz)

    def closed_reason(self, day: date) -> str | None:
        """Why ``day`` is closed all day, or None if it is not an explicit closed date."""
        reasons = self.__dict__.get("_reasons")
        if reasons is None:
            reasons = dict(self.closed)
            object.__setattr__(self, "_reasons", reasons)
        return reasons.get(day)


def _check_zone(slug: str, tz: object) -> None:
    if not isinstance(tz, str) or not tz:
        raise CalendarError(f"calendar {slug!r}: time zone must be an IANA name such as Europe/Berlin")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise CalendarError(f"calendar {slug!r}: unknown time zone {tz!r}") from exc


def _parse_range(slug: str, weekday: int, text: object) -> Range:
    match = _RANGE_TEXT.fullmatch(text) if isinstance(text, str) else None
    where = f"calendar {slug!r}: {WEEKDAY_NAMES[weekday]}"
    if match is None:
        raise CalendarError(f"{where}: cannot read range {text!r}, expected HH:MM-HH:MM")
    oh, om, ch, cm = (int(part) for part in match.groups())
    if om > 59 or cm > 59 or oh > 23 or ch > 24 or (ch == 24 and cm):
        raise CalendarError(f"{where}: range {text!r} is not a valid time (00:00 to 24:00)")
    return (oh * 60 + om, ch * 60 + cm)


def _normalise_weekly(slug: str, weekly: object) -> tuple[tuple[Range, ...], ...]:
    try:
        days = [list(day) for day in weekly]  # type: ignore[union-attr]
    except TypeError as exc:
        raise CalendarError(f"calendar {slug!r}: weekly hours must be 7 lists of ranges") from exc
    if len(days) != 7:
        raise CalendarError(f"calendar {slug!r}: weekly hours need 7 entries (Monday..Sunday), got {len(days)}")
    result = []
    for weekday, ranges in enumerate(days):
        where = f"calendar {slug!r}: {WEEKDAY_NAMES[weekday]}"
        checked = []
        for item in ranges:
            try:
                start, end = item
            except (TypeError, ValueError) as exc:
                raise CalendarError(f"{where}: range {item!r} is not an (open, close) pair") from exc
            if not all(type(v) is int for v in (start, end)):
                raise CalendarError(f"{where}: range {item!r} must be whole minutes")
            if not (0 <= start <= MINUTES_PER_DAY and 0 <= end <= MINUTES_PER_DAY):
                raise CalendarError(f"{where}: range {start}-{end} is outside 00:00-24:00 (0-1440 minutes)")
            label = f"{format_minute(start)}-{format_minute(end)}"
            if start == end:
                raise CalendarError(f"{where}: range {label} is empty")
            if start > end:
                raise CalendarError(f"{where}: range {label} is reversed (opens after it closes)")
            checked.append((start, end))
        checked.sort()
        for (a_open, a_close), (b_open, b_close) in pairwise(checked):
            if b_open < a_close:
                raise CalendarError(
                    f"{where}: ranges {format_minute(a_open)}-{format_minute(a_close)} and "
                    f"{format_minute(b_open)}-{format_minute(b_close)} overlap"
                )
        result.append(tuple(checked))
    if not any(result):
        raise CalendarError(f"calendar {slug!r}: no support hours on any weekday")
    return tuple(result)


def _normalise_closed(slug: str, closed: object) -> tuple[tuple[date, str], ...]:
    items = closed.items() if isinstance(closed, Mapping) else closed
    seen: dict[date, str] = {}
    try:
        pairs = list(items)  # type: ignore[arg-type]
    except TypeError as exc:
        raise CalendarError(f"calendar {slug!r}: closed must map dates to reasons") from exc
    for pair in pairs:
        try:
            day, reason = pair
        except (TypeError, ValueError) as exc:
            raise CalendarError(f"calendar {slug!r}: closed entry {pair!r} is not (date, reason)") from exc
        if not isinstance(day, date) or isinstance(day, datetime):
            raise CalendarError(f"calendar {slug!r}: closed date {day!r} is not a date")
        if not isinstance(reason, str) or not reason.strip():
            raise CalendarError(f"calendar {slug!r}: closed date {day} needs a reason")
        if day in seen:
            raise CalendarError(f"calendar {slug!r}: closed date {day} is listed twice")
        seen[day] = reason
    return tuple(sorted(seen.items()))


def _normalise_covered(slug: str, covered: object) -> tuple[date, date] | None:
    if covered is None:
        return None
    try:
        first, last = covered  # type: ignore[misc]
    except (TypeError, ValueError) as exc:
        raise CalendarError(f"calendar {slug!r}: covered must be (first date, last date)") from exc
    for day in (first, last):
        if not isinstance(day, date) or isinstance(day, datetime):
            raise CalendarError(f"calendar {slug!r}: covered bound {day!r} is not a date")
    if first > last:
        raise CalendarError(f"calendar {slug!r}: covered range {first}..{last} is reversed")
    return (first, last)
