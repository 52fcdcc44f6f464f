"""A deliberately naive reading of SEMANTICS.md, written apart from the engine, for comparison.

It walks real time one second at a time, or one minute at a time where that provably
gives the same answer: the step starts on a whole UTC minute, the zone's offset is a whole
number of minutes and the same at both ends of the minute. Then the local wall clock
stays inside one wall-clock minute for the whole step, and support windows are whole
minutes, so every second of the step is open or every second is closed, on the same date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from sla.engine import BusinessCalendar


class Oracle:
    """Second-by-second business time of one calendar; inputs and outputs are epoch seconds."""

    def __init__(self, calendar: BusinessCalendar):
        self.zone = ZoneInfo(calendar.tz)
        self.weekly = calendar.weekly
        self.closed = {day for day, _ in calendar.closed}
        self._day_lengths: dict[date, int] = {}

    def local(self, instant: int) -> datetime:
        return datetime.fromtimestamp(instant, self.zone)

    def is_open(self, instant: int) -> bool:
        """Open when the local date is an open day and the wall clock is in [open, close)."""
        return self.probe(instant)[1]

    def probe(self, instant: int) -> tuple[int, bool, date]:
        """(step, open, local date) at ``instant``; the step is 60 when the minute from
        ``instant`` is uniform (see the module docstring), else 1."""
        local = self.local(instant)
        day = local.date()
        minute = local.hour * 60 + local.minute
        is_open = day not in self.closed and any(start <= minute < end for start, end in self.weekly[local.weekday()])
        offset = local.utcoffset()
        uniform = instant % 60 == 0 and offset.seconds % 60 == 0 and self.local(instant + 59).utcoffset() == offset
        return (60 if uniform else 1), is_open, day

    def day_length(self, day: date) -> int:
        """len(D): open seconds whose local date is D, counted over a generous real span."""
        if day not in self._day_lengths:
            midnight = int(datetime(day.year, day.month, day.day, tzinfo=ZoneInfo("UTC")).timestamp())
            instant, last = midnight - 86400, midnight + 2 * 86400
            total = 0
            while instant < last:
                size, is_open, local_day = self.probe(instant)
                if is_open and local_day == day:
                    total += size
                instant += size
            self._day_lengths[day] = total
        return self._day_lengths[day]

    def add_seconds(self, start: int, seconds: int) -> int:
        """§3: each open second [t, t+1) consumes one; the deadline ends the last one."""
        instant, remaining = start, seconds
        while True:
            size, is_open, _ = self.probe(instant)
            if size > remaining:
                size = 1
            if is_open:
                remaining -= size
            instant += size
            if remaining == 0:
                return instant

    def add_days(self, start: int, days: Fraction) -> int:
        """§4: each open second of day D adds 1/len(D); stop at the second reaching ``days``."""
        instant, reached = start, Fraction(0)
        while True:
            size, is_open, day = self.probe(instant)
            if is_open:
                worth = Fraction(1, self.day_length(day))
                if reached + size * worth >= days:
                    size = 1
                reached += size * worth
            instant += size
            if reached >= days:
                return instant

    def elapsed(self, start: int, end: int) -> tuple[int, Fraction]:
        """§5: open seconds in [start, end) and the sum of (open seconds on D) / len(D)."""
        instant, seconds, days = start, 0, Fraction(0)
        while instant < end:
            size, is_open, day = self.probe(instant)
            if instant + size > end:
                size = 1
            if is_open:
                seconds += size
                days += Fraction(size, self.day_length(day))
            instant += size
        return seconds, days


def as_datetime(instant: int, zone: str = "UTC") -> datetime:
    """An aware datetime for an epoch second, in any zone."""
    return datetime.fromtimestamp(instant, ZoneInfo(zone))


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def shift(moment: datetime, seconds: int) -> datetime:
    """``seconds`` of real time later (aware datetime arithmetic in a zone is wall-clock)."""
    return moment.astimezone(UTC) + timedelta(seconds=seconds)
