"""The SLA clocks as agents see them: per target the deadline, the business time used and the
business time left (or by how much it is overdue), measured on the ticket's snapshot calendar
with the engine (`sla.engine.elapsed`). Reads only; the bookkeeping is `tickets.services.sla`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sla import engine
from sla.calendars import business_calendar_for
from sla.choices import TargetState
from sla.engine import clock
from sla.engine.clock import whole_second

logger = logging.getLogger(__name__)

REACTION, RESOLUTION, NEXT_REPLY = "reaction", "resolution", "next_reply"
LABELS = {REACTION: gettext_lazy("Reaction"), RESOLUTION: gettext_lazy("Resolution"),
          NEXT_REPLY: gettext_lazy("Next reply")}


@dataclass(frozen=True)
class SlaClock:
    kind: str  # "reaction", "resolution" or "next_reply"
    label: str
    target: str  # the target text, e.g. "6h" or "1.5d"
    state: str  # TargetState code, "overdue" for an open target past its deadline
    due_at: datetime | None
    used_seconds: int | None  # business time used so far (or until the target was decided)
    left_seconds: int | None  # business time left; negative: overdue by that much
    paused: bool = False

    @property
    def overdue(self) -> bool:
        return self.left_seconds is not None and self.left_seconds < 0


def _business(ticket):
    if ticket.sla_calendar_id is None:
        return None
    try:
        return business_calendar_for(calendar=ticket.sla_calendar)
    except engine.EngineError as problem:
        logger.warning("no business calendar for ticket %s: %s", ticket.reference, problem)
        return None


def _between(business, start: datetime, end: datetime) -> int | None:
    """Business seconds in [start, end) (negative when end is before start); None when the engine
    cannot tell (e.g. beyond the calendar's holiday years)."""
    start, end = whole_second(start), whole_second(end)
    try:
        if end >= start:
            return engine.elapsed(business, start, end).seconds
        return -engine.elapsed(business, end, start).seconds
    except engine.EngineError:
        return None


def _reaction(ticket, business, now: datetime) -> SlaClock:
    done = ticket.first_reaction_at
    if done is not None and ticket.reaction_business_seconds is not None:
        used = ticket.reaction_business_seconds
    else:
        used = _between(business, ticket.reported_at, done or now)
    due = ticket.reaction_due_at
    left = _between(business, done or now, due) if due else None
    state = ticket.reaction_state
    if state == TargetState.OPEN and left is not None and left <= 0 and due <= now:
        left = min(left, -1)
    return SlaClock(REACTION, str(LABELS[REACTION]), ticket.reaction_target, state, due, used, left)


def _resolution(ticket, business, now: datetime) -> SlaClock:
    # A paused clock, and one stopped by the resolution, stands still at `resolution_paused_since`.
    end = ticket.resolution_paused_since or now
    used = _between(business, ticket.reported_at, end)
    if used is not None:
        used = max(0, used - (ticket.resolution_paused_seconds or 0))
    due = ticket.resolution_due_at
    left = _between(business, end, due) if due else None
    if ticket.resolution_state == TargetState.OPEN and due is not None and due <= now and left is not None:
        left = min(left, -1)
    return SlaClock(
        RESOLUTION, str(LABELS[RESOLUTION]), ticket.resolution_target, ticket.resolution_state, due, used, left,
        paused=ticket.resolution_state == TargetState.PAUSED,
    )


def _next_reply(ticket, business, now: datetime) -> SlaClock:
    """The current (or last) next-reply cycle: from the customer's message to the agent's answer,
    its pauses left out."""
    state, due = ticket.next_reply_state, ticket.next_reply_due_at
    if state in (TargetState.MET, TargetState.BREACHED):
        used = ticket.next_reply_business_seconds
        left = None
    else:
        end = ticket.next_reply_paused_since or now
        used = _between(business, ticket.next_reply_started_at, end)
        if used is not None:
            used = max(0, used - (ticket.next_reply_paused_seconds or 0))
        left = _between(business, end, due) if due else None
        if state == TargetState.OPEN and due is not None and due <= now and left is not None:
            left = min(left, -1)
    return SlaClock(NEXT_REPLY, str(LABELS[NEXT_REPLY]), ticket.next_reply_target, state, due, used, left,
                    paused=state == TargetState.PAUSED)


def sla_clocks_for(*, ticket, now: datetime) -> list[SlaClock]:
    """The ticket's reaction and resolution clocks and its current next-reply cycle (only the
    targets it has)."""
    business = _business(ticket)
    if business is None:
        return []
    clocks = []
    if ticket.reaction_state:
        clocks.append(_reaction(ticket, business, now))
    if ticket.resolution_state:
        clocks.append(_resolution(ticket, business, now))
    if ticket.next_reply_state:
        clocks.append(_next_reply(ticket, business, now))
    return clocks


@dataclass(frozen=True)
class QueueClock:
    """What a queue row shows about the SLA: the state now, and the business time left on the
    running deadline (negative: overdue by that much)."""

    state: str
    left_seconds: int | None


def queue_clock_for(*, ticket, now: datetime) -> QueueClock:
    state = clock.sla_state(ticket, now)
    if ticket.queue_bucket != 0:
        return QueueClock(state, None)
    business = _business(ticket)
    left = _between(business, now, ticket.queue_sort_at) if business is not None else None
    if left is not None and ticket.queue_sort_at <= now:
        left = min(left, -1)
    return QueueClock(state, left)


def format_business_time(seconds: int | None) -> str:
    """"3 h 20 min" of business time (the sign is the caller's business)."""
    if seconds is None:
        return ""
    minutes = abs(seconds) // 60
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}
