"""The target clock (`sla.engine.clock`) as database expressions over a ticket's bookkeeping
columns, for the queue (order and state filter) and the dashboard. Each function mirrors the clock
function of the same name; `tests/tickets/test_sla_clock_equivalence.py` checks them against it
over generated tickets, on SQLite and PostgreSQL. Every function takes `now` where the clock does."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Case, DateTimeField, F, Q, Value, When
from django.db.models.functions import Coalesce

from sla.engine import clock

OPEN, MET, BREACHED, PAUSED = clock.OPEN, clock.MET, clock.BREACHED, clock.PAUSED
REACTION, RESOLUTION, NEXT_REPLY, KINDS = clock.REACTION, clock.RESOLUTION, clock.NEXT_REPLY, clock.KINDS
DONE_STATUSES = ("resolved", "closed")  # sla.choices.Status.RESOLVED / CLOSED (frozen in migration 0006)


def is_overdue(kind: str, now: datetime) -> Q:
    return Q(**{f"{kind}_state": OPEN, f"{kind}_due_at__lte": now})


def is_breached(kind: str, now: datetime) -> Q:
    """Stored as breached, or open and past its due instant."""
    return Q(**{f"{kind}_state": BREACHED}) | is_overdue(kind, now)


def state_at(kind: str, now: datetime):
    """The target's state at `now` (`clock.state_at`): breached once overdue, else as stored."""
    return Case(When(is_overdue(kind, now), then=Value(BREACHED)), default=F(f"{kind}_state"),
                output_field=models.CharField())


def is_warned(kind: str, now: datetime) -> Q:
    """Open and past its warning instant."""
    return Q(**{f"{kind}_state": OPEN, f"{kind}_warning_at__lte": now})


def met_at(kind: str):
    """The instant a target was met (read it only where `<kind>_state` is met)."""
    if kind == REACTION:
        return Coalesce("first_reaction_at", "resolved_at", "closed_at")
    return Coalesce("resolved_at", "closed_at")


def _any(make, now: datetime) -> Q:
    q = Q()
    for kind in KINDS:
        q |= make(kind, now)
    return q


def _any_state(value: str) -> Q:
    return Q(reaction_state=value) | Q(resolution_state=value) | Q(next_reply_state=value)


def sla_state_q(state: str, now: datetime) -> Q:
    """The tickets whose SLA state at `now` (`clock.sla_state`) is `state`."""
    no_target = Q(reaction_state="", resolution_state="", next_reply_state="")
    breached, warned = _any(is_breached, now), _any(is_warned, now)
    running, paused = _any_state(OPEN), _any_state(PAUSED)
    rules = {
        clock.NONE: no_target,
        clock.BREACHED: breached,
        clock.AT_RISK: warned & ~breached,
        clock.ON_TRACK: running & ~breached & ~warned,
        clock.PAUSED: paused & ~no_target & ~breached & ~running,
        clock.STATE_MET: ~no_target & ~breached & ~running & ~paused,
    }
    return rules[state]


def at_risk_q(now: datetime) -> Q:
    return sla_state_q(clock.AT_RISK, now)


# The agent queue's order (`clock.queue_position`), as stored generated columns of `Ticket`: the
# database computes them on every write, so no writer can forget them.
_REACTION_RUNNING = Q(reaction_due_at__isnull=False) & (Q(first_reaction_at__isnull=True) | Q(reaction_state=BREACHED))
_RESOLUTION_RUNNING = Q(resolution_due_at__isnull=False, resolution_state__in=(OPEN, BREACHED))
QUEUE_DUE = Case(
    When(status__in=DONE_STATUSES, then=Value(None)),
    When(_REACTION_RUNNING, then=F("reaction_due_at")),
    When(_RESOLUTION_RUNNING, then=F("resolution_due_at")),
    default=Value(None),
    output_field=DateTimeField(),
)
QUEUE_BUCKET = Case(
    When(status__in=DONE_STATUSES, then=Value(2)),
    When(_REACTION_RUNNING | _RESOLUTION_RUNNING, then=Value(0)),
    default=Value(1),
    output_field=models.SmallIntegerField(),
)
QUEUE_SORT_AT = Coalesce(QUEUE_DUE, F("reported_at"))
