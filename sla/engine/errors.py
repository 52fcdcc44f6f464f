"""Exceptions raised by the SLA engine. All derive from ``EngineError`` (a ``ValueError``)."""


class EngineError(ValueError):
    """Base class of every error the engine raises on bad input."""


class CalendarError(EngineError):
    """A business calendar definition is invalid (hours, time zone, closed dates, range)."""


class TargetError(EngineError):
    """A target is malformed, not positive, or not a whole number of seconds."""


class InstantError(EngineError):
    """An instant is naive, has no UTC offset, or carries sub-second precision."""


class OutOfRangeError(EngineError):
    """A computation needs a local date outside the calendar's covered holiday data."""

    def __init__(self, year: int, slug: str):
        super().__init__(f"no holiday data for {year} in calendar {slug}")
        self.year = year
        self.slug = slug
