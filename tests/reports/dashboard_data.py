"""Hand-built tickets for the dashboard tests: every SLA field set explicitly, so each test knows
exactly which targets are met, breached or open and what every figure must be.

These rows bypass the services on purpose (like `generate_load`): the dashboard reads the
bookkeeping fields, and the tests must control them to the second."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from reports.filters import DashboardFilter, Period
from sla.choices import Severity, SlaState, Status, TargetState
from tickets.models import Ticket

BERLIN = ZoneInfo("Europe/Berlin")
_numbers = itertools.count(1)

MET, BREACHED, OPEN, PAUSED = (
    TargetState.MET.value, TargetState.BREACHED.value, TargetState.OPEN.value, TargetState.PAUSED.value,
)


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def make_ticket(organisation, *, reported_at: datetime, severity: str = Severity.SEVERE, **fields) -> Ticket:
    """A ticket with the given bookkeeping; no SLA target unless the fields give one."""
    number = next(_numbers)
    values = {
        "reference": f"T-DASH-{number:05d}",
        "subject": f"Störung Nr. {number}: Waage in der Bäckerei",
        "description": "Die Waage zeigt „Fehler 42“.",
        "category": "fault",
        "severity": severity,
        "organisation": organisation,
        "status": Status.IN_PROGRESS,
        "reported_at": reported_at,
        "sla_state": SlaState.ON_TRACK,
        **fields,
    }
    return Ticket.objects.create(**values)


def reacted(organisation, *, reported_at: datetime, after: timedelta, due_after: timedelta, business_seconds: int,
            **fields) -> Ticket:
    """A ticket whose reaction came `after` the report; met when that is not later than the due
    instant, breached otherwise."""
    reaction_at = reported_at + after
    due = reported_at + due_after
    return make_ticket(
        organisation,
        reported_at=reported_at,
        reaction_target="6h",
        reaction_due_at=due,
        reaction_warning_at=reported_at + due_after * 3 / 4,
        first_reaction_at=reaction_at,
        reaction_state=MET if reaction_at <= due else BREACHED,
        reaction_business_seconds=business_seconds,
        **fields,
    )


def flt(first_day: date, last_day: date, **fields) -> DashboardFilter:
    return DashboardFilter(period=Period.CUSTOM, first_day=first_day, last_day=last_day, **fields)
