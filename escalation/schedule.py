"""Which escalation levels a ticket has, when each falls due, and which are still pending.

The rules are the target clock's (`sla.engine.clock`: levels, and the levels that fired as bits
in `Ticket.escalations_fired`):
- warning at the target's warning instant (the policy's threshold, snapshot on the ticket);
- breach at the due instant;
- post-breach `post_breach_after` business time after the due instant (the ticket's snapshot).
A level is pending while its bit is not set, whether its instant has passed or not;
`Ticket.next_escalation_at` is the earliest pending instant (`tickets.services.sla`), so a ticket
touched between an instant and the next scan (or during a worker outage) is never skipped.

This module adds what needs Django: the ticket's calendar (only a post-breach level needs it; the
scan passes a cache by calendar id) and whether the ticket's status is an open one."""

from __future__ import annotations

import logging
from datetime import datetime

from sla import engine
from sla.calendars import business_calendar_for
from sla.choices import OPEN_STATUSES
from sla.engine import clock

logger = logging.getLogger(__name__)

Level = clock.Level  # (target, level, at): an EscalationTarget code, an EscalationLevel code, UTC


def business_for(ticket, *, calendars: dict | None = None):
    """The engine calendar of the ticket's snapshot calendar, or None (no calendar, or the engine
    cannot build it). `calendars` caches them by id for a caller that handles many tickets."""
    if not ticket.sla_calendar_id:
        return None
    if calendars is not None and ticket.sla_calendar_id in calendars:
        return calendars[ticket.sla_calendar_id]
    try:
        business = business_calendar_for(calendar=ticket.sla_calendar)
    except engine.EngineError as problem:
        logger.warning("ticket %s: no business calendar: %s", ticket.pk, problem)
        business = None
    if calendars is not None:
        calendars[ticket.sla_calendar_id] = business
    return business


def _business_if_needed(ticket, calendars: dict | None):
    return business_for(ticket, calendars=calendars) if ticket.post_breach_after else None


def due_levels(ticket, *, now: datetime, calendars: dict | None = None) -> list[Level]:
    """The pending levels whose instant is at or before `now` (several after an outage)."""
    business = _business_if_needed(ticket, calendars)
    return clock.due_levels(ticket, business, now, ticket_open=ticket.status in OPEN_STATUSES)


def mark_fired(ticket, levels) -> None:
    """Set the bits of these (fired) levels on the ticket, in memory."""
    for level in levels:
        ticket.escalations_fired = (ticket.escalations_fired or 0) | clock.level_bit(level.target, level.level)
