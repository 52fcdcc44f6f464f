"""Deadlines: adding business time (semantics §3) and working days (§4) to an instant."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import datetime
from fractions import Fraction

from .calendar import BusinessCalendar
from .errors import TargetError
from .instants import to_epoch
from .targets import Target, exact_days, whole_seconds
from .timeline import Segment, Timeline, timeline_for


def add_business_time(calendar: BusinessCalendar, start: datetime, seconds: int) -> datetime:
    """End of the last of ``seconds`` open seconds counted from ``start`` (a close stays a close)."""
    timeline = timeline_for(calendar)
    end = add_seconds(timeline, to_epoch(start), whole_seconds(seconds))
    return datetime.fromtimestamp(end, timeline.zone)


def add_working_days(calendar: BusinessCalendar, start: datetime, days: Fraction) -> datetime:
    """End of the second at which ``days`` working days are reached, rounded up to a second."""
    timeline = timeline_for(calendar)
    amount = exact_days(days)
    end = add_days(timeline, to_epoch(start), amount.numerator, amount.denominator)
    return datetime.fromtimestamp(end, timeline.zone)


def deadline(calendar: BusinessCalendar, start: datetime, target: Target) -> datetime:
    """The deadline of ``target`` from ``start``: a business duration or working days."""
    timeline = timeline_for(calendar)
    instant = to_epoch(start)
    if type(target) is not Target and not isinstance(target, Target):
        raise TargetError(f"expected a Target, got {type(target).__name__}")
    if target.seconds is not None:
        end = add_seconds(timeline, instant, target.seconds)
    else:
        days = target.days
        end = add_days(timeline, instant, days.numerator, days.denominator)
    return datetime.fromtimestamp(end, timeline.zone)


def add_seconds(timeline: Timeline, instant: int, seconds: int) -> int:
    """Epoch-second form of :func:`add_business_time`."""
    segment = timeline.segment_at(instant)
    while True:
        ends = segment.ends
        index = bisect_right(ends, instant)
        cum = segment.cum
        if index < len(ends):
            opening = segment.starts[index]
            goal = cum[index] + (instant - opening if instant > opening else 0) + seconds
        else:
            goal = segment.total + seconds
        if goal <= segment.total:
            last = bisect_left(cum, goal) - 1
            return segment.starts[last] + goal - cum[last]
        segment = timeline.extend(segment, instant)


def add_days(timeline: Timeline, instant: int, numerator: int, denominator: int) -> int:
    """Epoch-second form of :func:`add_working_days` for ``numerator/denominator`` days."""
    segment = timeline.segment_at(instant)
    while True:
        ends = segment.ends
        index = bisect_right(ends, instant)
        if index == len(ends):
            segment = timeline.extend(segment, instant)
            continue
        if not segment.contiguous:
            end = _add_days_walking(segment, index, instant, Fraction(numerator, denominator))
            if end is None:
                segment = timeline.extend(segment, instant)
                continue
            return end
        cum, starts = segment.cum, segment.starts
        opening = starts[index]
        position = cum[index] + (instant - opening if instant > opening else 0)
        day = segment.day_of[index]
        length = segment.day_len[day]
        rest = segment.day_cum[day + 1] - position  # open seconds of this day from the start
        if numerator * length <= denominator * rest:  # reached on the starting day
            goal = position - (-numerator * length // denominator)
        else:
            # still needed after this day, as needed/scale working days
            scale = denominator * length
            needed = numerator * length - denominator * rest
            ahead = -(-needed // scale)  # the final day is `ahead` open days later
            final = day + ahead
            if final >= len(segment.day_len):
                segment = timeline.extend(segment, instant)
                continue
            fraction = needed - (ahead - 1) * scale  # of the final day, over scale
            goal = segment.day_cum[final] - (-fraction * segment.day_len[final] // scale)
        last = bisect_left(cum, goal) - 1
        return starts[last] + goal - cum[last]


def _add_days_walking(segment: Segment, index: int, instant: int, days: Fraction) -> int | None:
    """Interval-by-interval working days, for segments whose days interleave in real time."""
    reached = Fraction(0)
    starts, ends, day_of, day_len = segment.starts, segment.ends, segment.day_of, segment.day_len
    for position in range(index, len(starts)):
        begin = max(instant, starts[position])
        length = day_len[day_of[position]]
        gain = Fraction(ends[position] - begin, length)
        if reached + gain >= days:
            needed = (days - reached) * length
            return begin - (-needed.numerator // needed.denominator)
        reached += gain
    return None
