"""When a ticket's SLA target counts as met or breached in a period, and when that was decided.
The target states themselves are the target clock's (`sla.engine.clock`), as database expressions
in `tickets.sla_expressions`; this module adds the periods (docs/reports.md, "Manager
dashboard", says the same in prose).

- A **met** target was decided when it was met: the reaction at `first_reaction_at` (or, for a
  ticket resolved or closed before anybody reacted, at that instant), the resolution at
  `resolved_at` (or `closed_at` for a ticket closed without being resolved).
- A **breached** target was decided at its due instant: stored as breached, or still open although
  the due instant has passed ("overdue", which the tickets app does not store until something
  happens). So a past period's figures do not change when a late reaction finally comes.
- Open targets not yet due, paused resolution clocks and tickets without a target are undecided.
- **At risk now** is the ticket state "at risk" (`sla.engine.clock.sla_state`) of an open
  ticket: no target breached or overdue, and an open target past its warning instant.

Every function takes `now` (read once per request) and returns an expression or a Q object.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Case, DateTimeField, F, Q, When

from sla.choices import OPEN_STATUSES, TargetState
from tickets import sla_expressions

MET = TargetState.MET.value
OPEN_STATUS_CODES = sorted(str(status) for status in OPEN_STATUSES)
REACTION, RESOLUTION = "reaction", "resolution"
TARGETS = (REACTION, RESOLUTION)


def met_in_q(target: str, start: datetime, end: datetime) -> Q:
    """The target was met in [start, end); needs the alias `<target>_met_instant` (`sla_expressions.met_at`)."""
    return Q(**{f"{target}_state": MET}) & between(f"{target}_met_instant", start, end)


def breached_in_q(target: str, now: datetime, start: datetime, end: datetime) -> Q:
    """The target was breached in [start, end): its due instant passed then, unmet."""
    return sla_expressions.is_breached(target, now) & between(f"{target}_due_at", start, end)


def next_due(now: datetime):
    """The due instant of the first warned open target (the at-risk list's order)."""
    return Case(
        When(sla_expressions.is_warned(REACTION, now), then=F("reaction_due_at")),
        When(sla_expressions.is_warned(RESOLUTION, now), then=F("resolution_due_at")),
        default=None,
        output_field=DateTimeField(),
    )


def last_breach(now: datetime, start: datetime, end: datetime):
    """The latest breach of the ticket in [start, end) (the breached list's order): the resolution's
    if it was breached then, else the reaction's."""
    return Case(
        When(breached_in_q(RESOLUTION, now, start, end), then=F("resolution_due_at")),
        When(breached_in_q(REACTION, now, start, end), then=F("reaction_due_at")),
        default=None,
        output_field=DateTimeField(),
    )


def between(expression_name: str, start: datetime, end: datetime) -> Q:
    """`start <= value < end` for an annotation or field name."""
    return Q(**{f"{expression_name}__gte": start, f"{expression_name}__lt": end})


def open_q() -> Q:
    return Q(status__in=OPEN_STATUS_CODES)


def at_risk_q(now: datetime) -> Q:
    """An open ticket whose state now is "at risk" (see the module docstring)."""
    return open_q() & sla_expressions.at_risk_q(now)


def candidates_q(start: datetime, end: datetime, *, open_tickets: bool = True) -> Q:
    """A superset of the tickets any dashboard figure of [start, end) can count, in plain indexed
    columns, so the database reads only those: every decision instant above is one of these
    columns, and the "now" figures (backlog, at risk) are about open tickets."""
    columns = ("reported_at", "first_reaction_at", "resolved_at", "closed_at", "reaction_due_at", "resolution_due_at")
    q = open_q() if open_tickets else Q()
    for column in columns:
        q |= between(column, start, end)
    return q


def breach_candidates_q(start: datetime, end: datetime) -> Q:
    """A superset of the tickets with a target breached in [start, end): a breach is decided at
    the due instant."""
    return between("reaction_due_at", start, end) | between("resolution_due_at", start, end)
