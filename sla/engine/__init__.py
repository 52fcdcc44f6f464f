"""The SLA deadline engine: business calendars and deadline arithmetic, without Django.

Follows ``SEMANTICS.md``: open time is half-open ``[open, close)`` in the calendar's local
wall clock, counted in real elapsed seconds; a target used up exactly at a closing instant
ends at that instant; working days weigh each open second of day D as 1/len(D).
"""

from .calendar import BusinessCalendar
from .deadlines import add_business_time, add_working_days, deadline
from .errors import CalendarError, EngineError, InstantError, OutOfRangeError, TargetError
from .instants import format_instant, parse_instant
from .measures import Elapsed, closed_days_between, elapsed, is_open, next_opening
from .targets import Target, parse_target

__all__ = [
    "BusinessCalendar",
    "CalendarError",
    "Elapsed",
    "EngineError",
    "InstantError",
    "OutOfRangeError",
    "Target",
    "TargetError",
    "add_business_time",
    "add_working_days",
    "closed_days_between",
    "deadline",
    "elapsed",
    "format_instant",
    "is_open",
    "next_opening",
    "parse_instant",
    "parse_target",
]
