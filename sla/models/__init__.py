"""Business calendars and service-level policies. The rules live in `sla.engine` (no Django);
these rows are its configuration, turned into engine objects by `sla.calendars`."""

from .audit import SlaChange
from .calendars import Calendar, Closure, Holiday, OpeningHours
from .policies import Contract, ContractOverride, Policy, PolicyTarget

__all__ = [
    "Calendar",
    "Closure",
    "Contract",
    "ContractOverride",
    "Holiday",
    "OpeningHours",
    "Policy",
    "PolicyTarget",
    "SlaChange",
]
