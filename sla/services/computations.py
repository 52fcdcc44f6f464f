"""The computations other apps call: deadlines, a ticket's targets, whether a desk is open."""

from datetime import datetime
from typing import NamedTuple

from django.utils import timezone

from sla import engine
from sla.calendars import business_calendar_for
from sla.models import Calendar, Policy
from sla.selectors import policy_target_for
from sla.selectors import support_status as support_status  # a read (the published hours use it); offered here too
from sla.targets import target_parse


def whole_second(instant: datetime) -> datetime:
    """`instant` without its fraction of a second (the engine works to the second)."""
    return instant.replace(microsecond=0)


def deadline_for(*, calendar: Calendar, start: datetime, target) -> datetime:
    """The deadline of `target` (an engine Target or its text, e.g. "6h", "1.5d") from the aware
    instant `start` (a fraction of a second is dropped), in the calendar's time zone.

    Raises `sla.engine.EngineError` subclasses (`OutOfRangeError` outside the calendar's holiday
    years, `InstantError` for a naive start, `CalendarError` for a calendar without hours) and
    `ValidationError` for a malformed target text."""
    if isinstance(target, str):
        target = target_parse(target)
    return engine.deadline(business_calendar_for(calendar=calendar), whole_second(start), target)


class TicketTargets(NamedTuple):
    policy: Policy
    reaction_target: engine.Target
    resolution_target: engine.Target | None
    next_reply_target: engine.Target | None = None


def ticket_targets_for(*, organisation, category: str, severity: str, at: datetime) -> TicketTargets | None:
    """The policy and its targets for a ticket, or None when no contract or no target covers it
    (the rule of `sla.selectors.policy_for`, in one statement: filing a ticket asks this)."""
    if not severity:
        return None
    found = policy_target_for(organisation=organisation, category=category, severity=severity,
                              on=timezone.localdate(at))
    if found is None:
        return None
    policy, reaction, resolution, next_reply = found
    return TicketTargets(policy, target_parse(reaction), target_parse(resolution) if resolution else None,
                         target_parse(next_reply) if next_reply else None)


def reaction_deadline_preview(*, organisation, category: str, severity: str, reported_at: datetime) -> datetime | None:
    """When the reaction would be due for a ticket reported now (None without a target)."""
    targets = ticket_targets_for(organisation=organisation, category=category, severity=severity, at=reported_at)
    if targets is None:
        return None
    return deadline_for(calendar=targets.policy.calendar, start=reported_at, target=targets.reaction_target)
