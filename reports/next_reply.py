"""The next-reply target in the reports: its cycles (`tickets.NextReplyCycle`, one row per cycle)
counted by their decision instant, like the other targets (`outcomes`):

- a **met** cycle was decided when the agent answered (or the ticket was resolved or closed):
  `settled_at` in the period;
- a **breached** cycle was decided at its due instant: stored as breached, or still open although
  the due instant has passed (overdue), with `due_at` in the period. A paused cycle is never
  overdue (a paused clock that is overdue does not pause).

One aggregate over the rows whose `settled_at` or `due_at` falls in the period (both indexed),
restricted to the dashboard filter's tickets."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q

from sla.choices import TargetState
from tickets.models import NextReplyCycle

from .filters import DashboardFilter
from .outcomes import between


def _prefixed(q: Q, prefix: str) -> Q:
    """The same conditions about a related object (`prefix` + "__" + each lookup)."""
    copy = Q()
    copy.connector, copy.negated = q.connector, q.negated
    copy.children = [
        _prefixed(child, prefix) if isinstance(child, Q) else (f"{prefix}__{child[0]}", child[1])
        for child in q.children
    ]
    return copy


def met_q(start: datetime, end: datetime) -> Q:
    return Q(state=TargetState.MET) & between("settled_at", start, end)


def breached_q(now: datetime, start: datetime, end: datetime) -> Q:
    overdue = Q(state=TargetState.OPEN, due_at__lte=now)
    return (Q(state=TargetState.BREACHED) | overdue) & between("due_at", start, end)


def next_reply_counts(*, flt: DashboardFilter, now: datetime) -> tuple[int, int]:
    """(met, breached) next-reply cycles decided in the filter's period, on its tickets."""
    start, end = flt.start, flt.end
    rows = NextReplyCycle.objects.filter(_prefixed(flt.scope_q(), "ticket")).filter(
        between("settled_at", start, end) | between("due_at", start, end)
    )
    counts = rows.aggregate(met=Count("pk", filter=met_q(start, end)),
                            breached=Count("pk", filter=breached_q(now, start, end)))
    return counts["met"], counts["breached"]
