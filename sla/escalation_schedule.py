"""Which escalation levels a ticket has, when each falls due, and which are still pending.

Levels per open target (reaction while not reacted; resolution while not resolved and not
paused — `tickets.services.sla.sla_escalation_instants`):
- warning at the target's warning instant (the policy's threshold, snapshot on the ticket);
- breach at the due instant;
- post-breach `Policy.post_breach_after` business time after the due instant, when set.

A level is pending while its `sla.Escalation` row does not exist, whether its instant has passed
or not: `tickets.services.sla.sla_state_compute` sets `next_escalation_at` to the earliest pending
instant through `pending_instants`, so a ticket touched between an instant and the next scan (or
during a worker outage) is never skipped."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import lru_cache
from typing import NamedTuple

from django.utils import timezone

from sla import engine
from sla.calendars import business_calendar_for

from .models.escalation import Escalation, EscalationLevel

logger = logging.getLogger(__name__)

# Set by the escalation scan on the tickets it holds: {(target, level)} fired (saves a query),
# and the ticket's levels (its deadlines do not change while the scan holds the row).
FIRED_ATTR = "_escalations_fired"
LEVELS_ATTR = "_escalation_levels"


class Level(NamedTuple):
    target: str  # EscalationTarget code
    level: str  # EscalationLevel code
    at: datetime  # when it falls due (UTC)


@lru_cache(maxsize=64)
def _delay(text: str) -> engine.Target | None:
    try:
        return engine.parse_target(text)
    except engine.EngineError:
        logger.warning("unreadable post-breach delay %r", text)
        return None


def _post_breach_delay(ticket) -> engine.Target | None:
    policy = ticket.sla_policy if ticket.sla_policy_id else None
    text = (policy.post_breach_after if policy is not None else "").strip()
    return _delay(text) if text else None


def ticket_levels(ticket, *, calendars: dict | None = None) -> list[Level]:
    """All levels of the ticket's open targets, earliest first (no database access beyond the
    ticket's policy and calendar, which the scan loads with the ticket). `calendars` caches the
    engine calendars by id for a caller that handles many tickets."""
    cached = getattr(ticket, LEVELS_ATTR, None)
    if cached is not None:
        return cached
    from tickets.services.sla import sla_escalation_instants

    levels: list = list(sla_escalation_instants(ticket))  # (target, level, at) tuples, like Level
    delay = _post_breach_delay(ticket) if levels else None
    if delay is not None and ticket.sla_calendar_id:
        if calendars is None:
            business = business_calendar_for(calendar=ticket.sla_calendar)
        elif ticket.sla_calendar_id in calendars:
            business = calendars[ticket.sla_calendar_id]
        else:
            business = calendars[ticket.sla_calendar_id] = business_calendar_for(calendar=ticket.sla_calendar)
        for item in [level for level in levels if level.level == EscalationLevel.BREACH]:
            try:
                at = engine.deadline(business, item.at, delay).astimezone(UTC)
            except engine.EngineError as problem:
                logger.warning("ticket %s: no post-breach instant: %s", ticket.pk, problem)
                continue
            levels.append(Level(item.target, EscalationLevel.POST_BREACH, at))
    return sorted(levels, key=lambda level: level.at)


def fired_levels(ticket) -> set[tuple[str, str]]:
    """{(target, level)} that fired for the ticket (from the scan's cache, else one query)."""
    cached = getattr(ticket, FIRED_ATTR, None)
    if cached is not None:
        return cached
    if ticket.pk is None:
        return set()
    return set(Escalation.objects.filter(ticket_id=ticket.pk).values_list("target", "level"))


def pending_levels(ticket, *, fired: set[tuple[str, str]] | None = None) -> list[Level]:
    """The levels that have not fired yet, earliest first."""
    levels = ticket_levels(ticket)
    if not levels:
        return []
    if fired is None:
        if getattr(ticket, FIRED_ATTR, None) is None and levels[0].at > timezone.now():
            # Nothing can have fired yet: a level fires only once its instant has passed, and an
            # instant that has passed is never moved (tickets.services.sla).
            return levels
        fired = fired_levels(ticket)
    return [level for level in levels if (level.target, level.level) not in fired]


def pending_instants(ticket) -> list[datetime]:
    """The instants of the pending levels; `next_escalation_at` is the earliest of them."""
    return [level.at for level in pending_levels(ticket)]


def due_levels(ticket, *, now: datetime, fired: set[tuple[str, str]]) -> list[Level]:
    """The pending levels whose instant is at or before `now` (several after an outage)."""
    return [level for level in pending_levels(ticket, fired=fired) if level.at <= now]
