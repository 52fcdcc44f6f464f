"""The dashboard's two ticket lists: tickets with a target breached in the period (the latest breach
first) and open tickets at risk now (the nearest due instant first), each row linking to the agent
workspace. One query each; on the page the scan (`scan.figure_rows`) has already picked the
tickets, which are then read by primary key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, F, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sla.choices import Severity, Status
from tickets import sla_expressions
from tickets.models import Ticket

from . import outcomes
from .filters import DashboardFilter
from .outcomes import REACTION, RESOLUTION, TARGETS

LIST_ROWS = 50  # tickets in a list on the page
TARGET_LABELS = {
    REACTION: pgettext_lazy("SLA target", "Reaction"),
    RESOLUTION: pgettext_lazy("SLA target", "Resolution"),
}
SEVERITY_LABELS = {**dict(Severity.choices), "": _("Without severity")}
STATUS_LABELS = dict(Status.choices)


@dataclass(frozen=True)
class TicketLine:
    reference: str
    subject: str
    organisation: str
    severity: str
    status: str
    assignee: str
    targets: list[str]
    due_at: datetime | None
    url: str



def _ticket_url(reference: str) -> str:
    try:
        return reverse("tickets:workspace", kwargs={"reference": reference})
    except NoReverseMatch:  # without the agent workspace: the ticket page
        return reverse("tickets:detail", kwargs={"reference": reference})


LINE_FIELDS = (
    "reference", "subject", "organisation__name", "severity", "status", "assignee__first_name",
    "assignee__last_name", "assignee__username",
)


def _line(row: dict, targets: list[str], due_at) -> TicketLine:
    assignee = f"{row['assignee__first_name'] or ''} {row['assignee__last_name'] or ''}".strip()
    return TicketLine(
        reference=row["reference"],
        subject=row["subject"],
        organisation=row["organisation__name"],
        severity=str(SEVERITY_LABELS.get(row["severity"], row["severity"])),
        status=str(STATUS_LABELS.get(row["status"], row["status"])),
        assignee=assignee or (row["assignee__username"] or ""),
        targets=targets,
        due_at=due_at,
        url=_ticket_url(row["reference"]),
    )


def _listed(rows, ids: list[int] | None, limit: int | None):
    if ids is not None:  # the tickets the scan picked: read just those, by primary key
        return rows.filter(pk__in=ids)
    return rows[:limit] if limit is not None else rows


def dashboard_breached_tickets(*, flt: DashboardFilter, now: datetime, limit: int | None = LIST_ROWS,
                               ids: list[int] | None = None) -> list[TicketLine]:
    """Tickets with a target breached in the period, the latest breach first (`outcomes.last_breach`):
    one query. `ids` (from `dashboard_figures`) restricts it to those tickets."""
    hits = {
        f"{target}_hit": Case(
            When(outcomes.breached_in_q(target, now, flt.start, flt.end), then=F(f"{target}_due_at")), default=None
        )
        for target in TARGETS
    }
    rows = (
        Ticket.objects.filter(flt.scope_q())
        .filter(outcomes.breach_candidates_q(flt.start, flt.end))
        .annotate(last_breach=outcomes.last_breach(now, flt.start, flt.end), **hits)
        .filter(last_breach__isnull=False)
        .order_by("-last_breach", "-pk")
        .values(*LINE_FIELDS, "reaction_hit", "resolution_hit", "last_breach")
    )
    return [
        _line(row, [str(TARGET_LABELS[t]) for t in TARGETS if row[f"{t}_hit"] is not None], row["last_breach"])
        for row in _listed(rows, ids, limit)
    ]


def dashboard_at_risk_tickets(*, flt: DashboardFilter, now: datetime, limit: int | None = LIST_ROWS,
                              ids: list[int] | None = None) -> list[TicketLine]:
    """Open tickets at risk now, the nearest due instant first (`outcomes.next_due`): one query.
    `ids` (from `dashboard_figures`) restricts it to those tickets."""
    warned = {
        f"{target}_warned": Case(When(sla_expressions.is_warned(target, now), then=Value(True)), default=Value(False))
        for target in TARGETS
    }
    rows = (
        Ticket.objects.filter(flt.scope_q())
        .filter(outcomes.at_risk_q(now))
        .annotate(next_due=outcomes.next_due(now), **warned)
        .order_by("next_due", "pk")
        .values(*LINE_FIELDS, "reaction_warned", "resolution_warned", "next_due")
    )
    return [
        _line(row, [str(TARGET_LABELS[t]) for t in TARGETS if row[f"{t}_warned"]], row["next_due"])
        for row in _listed(rows, ids, limit)
    ]
