"""The manager dashboard's figures, computed in the database (aggregates with FILTER / CASE, one
query per table or chart; nothing loops over tickets in Python).

Definitions (docs/architecture.md, "Manager dashboard"; the decision rules are in `outcomes`):
- reaction SLA met % = met / (met + breached) over the reaction targets decided in the period,
  rounded to one decimal (halves up); None when nothing was decided. The same for the resolution
  target, which only tickets whose contract promises a resolution time have.
- breaches = targets (reaction and resolution counted separately) breached in the period, i.e.
  whose due instant passed in the period without being met.
- at risk now, open backlog, backlog by age: the open tickets now (not limited by the period).
- reaction time: the business time the first reaction took (`reaction_business_seconds`, on the
  ticket's desk calendar) of the reactions given in the period; median and 90th percentile as
  defined in `percentiles`, in whole seconds.
- reported: tickets reported in the period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Case, Count, DateTimeField, F, Q, When
from django.db.models.functions import TruncWeek
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tickets.choices import Severity, Status
from tickets.models import Ticket

from . import outcomes
from .filters import DashboardFilter
from .outcomes import MET, OPEN, REACTION, RESOLUTION, TARGETS, between
from .percentiles import PercentileCont, percentile_by_offset, whole_seconds

TABLE_ROWS = 25  # rows of a table on the page; the CSV export has them all
LIST_ROWS = 50  # tickets in a list on the page
TOP_ORGANISATIONS = 10  # bars in the "breaches by organisation" chart
# Backlog age buckets in calendar days since the ticket was reported: [lower, upper).
AGE_BUCKETS = [
    ("0-1", 0, 1, _("under 1 day")),
    ("1-3", 1, 3, _("1–3 days")),
    ("3-7", 3, 7, _("3–7 days")),
    ("7-30", 7, 30, _("7–30 days")),
    ("30+", 30, None, _("30 days and more")),
]
TARGET_LABELS = {REACTION: pgettext_lazy("SLA target", "Reaction"), RESOLUTION: pgettext_lazy("SLA target", "Resolution")}
SEVERITY_LABELS = {**dict(Severity.choices), "": _("Without severity")}
STATUS_LABELS = dict(Status.choices)


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole in percent, one decimal, halves up; None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def hours(seconds: int | None) -> Decimal | None:
    """Business seconds as hours with two decimals (halves up)."""
    if seconds is None:
        return None
    return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Compliance:
    met: int
    breached: int

    @property
    def decided(self) -> int:
        return self.met + self.breached

    @property
    def percent(self) -> Decimal | None:
        return percent(self.met, self.decided)


@dataclass(frozen=True)
class AgeBucket:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Summary:
    reported: int
    reaction: Compliance
    resolution: Compliance
    at_risk: int
    backlog: int
    breached_tickets: int  # tickets with at least one breach in the period
    reactions_measured: int
    reaction_median_seconds: int | None
    reaction_p90_seconds: int | None
    backlog_by_age: list[AgeBucket]

    @property
    def breaches(self) -> int:
        return self.reaction.breached + self.resolution.breached

    @property
    def reaction_median_hours(self) -> Decimal | None:
        return hours(self.reaction_median_seconds)

    @property
    def reaction_p90_hours(self) -> Decimal | None:
        return hours(self.reaction_p90_seconds)


@dataclass(frozen=True)
class WeekRow:
    week: date  # the Monday (project time zone)
    reaction: Compliance
    resolution: Compliance


@dataclass(frozen=True)
class SeverityRow:
    severity: str
    label: str
    reaction_breaches: int
    resolution_breaches: int

    @property
    def breaches(self) -> int:
        return self.reaction_breaches + self.resolution_breaches


@dataclass(frozen=True)
class GroupRow:
    key: int | None
    name: str
    reported: int
    reaction: Compliance
    resolution: Compliance
    at_risk: int
    backlog: int

    @property
    def breaches(self) -> int:
        return self.reaction.breached + self.resolution.breached


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


@dataclass
class Dashboard:
    filter: DashboardFilter
    now: datetime
    summary: Summary
    weeks: list[WeekRow]
    severities: list[SeverityRow]
    organisations: list[GroupRow]
    teams: list[GroupRow]
    agents: list[GroupRow]
    breached: list[TicketLine]
    at_risk: list[TicketLine]
    extra: dict = field(default_factory=dict)

    @property
    def top_organisations(self) -> list[GroupRow]:
        """The organisations with the most breaches (for the bar chart), most first."""
        ranked = sorted((row for row in self.organisations if row.breaches), key=lambda r: (-r.breaches, r.name))
        return ranked[:TOP_ORGANISATIONS]


# --- building blocks ----------------------------------------------------------------------------


def _base(flt: DashboardFilter, now: datetime):
    """The candidate tickets with the outcome instants as aliases (not selected, not grouped)."""
    tickets = Ticket.objects.filter(flt.scope_q()).filter(outcomes.candidates_q(flt.start, flt.end))
    aliases = {}
    for target in TARGETS:
        aliases[f"{target}_met_at"] = outcomes.met_at(target)
        aliases[f"{target}_breached_at"] = outcomes.breached_at(target, now)
    return tickets.alias(**aliases)


def _count(q: Q) -> Count:
    return Count("pk", filter=q)


def _group_counts(flt: DashboardFilter, now: datetime) -> dict:
    start, end = flt.start, flt.end
    counts = {"reported": _count(between("reported_at", start, end))}
    for target in TARGETS:
        counts[f"{target}_met"] = _count(between(f"{target}_met_at", start, end))
        counts[f"{target}_breached"] = _count(between(f"{target}_breached_at", start, end))
    counts["at_risk"] = _count(outcomes.at_risk_q(now))
    counts["backlog"] = _count(outcomes.open_q())
    return counts


def _compliance(values: dict, target: str) -> Compliance:
    return Compliance(met=values[f"{target}_met"] or 0, breached=values[f"{target}_breached"] or 0)


def _measured_q(flt: DashboardFilter) -> Q:
    return between("first_reaction_at", flt.start, flt.end) & Q(reaction_business_seconds__isnull=False)


def _age_q(now: datetime, lower: int, upper: int | None) -> Q:
    q = outcomes.open_q() & Q(reported_at__lte=now - timedelta(days=lower))
    if upper is not None:
        q &= Q(reported_at__gt=now - timedelta(days=upper))
    return q


# --- the figures --------------------------------------------------------------------------------


def dashboard_summary(*, flt: DashboardFilter, now: datetime) -> Summary:
    """The headline figures and the backlog by age: one query (three on databases without
    percentile_cont, see `percentiles`)."""
    aggregates = _group_counts(flt, now)
    aggregates["measured"] = _count(_measured_q(flt))
    aggregates["breached_tickets"] = _count(
        between(f"{REACTION}_breached_at", flt.start, flt.end) | between(f"{RESOLUTION}_breached_at", flt.start, flt.end)
    )
    for key, lower, upper, _label in AGE_BUCKETS:
        aggregates[f"age_{key}"] = _count(_age_q(now, lower, upper))
    postgres = connection.vendor == "postgresql"
    if postgres:
        for name, fraction in (("p50", 0.5), ("p90", 0.9)):
            aggregates[name] = PercentileCont("reaction_business_seconds", fraction=fraction, filter=_measured_q(flt))
    values = _base(flt, now).aggregate(**aggregates)
    measured = values["measured"] or 0
    if postgres:
        median, p90 = values["p50"], values["p90"]
    else:
        rows = Ticket.objects.filter(flt.scope_q()).filter(_measured_q(flt))
        median, p90 = (
            percentile_by_offset(rows, field="reaction_business_seconds", fraction=fraction, count=measured)
            for fraction in (0.5, 0.9)
        )
    return Summary(
        reported=values["reported"] or 0,
        reaction=_compliance(values, REACTION),
        resolution=_compliance(values, RESOLUTION),
        at_risk=values["at_risk"] or 0,
        backlog=values["backlog"] or 0,
        breached_tickets=values["breached_tickets"] or 0,
        reactions_measured=measured,
        reaction_median_seconds=whole_seconds(median),
        reaction_p90_seconds=whole_seconds(p90),
        backlog_by_age=[
            AgeBucket(key, str(label), values[f"age_{key}"] or 0) for key, _lower, _upper, label in AGE_BUCKETS
        ],
    )


def weeks_of(first_day: date, last_day: date) -> list[date]:
    """The Mondays of the weeks that the period touches."""
    monday = first_day - timedelta(days=first_day.weekday())
    weeks = []
    while monday <= last_day:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def dashboard_weekly(*, flt: DashboardFilter, now: datetime) -> list[WeekRow]:
    """Compliance per week (of the decision instant, weeks from Monday in the project time zone):
    one query per target. Weeks without a decided target have a Compliance of 0 / 0."""
    zone = ZoneInfo(settings.TIME_ZONE)
    per_target: dict[str, dict[date, Compliance]] = {}
    for target in TARGETS:
        rows = (
            _base(flt, now)
            .alias(decided=outcomes.decided_at(target, now))
            .filter(between("decided", flt.start, flt.end))
            .values(week=TruncWeek("decided", tzinfo=zone, output_field=DateTimeField()))
            .annotate(met=_count(Q(**{f"{target}_state": MET})), decided_count=Count("pk"))
            .order_by("week")
        )
        per_target[target] = {
            row["week"].astimezone(zone).date(): Compliance(row["met"], row["decided_count"] - row["met"])
            for row in rows
        }
    empty = Compliance(0, 0)
    return [
        WeekRow(week, per_target[REACTION].get(week, empty), per_target[RESOLUTION].get(week, empty))
        for week in weeks_of(flt.first_day, flt.last_day)
    ]


def dashboard_breaches_by_severity(*, flt: DashboardFilter, now: datetime) -> list[SeverityRow]:
    """Breaches in the period per severity (every severity listed, zeros included): one query."""
    counts = {
        f"{target}_breached": _count(between(f"{target}_breached_at", flt.start, flt.end)) for target in TARGETS
    }
    rows = {row["severity"]: row for row in _base(flt, now).values("severity").annotate(**counts).order_by()}
    result = []
    for code in [*Severity.values, ""]:
        row = rows.get(code, {})
        result.append(SeverityRow(
            code, str(SEVERITY_LABELS[code]), row.get("reaction_breached", 0), row.get("resolution_breached", 0)
        ))
    return result


GROUPINGS = {
    # key: (group-by fields, name of the row from the values)
    "organisation": (("organisation_id", "organisation__name"), lambda v: v["organisation__name"]),
    "team": (("team_id", "team__name"), lambda v: v["team__name"] or str(_("No team"))),
    "agent": (
        ("assignee_id", "assignee__first_name", "assignee__last_name", "assignee__username"),
        lambda v: (
            f"{v['assignee__first_name']} {v['assignee__last_name']}".strip() or v["assignee__username"]
            if v["assignee_id"] else str(_("Unassigned"))
        ),
    ),
}


def dashboard_rows(*, flt: DashboardFilter, now: datetime, by: str) -> list[GroupRow]:
    """The figures per organisation, team or agent (assignee): one query. Only groups with
    something to show; the most breaches first, then by name."""
    fields, name_of = GROUPINGS[by]
    counts = _group_counts(flt, now)
    anything = Q()
    for name in counts:
        anything |= Q(**{f"{name}__gt": 0})
    rows = (
        _base(flt, now)
        .values(*fields)
        .annotate(**counts)
        .filter(anything)
        .order_by()
    )
    result = [
        GroupRow(
            key=row[fields[0]],
            name=name_of(row),
            reported=row["reported"],
            reaction=_compliance(row, REACTION),
            resolution=_compliance(row, RESOLUTION),
            at_risk=row["at_risk"],
            backlog=row["backlog"],
        )
        for row in rows
    ]
    result.sort(key=lambda r: (-r.breaches, -r.at_risk, r.name.casefold()))
    return result


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


def dashboard_breached_tickets(*, flt: DashboardFilter, now: datetime, limit: int | None = LIST_ROWS):
    """Tickets with a target breached in the period, the latest breach first: one query."""
    in_period = {target: between(f"{target}_breached_at", flt.start, flt.end) for target in TARGETS}
    rows = (
        _base(flt, now)
        .filter(in_period[REACTION] | in_period[RESOLUTION])
        .annotate(
            reaction_hit=Case(When(in_period[REACTION], then=F("reaction_due_at")), default=None),
            resolution_hit=Case(When(in_period[RESOLUTION], then=F("resolution_due_at")), default=None),
        )
        .annotate(last_breach=Case(
            When(resolution_hit__isnull=False, then=F("resolution_hit")), default=F("reaction_hit"),
            output_field=DateTimeField(),
        ))
        .order_by("-last_breach", "-pk")
        .values(*LINE_FIELDS, "reaction_hit", "resolution_hit", "last_breach")
    )
    if limit is not None:
        rows = rows[:limit]
    return [
        _line(row, [str(TARGET_LABELS[t]) for t in TARGETS if row[f"{t}_hit"] is not None], row["last_breach"])
        for row in rows
    ]


def dashboard_at_risk_tickets(*, flt: DashboardFilter, now: datetime, limit: int | None = LIST_ROWS):
    """Open tickets at risk now, the nearest due instant first: one query."""
    rows = (
        Ticket.objects.filter(flt.scope_q())
        .filter(outcomes.at_risk_q(now))
        .annotate(
            reaction_warned=Case(
                When(Q(reaction_state=OPEN, reaction_warning_at__lte=now), then=F("reaction_due_at")), default=None
            ),
            resolution_warned=Case(
                When(Q(resolution_state=OPEN, resolution_warning_at__lte=now), then=F("resolution_due_at")),
                default=None,
            ),
        )
        .annotate(next_due=Case(
            When(reaction_warned__isnull=False, then=F("reaction_warned")), default=F("resolution_warned"),
            output_field=DateTimeField(),
        ))
        .order_by("next_due", "pk")
        .values(*LINE_FIELDS, "reaction_warned", "resolution_warned", "next_due")
    )
    if limit is not None:
        rows = rows[:limit]
    return [
        _line(row, [str(TARGET_LABELS[t]) for t in TARGETS if row[f"{t}_warned"] is not None], row["next_due"])
        for row in rows
    ]


def dashboard(*, flt: DashboardFilter, now: datetime) -> Dashboard:
    """Everything the dashboard page shows: a fixed number of queries whatever the data."""
    return Dashboard(
        filter=flt,
        now=now,
        summary=dashboard_summary(flt=flt, now=now),
        weeks=dashboard_weekly(flt=flt, now=now),
        severities=dashboard_breaches_by_severity(flt=flt, now=now),
        organisations=dashboard_rows(flt=flt, now=now, by="organisation"),
        teams=dashboard_rows(flt=flt, now=now, by="team"),
        agents=dashboard_rows(flt=flt, now=now, by="agent"),
        breached=dashboard_breached_tickets(flt=flt, now=now),
        at_risk=dashboard_at_risk_tickets(flt=flt, now=now),
    )
