"""The manager dashboard's figures, computed in the database: every figure, chart and table from
one query (`scan.figure_rows`, which also picks the tickets of the two lists), the lists' rows by
primary key; nothing loops over tickets in Python.

Definitions (docs/reports.md; the decision rules are in `outcomes`):
- reaction SLA met % = met / (met + breached) over the reaction targets decided in the period,
  rounded to one decimal (halves up); None when nothing was decided. The same for the resolution
  target, which only tickets whose contract promises a resolution time have.
- next-reply SLA met % = the same over the next-reply cycles decided in the period (`next_reply`:
  their rows, one query).
- breaches = targets (reaction, resolution and next-reply cycles counted separately) breached in
  the period, i.e. whose due instant passed in the period without being met.
- at risk now, open backlog, backlog by age: the open tickets now (not limited by the period).
- reaction time: the business time the first reaction took (`reaction_business_seconds`, on the
  ticket's desk calendar) of the reactions given in the period; median and 90th percentile as
  defined in `percentiles`, in whole seconds.
- reported: tickets reported in the period.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Team, User
from sla.choices import Severity
from tickets.models import Ticket

from . import scan
from .filters import DashboardFilter
from .lists import (  # noqa: F401 (the lists are part of the selectors' interface)
    LIST_ROWS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    TARGET_LABELS,
    TicketLine,
    dashboard_at_risk_tickets,
    dashboard_breached_tickets,
)
from .next_reply import next_reply_counts
from .outcomes import REACTION, RESOLUTION, TARGETS
from .percentiles import percentile_by_offset, whole_seconds

TABLE_ROWS = 25  # rows of a table on the page; the CSV export has them all
TOP_ORGANISATIONS = 10  # bars in the "breaches by organisation" chart
# Backlog age buckets (`scan.AGE_BUCKETS`: calendar days since the report) and their labels.
AGE_LABELS = {
    "0_1": _("under 1 day"),
    "1_3": _("1–3 days"),  # noqa: RUF001
    "3_7": _("3–7 days"),  # noqa: RUF001
    "7_30": _("7–30 days"),  # noqa: RUF001
    "30_": _("30 days and more"),
}


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
    next_reply: Compliance = Compliance(0, 0)

    @property
    def breaches(self) -> int:
        return self.reaction.breached + self.resolution.breached + self.next_reply.breached

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


@dataclass
class Figures:
    """Everything one scan gives: the key figures, the charts' data and the group tables."""

    summary: Summary
    weeks: list[WeekRow]
    severities: list[SeverityRow]
    organisations: list[GroupRow]
    teams: list[GroupRow]
    agents: list[GroupRow]
    at_risk_ids: list[int] = field(default_factory=list)  # the first tickets of each list (see `dashboard`)
    breached_ids: list[int] = field(default_factory=list)

    @property
    def top_organisations(self) -> list[GroupRow]:
        """The organisations with the most breaches (for the bar chart), most first."""
        ranked = sorted((row for row in self.organisations if row.breaches), key=lambda r: (-r.breaches, r.name))
        return ranked[:TOP_ORGANISATIONS]


@dataclass
class Dashboard(Figures):
    filter: DashboardFilter = None
    now: datetime = None
    breached: list[TicketLine] = field(default_factory=list)
    at_risk: list[TicketLine] = field(default_factory=list)


# --- the figures --------------------------------------------------------------------------------


def _compliance(values: dict, target: str) -> Compliance:
    return Compliance(met=values[f"{target}_met"], breached=values[f"{target}_breached"])


def _percentiles(flt: DashboardFilter, all_row: dict) -> tuple[float | None, float | None]:
    """(median, 90th percentile) of the measured reaction times: from the scan on PostgreSQL,
    else one ORDER BY + OFFSET query each (`percentiles`)."""
    if connection.vendor == "postgresql":
        return all_row["p50"], all_row["p90"]
    rows = Ticket.objects.filter(flt.scope_q()).filter(scan.measured_q(flt))
    return tuple(
        percentile_by_offset(rows, field="reaction_business_seconds", fraction=fraction, count=all_row["measured"])
        for fraction in scan.FRACTIONS.values()
    )


def _summary(flt: DashboardFilter, row: dict) -> Summary:
    median, p90 = _percentiles(flt, row)
    return Summary(
        reported=row["reported"],
        reaction=_compliance(row, REACTION),
        resolution=_compliance(row, RESOLUTION),
        at_risk=row["at_risk"],
        backlog=row["backlog"],
        breached_tickets=row["breached_ticket"],
        reactions_measured=row["measured"],
        reaction_median_seconds=whole_seconds(median),
        reaction_p90_seconds=whole_seconds(p90),
        backlog_by_age=[
            AgeBucket(key, str(AGE_LABELS[key]), row[f"age_{key}"]) for key, _lower, _upper in scan.AGE_BUCKETS
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


def _names(grouping: str, keys: set[int]) -> dict[int, str]:
    """The display names of the organisations, teams or agents with these ids: one query."""
    if grouping == "organisation":
        return dict(Organisation.objects.filter(pk__in=keys).values_list("pk", "name"))
    if grouping == "team":
        return dict(Team.objects.filter(pk__in=keys).values_list("pk", "name"))
    people = User.objects.filter(pk__in=keys).values_list("pk", "first_name", "last_name", "username")
    return {pk: f"{first} {last}".strip() or username for pk, first, last, username in people}


NO_KEY_NAMES = {"organisation": "", "team": _("No team"), "agent": _("Unassigned")}


def _group_rows(grouping: str, rows: list[dict]) -> list[GroupRow]:
    keys = {int(row["keys"][0]) for row in rows if row["keys"][0] is not None}
    names = _names(grouping, keys) if keys else {}
    result = []
    for row in rows:
        key = int(row["keys"][0]) if row["keys"][0] is not None else None
        result.append(GroupRow(
            key=key,
            name=names.get(key, "") if key is not None else str(NO_KEY_NAMES[grouping]),
            reported=row["reported"],
            reaction=_compliance(row, REACTION),
            resolution=_compliance(row, RESOLUTION),
            at_risk=row["at_risk"],
            backlog=row["backlog"],
        ))
    result.sort(key=lambda r: (-r.breaches, -r.at_risk, r.name.casefold()))
    return result


def dashboard_figures(*, flt: DashboardFilter, now: datetime, list_limit: int | None = 0) -> Figures:
    """The key figures, the charts' data and the tables per organisation, team and agent: one
    query, one for the next-reply cycles, and one each for the names of the organisations, teams and
    agents in the tables (two more on databases without percentile_cont).

    Groups without anything to show are left out; the tables list the most breaches first, then
    the most at risk, then by name. Every severity is listed, and every week of the period (a
    week without a decided target has 0 / 0, drawn as a gap)."""
    by_grouping: dict[str, list[dict]] = {grouping: [] for grouping in scan.KEYS}
    lists: dict[str, list[int]] = {grouping: [] for grouping in scan.LISTS}
    for row in scan.figure_rows(flt, now, list_limit=list_limit):
        if row["grouping"] in lists:
            lists[row["grouping"]].append(int(row["keys"][0]))
        else:
            by_grouping[row["grouping"]].append(row)
    summary = replace(_summary(flt, by_grouping["all"][0]), next_reply=Compliance(*next_reply_counts(flt=flt, now=now)))
    weekly = {
        target: {scan.as_date(row["keys"][0]): _compliance(row, target) for row in by_grouping[f"{target}_week"]}
        for target in TARGETS
    }
    empty = Compliance(0, 0)
    weeks = [
        WeekRow(week, weekly[REACTION].get(week, empty), weekly[RESOLUTION].get(week, empty))
        for week in weeks_of(flt.first_day, flt.last_day)
    ]
    severity_rows = {row["keys"][0] or "": row for row in by_grouping["severity"]}
    severities = []
    for code in [*Severity.values, ""]:
        row = severity_rows.get(code)
        severities.append(SeverityRow(
            code, str(SEVERITY_LABELS[code]), row["reaction_breached"] if row else 0,
            row["resolution_breached"] if row else 0,
        ))
    groups = {grouping: _group_rows(grouping, by_grouping[grouping]) for grouping in ("organisation", "team", "agent")}
    return Figures(
        summary=summary, weeks=weeks, severities=severities, organisations=groups["organisation"],
        teams=groups["team"], agents=groups["agent"], at_risk_ids=lists["at_risk_list"],
        breached_ids=lists["breached_list"],
    )


def dashboard_summary(*, flt: DashboardFilter, now: datetime) -> Summary:
    return dashboard_figures(flt=flt, now=now).summary


def dashboard_weekly(*, flt: DashboardFilter, now: datetime) -> list[WeekRow]:
    """Compliance per week of the decision instant (weeks from Monday, project time zone)."""
    return dashboard_figures(flt=flt, now=now).weeks


def dashboard_breaches_by_severity(*, flt: DashboardFilter, now: datetime) -> list[SeverityRow]:
    return dashboard_figures(flt=flt, now=now).severities


def dashboard_rows(*, flt: DashboardFilter, now: datetime, by: str) -> list[GroupRow]:
    """The rows per "organisation", "team" or "agent" (assignee)."""
    figures = dashboard_figures(flt=flt, now=now)
    return {"organisation": figures.organisations, "team": figures.teams, "agent": figures.agents}[by]


def dashboard(*, flt: DashboardFilter, now: datetime) -> Dashboard:
    """Everything the dashboard page shows: a fixed number of queries whatever the data (eight;
    ten on databases without percentile_cont). The scan also picks the tickets of the two lists,
    which are then read by primary key."""
    figures = dashboard_figures(flt=flt, now=now, list_limit=LIST_ROWS)
    return Dashboard(
        **vars(figures),
        filter=flt,
        now=now,
        breached=dashboard_breached_tickets(flt=flt, now=now, ids=figures.breached_ids),
        at_risk=dashboard_at_risk_tickets(flt=flt, now=now, ids=figures.at_risk_ids),
    )
