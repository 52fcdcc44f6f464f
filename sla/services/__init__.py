"""Every write to the SLA configuration, and the computations other apps call.

Import from here: ``from sla import services`` / ``from sla.services import deadline_for``."""

from .calendars import (
    CALENDAR_FIELDS,
    HOLIDAY_SOURCE_FIELDS,
    HolidaySync,
    calendar_changed,
    calendar_create,
    calendar_holidays_sync,
    calendar_set_hours,
    calendar_update,
    closure_add,
    closure_change,
    closure_remove,
    holiday_add,
    holiday_change,
    holiday_remove,
)
from .computations import (
    TicketTargets,
    deadline_for,
    reaction_deadline_preview,
    support_status,
    ticket_targets_for,
    whole_second,
)
from .policies import (
    contract_create,
    contract_override_set,
    contract_update,
    policy_create,
    policy_target_remove,
    policy_target_set,
    policy_update,
)

__all__ = [
    "CALENDAR_FIELDS",
    "HOLIDAY_SOURCE_FIELDS",
    "HolidaySync",
    "TicketTargets",
    "calendar_changed",
    "calendar_create",
    "calendar_holidays_sync",
    "calendar_set_hours",
    "calendar_update",
    "closure_add",
    "closure_change",
    "closure_remove",
    "contract_create",
    "contract_override_set",
    "contract_update",
    "deadline_for",
    "holiday_add",
    "holiday_change",
    "holiday_remove",
    "policy_create",
    "policy_target_remove",
    "policy_target_set",
    "policy_update",
    "reaction_deadline_preview",
    "support_status",
    "ticket_targets_for",
    "whole_second",
]
