"""CSV files for every dashboard table and for the monthly report.

Format (the same for every file, documented in docs/reports.md):
- UTF-8 with a byte order mark (so Excel recognises the encoding), lines end in CRLF;
- the conventions of the user's language, so that the spreadsheet of that language opens the file
  as columns of numbers: German: separator ";" and the decimal comma (what German Excel expects);
  English: separator "," and the decimal point (`CONVENTIONS`); fields quoted only when needed;
- headers and labels in the user's language; numbers plain: no thousands separator, percentages
  as numbers (83,3 or 83.3, not "83,3 %"); empty when there is no value;
- instants in the project time zone as "YYYY-MM-DD HH:MM", dates as "YYYY-MM-DD";
- no cell is read as a formula: text starting with =, +, -, @, |, %, a tab or a carriage return
  gets a leading apostrophe (which spreadsheets hide), numbers such as -1.50 stay numbers.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from defusedcsv import csv
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, pgettext, pgettext_lazy
from django.utils.translation import gettext as _

from tickets.selectors_tags import tag_names_by_reference

from . import selectors
from .filters import DashboardFilter
from .monthly import KIND_LABELS, NOT_CHARGED, OUT_OF_HOURS, REGULAR, MonthlyReport

BOM = "\ufeff"


@dataclass(frozen=True)
class Convention:
    """How numbers and fields are written: a spreadsheet splits the columns at `separator` and reads
    numbers with `decimal` only when both are those of its locale."""

    separator: str
    decimal: str


GERMAN = Convention(separator=";", decimal=",")
INTERNATIONAL = Convention(separator=",", decimal=".")
CONVENTIONS = {"de": GERMAN, "en": INTERNATIONAL}


def convention_for(language: str | None = None) -> Convention:
    """The convention of `language` (default: the active one); German for German variants."""
    code = (language or get_language() or "de").split("-")[0].lower()
    return CONVENTIONS.get(code, INTERNATIONAL)


def plain(value, convention: Convention = INTERNATIONAL) -> str:
    """One value as CSV text (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", convention.decimal)
    if isinstance(value, float):
        return repr(value).replace(".", convention.decimal)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# defusedcsv's writer defuses a cell starting with =, +, -, @, | or % (but not a number); a cell
# starting with a tab or a carriage return, which it leaves alone, is defused here the same way.
_LEADING_CONTROLS = ("\t", "\r")


def _defused(text: str) -> str:
    return f"'{text}" if text.startswith(_LEADING_CONTROLS) else text


def csv_text(rows: Iterable[Iterable], convention: Convention | None = None) -> str:
    """The rows as CSV in `convention` (default: the active language's)."""
    convention = convention or convention_for()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=convention.separator, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_defused(plain(value, convention)) for value in row])
    return BOM + buffer.getvalue()


def csv_response(*, filename: str, rows: Iterable[Iterable]) -> HttpResponse:
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- the dashboard tables -----------------------------------------------------------------------


def _compliance_header(target_label: str) -> list[str]:
    return [
        _("%(target)s met") % {"target": target_label},
        _("%(target)s breached") % {"target": target_label},
        _("%(target)s met (%%)") % {"target": target_label},
    ]


def _compliance(compliance: selectors.Compliance) -> list:
    return [compliance.met, compliance.breached, compliance.percent]


def _reaction_label() -> str:
    return pgettext("SLA target", "Reaction")


def _resolution_label() -> str:
    return pgettext("SLA target", "Resolution")


def summary_table(flt: DashboardFilter, now: datetime) -> list[list]:
    summary = selectors.dashboard_summary(flt=flt, now=now)
    return [
        [_("Figure"), _("Value")],
        [_("First day"), flt.first_day],
        [_("Last day"), flt.last_day],
        [_("Tickets reported"), summary.reported],
        [_("Reaction SLA met (%)"), summary.reaction.percent],
        [_("Reactions met"), summary.reaction.met],
        [_("Reactions breached"), summary.reaction.breached],
        [_("Resolution SLA met (%)"), summary.resolution.percent],
        [_("Resolutions met"), summary.resolution.met],
        [_("Resolutions breached"), summary.resolution.breached],
        [_("Next-reply SLA met (%)"), summary.next_reply.percent],
        [_("Next replies met"), summary.next_reply.met],
        [_("Next replies breached"), summary.next_reply.breached],
        [_("Breaches"), summary.breaches],
        [_("At risk now"), summary.at_risk],
        [_("Open backlog"), summary.backlog],
        [_("Reactions measured"), summary.reactions_measured],
        [_("Median reaction time (business hours)"), summary.reaction_median_hours],
        [_("90th percentile reaction time (business hours)"), summary.reaction_p90_hours],
    ]


def weekly_table(flt: DashboardFilter, now: datetime) -> list[list]:
    rows = [[_("Week from"), *_compliance_header(_reaction_label()), *_compliance_header(_resolution_label())]]
    for week in selectors.dashboard_weekly(flt=flt, now=now):
        rows.append([week.week, *_compliance(week.reaction), *_compliance(week.resolution)])
    return rows


def severity_table(flt: DashboardFilter, now: datetime) -> list[list]:
    rows = [[_("Severity"), _("Reaction breaches"), _("Resolution breaches"), _("Breaches")]]
    for row in selectors.dashboard_breaches_by_severity(flt=flt, now=now):
        rows.append([row.label, row.reaction_breaches, row.resolution_breaches, row.breaches])
    return rows


def backlog_table(flt: DashboardFilter, now: datetime) -> list[list]:
    summary = selectors.dashboard_summary(flt=flt, now=now)
    return [[_("Age"), _("Open tickets")], *([bucket.label, bucket.count] for bucket in summary.backlog_by_age)]


def group_header(name: str) -> list[str]:
    return [
        name, _("Tickets reported"), *_compliance_header(_reaction_label()), *_compliance_header(_resolution_label()),
        _("Breaches"), _("At risk now"), _("Open backlog"),
    ]


def group_row(row: selectors.GroupRow) -> list:
    return [
        row.name, row.reported, *_compliance(row.reaction), *_compliance(row.resolution), row.breaches, row.at_risk,
        row.backlog,
    ]


def _group_table(by: str, name: str) -> Callable[[DashboardFilter, datetime], list[list]]:
    def table(flt: DashboardFilter, now: datetime) -> list[list]:
        return [group_header(name), *map(group_row, selectors.dashboard_rows(flt=flt, now=now, by=by))]

    return table


def ticket_header(when: str) -> list[str]:
    return [
        _("Reference"), _("Subject"), _("Organisation"), _("Severity"), _("Status"), _("Assignee"), _("Targets"), when,
    ]


def ticket_row(line: selectors.TicketLine) -> list:
    return [
        line.reference, line.subject, line.organisation, line.severity, line.status, line.assignee,
        ", ".join(line.targets), line.due_at,
    ]


def tagged_ticket_rows(when: str, lines: list) -> list[list]:
    """A ticket table with the agents' tags as the last column (one query for all the rows)."""
    tags = tag_names_by_reference(references=[line.reference for line in lines])
    return [[*ticket_header(when), _("Tags")],
            *([*ticket_row(line), ", ".join(tags.get(line.reference, []))] for line in lines)]


def breached_table(flt: DashboardFilter, now: datetime) -> list[list]:
    lines = selectors.dashboard_breached_tickets(flt=flt, now=now, limit=None)
    return tagged_ticket_rows(_("Breached at"), lines)


def at_risk_table(flt: DashboardFilter, now: datetime) -> list[list]:
    lines = selectors.dashboard_at_risk_tickets(flt=flt, now=now, limit=None)
    return tagged_ticket_rows(_("Due at"), lines)


# slug in the URL -> the function making the table (a header row, then the rows)
TABLES: dict[str, Callable[[DashboardFilter, datetime], list[list]]] = {
    "summary": summary_table,
    "weekly": weekly_table,
    "severity": severity_table,
    "backlog": backlog_table,
    "organisations": _group_table("organisation", pgettext_lazy("column", "Organisation")),
    "teams": _group_table("team", pgettext_lazy("column", "Team")),
    "agents": _group_table("agent", pgettext_lazy("column", "Agent")),
    "breached": breached_table,
    "at-risk": at_risk_table,
}


def dashboard_csv(*, table: str, flt: DashboardFilter, now: datetime) -> HttpResponse:
    rows = TABLES[table](flt, now)
    filename = f"dashboard-{table}-{flt.first_day.isoformat()}-{flt.last_day.isoformat()}.csv"
    return csv_response(filename=filename, rows=rows)


# --- the monthly report -------------------------------------------------------------------------


def monthly_rows(report: MonthlyReport) -> list[list]:
    """The report as blocks separated by an empty line: summary, effort, time entries, breaches,
    tickets."""
    rows: list[list] = [
        [_("Monthly report"), report.organisation.name, report.organisation.customer_number,
         f"{report.year:04d}-{report.month:02d}",
         *([_("provisional: the month has not ended yet")] if report.provisional else [])],
        [],
        [_("Figure"), _("Value")],
        [_("Tickets reported"), report.reported],
        *([_("Reported, severity %(severity)s") % {"severity": label}, count] for label, count in report.by_severity),
        [_("Tickets resolved"), report.resolved],
        [_("Open tickets now"), report.open_now],
        [_("Reaction SLA met (%)"), report.reaction.percent],
        [_("Reactions met"), report.reaction.met],
        [_("Reactions breached"), report.reaction.breached],
        [_("Resolution SLA met (%)"), report.resolution.percent],
        [_("Resolutions met"), report.resolution.met],
        [_("Resolutions breached"), report.resolution.breached],
        [_("Next-reply SLA met (%)"), report.next_reply.percent],
        [_("Next replies met"), report.next_reply.met],
        [_("Next replies breached"), report.next_reply.breached],
        [_("Breaches"), report.breaches],
        [],
        [_("Effort"), _("Time entries"), _("Minutes"), _("Hours"), _("Hours per day"), _("Days"), _("Daily rate"),
         _("Amount")],
    ]
    for section in report.sections:
        contract = section.contract
        rows.append([
            section.label, section.entries, section.effort.minutes, section.effort.hours,
            contract.hours_per_day if contract else None, section.effort.days,
            contract.daily_rate if contract and section.charged else None, section.effort.amount,
        ])
    rows.append([_("Total amount"), "", "", "", "", "", "", report.total_amount])
    rows += [
        [],
        [_("Day"), _("Reference"), _("Subject"), _("Agent"), _("Type of work"), _("Minutes"), _("Hours"), _("Kind"),
         _("Note")],
    ]
    for kind in (REGULAR, OUT_OF_HOURS, NOT_CHARGED):
        for entry in report.entries_of(kind):
            rows.append([
                entry.worked_on, entry.reference, entry.subject, entry.agent, entry.work_type, entry.minutes,
                entry.hours, KIND_LABELS[kind], entry.note,
            ])
    rows += [[], *tagged_ticket_rows(_("Breached at"), report.breached)]
    rows += [
        [],
        [_("Reference"), _("Subject"), _("Severity"), _("Status"), _("Reported at"), _("Reaction"), _("Resolution"),
         _("Tags")],
        *([t.reference, t.subject, t.severity, t.status, t.reported_at, t.reaction, t.resolution, t.tags]
          for t in report.tickets),
    ]
    return rows


def monthly_csv(report: MonthlyReport) -> HttpResponse:
    filename = f"report-{slugify(report.organisation.customer_number)}-{report.year:04d}-{report.month:02d}.csv"
    return csv_response(filename=filename, rows=monthly_rows(report))
