"""Reading, checking and writing instants (aware datetimes with one-second resolution)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from .calendar import BusinessCalendar
from .errors import InstantError

_ISO = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[T ]"
    r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2})(?P<fraction>[.,][0-9]+)?)?"
    r"(?P<offset>[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?"
)


def to_epoch(instant: object) -> int:
    """Whole seconds since 1970-01-01T00:00Z of an aware, whole-second datetime."""
    if not isinstance(instant, datetime):
        raise InstantError(f"expected an aware datetime, got {type(instant).__name__}")
    offset = instant.utcoffset()
    if offset is None:
        raise InstantError(f"instant {instant.isoformat()} has no UTC offset (naive datetime)")
    if instant.microsecond or offset.microseconds:
        raise InstantError(f"instant {instant.isoformat()} has sub-second precision")
    return int(instant.timestamp())


def parse_instant(text: str) -> datetime:
    """Parse ISO-8601 with a UTC offset or ``Z``; seconds optional, fractions rejected."""
    match = _ISO.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise InstantError(f"cannot read instant {text!r}: expected ISO-8601 such as 2027-01-04T13:30:00+01:00")
    if match["fraction"]:
        raise InstantError(f"instant {text!r} has fractional seconds; the resolution is one second")
    if match["offset"] is None:
        raise InstantError(f"instant {text!r} has no UTC offset; add one, e.g. +01:00 or Z")
    offset = match["offset"]
    if offset in ("Z", "z"):
        zone = UTC
    else:
        digits = offset[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if minutes > 59:
            raise InstantError(f"instant {text!r} has an invalid UTC offset {offset}")
        delta = timedelta(hours=hours, minutes=minutes)
        try:
            zone = timezone(-delta if offset[0] == "-" else delta)
        except ValueError:
            raise InstantError(f"instant {text!r} has an invalid UTC offset {offset}") from None
    try:
        return datetime.fromisoformat(match["date"]).replace(
            hour=int(match["hour"]),
            minute=int(match["minute"]),
            second=int(match["second"] or 0),
            tzinfo=zone,
        )
    except ValueError as exc:
        raise InstantError(f"instant {text!r} is not a valid date and time: {exc}") from None


def format_instant(instant: datetime, calendar: BusinessCalendar) -> str:
    """ISO-8601 with seconds and the offset of the calendar's zone at that instant."""
    return datetime.fromtimestamp(to_epoch(instant), calendar.zone).isoformat()
