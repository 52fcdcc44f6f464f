"""Open time of a calendar as sorted arrays of UTC epoch-second intervals (internal).

A calendar's open time is built lazily per local year and kept in *segments*: runs of
consecutive years flattened into arrays, so that every query is a bisection plus integer
arithmetic. Local wall-clock ranges are turned into real intervals piece by piece between
the zone's UTC offset changes, so skipped wall-clock times contribute nothing and repeated
ones count twice.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from .calendar import BusinessCalendar
from .errors import EngineError, OutOfRangeError

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_DAY = 86400
_PROBE = 3 * 3600  # an offset change undone within this time would go unseen (none known)
_MIN_YEAR, _MAX_YEAR = 2, 9998  # keeps every conversion inside datetime's range
_MAX_AHEAD = 100 * 366 * _DAY  # how far past its start one computation may look
_MAX_YEARS_PER_CALENDAR = 150  # built years kept per calendar before starting afresh
_MAX_TIMELINES = 64
_MAX_ZONE_YEARS = 512

# (zone key, year) -> [(start, end, offset)]: UTC offset pieces around that local year
_zone_pieces_cache: dict[tuple[str, int], list[tuple[int, int, int]]] = {}
_timelines: dict[BusinessCalendar, Timeline] = {}


def timeline_for(calendar: BusinessCalendar) -> Timeline:
    """The (cached) timeline of ``calendar``; equal calendars share one."""
    if not isinstance(calendar, BusinessCalendar):
        raise TypeError(f"expected a BusinessCalendar, got {type(calendar).__name__}")
    timeline = calendar.__dict__.get("_timeline")
    if timeline is not None:
        return timeline
    timeline = _timelines.get(calendar)
    if timeline is None:
        if len(_timelines) >= _MAX_TIMELINES:
            _timelines.pop(next(iter(_timelines)))
        timeline = _timelines[calendar] = Timeline(calendar)
    object.__setattr__(calendar, "_timeline", timeline)
    return timeline


def wall_seconds(day_ordinal: int) -> int:
    """Seconds from 1970-01-01T00:00 to the start of a local date, on the wall clock."""
    return (day_ordinal - _EPOCH_ORDINAL) * _DAY


def _offset(zone: ZoneInfo, instant: int) -> int:
    delta = datetime.fromtimestamp(instant, zone).utcoffset()
    return delta.days * _DAY + delta.seconds


def _zone_pieces(zone: ZoneInfo, year: int) -> list[tuple[int, int, int]]:
    """Constant-offset pieces ``(start, end, offset)`` covering the local year with margin."""
    key = (zone.key, year)
    pieces = _zone_pieces_cache.get(key)
    if pieces is not None:
        return pieces
    low = wall_seconds(date(year, 1, 1).toordinal()) - 2 * _DAY
    high = wall_seconds(date(year + 1, 1, 1).toordinal()) + 2 * _DAY
    current = _offset(zone, low)
    changes = [(low, current)]
    probe = low
    while probe < high:
        ahead = min(probe + _PROBE, high)
        ahead_offset = _offset(zone, ahead)
        while ahead_offset != current:  # at least one change in (probe, ahead]
            before, after = probe, ahead
            while after - before > 1:
                middle = (before + after) // 2
                if _offset(zone, middle) == current:
                    before = middle
                else:
                    after = middle
            current = _offset(zone, after)
            changes.append((after, current))
            probe = after
        probe = ahead
    bounds = [start for start, _ in changes[1:]] + [high]
    pieces = [(start, end, off) for (start, off), end in zip(changes, bounds, strict=True)]
    if len(_zone_pieces_cache) >= _MAX_ZONE_YEARS:
        _zone_pieces_cache.clear()
    _zone_pieces_cache[key] = pieces
    return pieces


def _first_instant_at_or_after(pieces: list[tuple[int, int, int]], wall: int) -> int:
    """The first real instant whose local wall-clock reading is at or after ``wall``."""
    for start, end, offset in pieces:
        candidate = max(start, wall - offset)
        if candidate < end:
            return candidate
    raise AssertionError("wall-clock time outside the pieces")  # pragma: no cover


class _Day:
    __slots__ = ("intervals", "length", "ordinal")

    def __init__(self, ordinal: int, intervals: list[tuple[int, int]]):
        self.ordinal = ordinal
        self.intervals = intervals
        self.length = sum(end - start for start, end in intervals)


class Segment:
    """Open intervals of consecutive local years ``first_year..last_year`` as flat arrays.

    ``starts``/``ends``: interval bounds (epoch seconds, sorted); ``cum[i]``: open seconds
    before interval i; ``day_of[i]``: index of the open day of interval i; ``day_len[k]``:
    open seconds of day k; ``day_cum[k]``: open seconds before day k (one extra entry).
    ``contiguous`` tells that every day's intervals are consecutive in real time (false
    only where a clock change moves the local date backwards).
    """

    __slots__ = (
        "contiguous",
        "cum",
        "day_cum",
        "day_len",
        "day_of",
        "ends",
        "first_ordinal",
        "first_year",
        "high",
        "last_ordinal",
        "last_year",
        "low",
        "starts",
        "total",
    )

    def __init__(
        self,
        first_year: int,
        last_year: int,
        first_ordinal: int,
        last_ordinal: int,
        low: int,
        high: int,
        days: list[_Day],
    ):
        self.first_year, self.last_year = first_year, last_year
        self.first_ordinal, self.last_ordinal = first_ordinal, last_ordinal
        self.low, self.high = low, high  # real instants of the covered local dates: [low, high)
        flat = [(start, end, index) for index, day in enumerate(days) for start, end in day.intervals]
        self.contiguous = all(flat[i][0] >= flat[i - 1][1] for i in range(1, len(flat)))
        if not self.contiguous:
            flat.sort()
        self.starts = [start for start, _, _ in flat]
        self.ends = [end for _, end, _ in flat]
        self.day_of = [index for _, _, index in flat]
        self.day_len = [day.length for day in days]
        cum = [0]
        for start, end, _ in flat:
            cum.append(cum[-1] + end - start)
        self.cum = cum
        self.total = cum[-1]
        day_cum = [0]
        for length in self.day_len:
            day_cum.append(day_cum[-1] + length)
        self.day_cum = day_cum


class Timeline:
    """Lazily built open time of one calendar."""

    def __init__(self, calendar: BusinessCalendar):
        self.slug = calendar.slug
        self.zone = ZoneInfo(calendar.tz)
        self.weekly = calendar.weekly
        self.closed = frozenset(day.toordinal() for day, _ in calendar.closed)
        covered = calendar.covered
        self.covered = None if covered is None else (covered[0].toordinal(), covered[1].toordinal())
        self._years: dict[int, list[_Day]] = {}
        self.segments: list[Segment] = []
        self.current: Segment | None = None

    def local_date(self, instant: int) -> date:
        """The local date of an instant, checked against the covered range."""
        try:
            day = datetime.fromtimestamp(instant, self.zone).date()
        except (OverflowError, ValueError, OSError):
            raise OutOfRangeError(1 if instant < 0 else 9999, self.slug) from None
        self._check_ordinal(day.toordinal())
        return day

    def _check_ordinal(self, ordinal: int) -> None:
        year = date.fromordinal(ordinal).year
        if not _MIN_YEAR <= year <= _MAX_YEAR:
            raise OutOfRangeError(year, self.slug)
        if self.covered is not None and not self.covered[0] <= ordinal <= self.covered[1]:
            raise OutOfRangeError(year, self.slug)

    def segment_at(self, instant: int) -> Segment:
        """A segment whose local dates include the instant's."""
        segment = self.current
        if segment is not None and segment.low <= instant < segment.high:
            return segment
        for segment in self.segments:
            if segment.low <= instant < segment.high:
                self.current = segment
                return segment
        year = self.local_date(instant).year
        return self._span(year, year)

    def extend(self, segment: Segment, origin: int) -> Segment:
        """A segment covering ``segment`` and the local year after it, for a computation
        that started at ``origin`` (refused once it looks a hundred years ahead)."""
        self._check_ordinal(segment.last_ordinal + 1)
        if segment.high - origin > _MAX_AHEAD:
            raise EngineError(f"calendar {self.slug}: no result within 100 years")
        return self._span(segment.first_year, segment.last_year + 1)

    def extend_to(self, segment: Segment, instant: int, origin: int) -> Segment:
        """A segment covering ``segment`` and every second before the instant."""
        while instant > segment.high:
            segment = self.extend(segment, origin)
        return segment

    def _span(self, first_year: int, last_year: int) -> Segment:
        if len(self._years) > _MAX_YEARS_PER_CALENDAR:
            self._years.clear()
            self.segments = []
        kept = []
        for segment in self.segments:
            if segment.last_year + 1 < first_year or segment.first_year - 1 > last_year:
                kept.append(segment)
            else:
                first_year = min(first_year, segment.first_year)
                last_year = max(last_year, segment.last_year)
        first_ordinal = date(first_year, 1, 1).toordinal()
        last_ordinal = date(last_year, 12, 31).toordinal()
        if self.covered is not None:
            first_ordinal = max(first_ordinal, self.covered[0])
            last_ordinal = min(last_ordinal, self.covered[1])
        days: list[_Day] = []
        for year in range(first_year, last_year + 1):
            days.extend(self._year(year, first_ordinal, last_ordinal))
        low = _first_instant_at_or_after(_zone_pieces(self.zone, first_year), wall_seconds(first_ordinal))
        high = _first_instant_at_or_after(_zone_pieces(self.zone, last_year), wall_seconds(last_ordinal + 1))
        segment = Segment(first_year, last_year, first_ordinal, last_ordinal, low, high, days)
        kept.append(segment)
        kept.sort(key=lambda s: s.first_year)
        self.segments = kept
        self.current = segment
        return segment

    def _year(self, year: int, first_ordinal: int, last_ordinal: int) -> list[_Day]:
        days = self._years.get(year)
        if days is None:
            days = self._years[year] = self._build_year(year)
        return [day for day in days if first_ordinal <= day.ordinal <= last_ordinal]

    def _build_year(self, year: int) -> list[_Day]:
        pieces = _zone_pieces(self.zone, year)
        weekly, closed = self.weekly, self.closed
        days = []
        for ordinal in range(date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal() + 1):
            ranges = weekly[(ordinal - 1) % 7]  # ordinal 1 (0001-01-01) is a Monday
            if not ranges or ordinal in closed:
                continue
            midnight = wall_seconds(ordinal)
            intervals = []
            for open_minute, close_minute in ranges:
                wall_open = midnight + open_minute * 60
                wall_close = midnight + close_minute * 60
                for start, end, offset in pieces:
                    low = max(start, wall_open - offset)
                    high = min(end, wall_close - offset)
                    if low < high:
                        intervals.append((low, high))
            if not intervals:
                continue  # every window skipped by a clock change: no open second
            intervals.sort()
            merged = [intervals[0]]
            for start, end in intervals[1:]:
                if start == merged[-1][1]:
                    merged[-1] = (merged[-1][0], end)
                else:
                    merged.append((start, end))
            days.append(_Day(ordinal, merged))
        return days
