"""Questions about a calendar at and between instants (semantics §2 and §5)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from .calendar import BusinessCalendar
from .errors import EngineError
from .instants import to_epoch
from .timeline import Segment, timeline_for


@dataclass(frozen=True)
class Elapsed:
    """Business time in a span: open ``seconds`` and exact ``working_days``."""

    seconds: int
    working_days: Fraction

    @property
    def minutes(self) -> Fraction:
        """Open time in minutes, exact (possibly fractional)."""
        return Fraction(self.seconds, 60)


def elapsed(calendar: BusinessCalendar, start: datetime, end: datetime) -> Elapsed:
    """Open seconds in ``[start, end)`` and the working days they make up."""
    first, last = to_epoch(start), to_epoch(end)
    if last < first:
        raise EngineError(f"end {end.isoformat()} is before start {start.isoformat()}")
    timeline = timeline_for(calendar)
    segment = timeline.extend_to(timeline.segment_at(first), last, first)
    begin, finish = _position(segment, first), _position(segment, last)
    if segment.contiguous:
        days = _working_days_at(segment, finish) - _working_days_at(segment, begin)
    else:
        days = _working_days_walking(segment, first, last)
    return Elapsed(seconds=finish - begin, working_days=days)


def is_open(calendar: BusinessCalendar, at: datetime) -> bool:
    """Whether the instant is open: open local date and wall clock within a window."""
    instant = to_epoch(at)
    segment = timeline_for(calendar).segment_at(instant)
    index = bisect_right(segment.ends, instant)
    return index < len(segment.ends) and segment.starts[index] <= instant


def next_opening(calendar: BusinessCalendar, at: datetime) -> datetime:
    """The first open instant at or after ``at`` (``at`` itself when open)."""
    instant = to_epoch(at)
    timeline = timeline_for(calendar)
    segment = timeline.segment_at(instant)
    while True:
        index = bisect_right(segment.ends, instant)
        if index < len(segment.ends):
            return datetime.fromtimestamp(max(instant, segment.starts[index]), timeline.zone)
        segment = timeline.extend(segment, instant)


def closed_days_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> list[tuple[date, str]]:
    """Explicit closed dates (holidays, closures) with reasons whose local date is in [start, end]."""
    first, last = to_epoch(start), to_epoch(end)
    if last < first:
        raise EngineError(f"end {end.isoformat()} is before start {start.isoformat()}")
    zone = calendar.zone
    first_day = datetime.fromtimestamp(first, zone).date()
    last_day = datetime.fromtimestamp(last, zone).date()
    closed = calendar.closed
    low = bisect_left(closed, (first_day,))
    high = bisect_left(closed, (last_day, ""), low)
    while high < len(closed) and closed[high][0] == last_day:
        high += 1
    return list(closed[low:high])


def _position(segment: Segment, instant: int) -> int:
    """Open seconds of the segment before the instant."""
    index = bisect_right(segment.ends, instant)
    if index == len(segment.ends):
        return segment.total
    opening = segment.starts[index]
    return segment.cum[index] + max(0, instant - opening)


def _working_days_at(segment: Segment, position: int) -> Fraction:
    """Working days of the segment before an open-seconds position (contiguous days only)."""
    day_cum = segment.day_cum
    day = min(bisect_right(day_cum, position), len(segment.day_len)) - 1
    if day < 0:
        return Fraction(0)
    return day + Fraction(position - day_cum[day], segment.day_len[day])


def _working_days_walking(segment: Segment, first: int, last: int) -> Fraction:
    total = Fraction(0)
    index = bisect_right(segment.ends, first)
    while index < len(segment.starts) and segment.starts[index] < last:
        begin = max(first, segment.starts[index])
        finish = min(last, segment.ends[index])
        length = segment.day_len[segment.day_of[index]]
        total += Fraction(finish - begin, length)
        index += 1
    return total
