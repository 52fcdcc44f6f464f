"""The monthly report per organisation: its tickets, SLA compliance and breaches, and the effort
of the month priced at the contract's daily rate.

Effort arithmetic (Decimal throughout, never floating point; docs/reports.md says the same):
1. Time entries are summed in whole minutes per contract and kind: regular paid work (billable,
   inside support hours), paid out-of-hours work (billable, `out_of_hours`), and work not charged
   (not billable; listed for information). Each entry counts under the contract valid on the day
   it was done (`worked_on`); a month normally has one.
2. hours = minutes / 60; days = hours / the contract's hours per day; both exact.
3. amount = days * the contract's daily rate, computed from the exact minutes and rounded once,
   to the cent (halves up). Without a daily rate (or without a contract) there is no amount.
4. The page and the CSV show hours and days with two decimals (rounded halves up, for reading
   only: the amount never uses a rounded intermediate, so 1.25 h at 8 h per day and 960.00 per
   day is 150.00, not 0.16 * 960.00 = 153.60).
5. The total is the sum of the (already rounded) amounts of the paid kinds, so the amounts as
   printed add up to the total to the cent.
"""

from __future__ import annotations

import calendar as calendar_module
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sla.choices import Severity, TargetState
from sla.models import Contract
from tickets import sla_expressions
from tickets.models import Ticket, TimeEntry
from tickets.models.effort import WorkType
from tickets.selectors_tags import tag_names_for
from tickets.selectors_workspace import effort_for_month

from .filters import DashboardFilter, Period
from .outcomes import REACTION, RESOLUTION, open_q
from .selectors import (
    SEVERITY_LABELS,
    STATUS_LABELS,
    Compliance,
    TicketLine,
    dashboard_breached_tickets,
    dashboard_summary,
    hours,
)

CENT, DAY_PLACES, HOUR_PLACES = Decimal("0.01"), Decimal("0.01"), Decimal("0.01")
REGULAR, OUT_OF_HOURS, NOT_CHARGED = "regular", "out_of_hours", "not_charged"
KIND_LABELS = {
    REGULAR: _("Paid work in support hours"),
    OUT_OF_HOURS: _("Paid out-of-hours work"),
    NOT_CHARGED: _("Work not charged"),
}
TARGET_STATE_LABELS = {**dict(TargetState.choices), "": "\u2013"}
WORK_TYPE_LABELS = dict(WorkType.choices)


@dataclass(frozen=True)
class EffortAmount:
    minutes: int
    hours: Decimal
    days: Decimal | None
    amount: Decimal | None


def effort_price(*, minutes: int, hours_per_day: Decimal | None, daily_rate: Decimal | None,
                 charged: bool = True) -> EffortAmount:
    """Minutes → hours → days (at `hours_per_day`) → amount (at `daily_rate`), as in the module
    docstring. Work not charged gets hours and days but no amount."""
    exact_hours = Decimal(minutes) / 60
    hours = exact_hours.quantize(HOUR_PLACES, rounding=ROUND_HALF_UP)
    days = amount = None
    if hours_per_day:
        exact_days = exact_hours / Decimal(hours_per_day)
        days = exact_days.quantize(DAY_PLACES, rounding=ROUND_HALF_UP)
        if charged and daily_rate is not None:
            # One division, after the multiplication: exact whenever the true amount has few digits.
            amount = (Decimal(minutes) * Decimal(daily_rate) / (60 * Decimal(hours_per_day))).quantize(
                CENT, rounding=ROUND_HALF_UP
            )
    return EffortAmount(minutes, hours, days, amount)


def kind_of(*, billable: bool, out_of_hours: bool) -> str:
    if not billable:
        return NOT_CHARGED
    return OUT_OF_HOURS if out_of_hours else REGULAR


@dataclass(frozen=True)
class EffortSection:
    kind: str
    label: str
    contract: Contract | None
    entries: int
    effort: EffortAmount

    @property
    def charged(self) -> bool:
        return self.kind != NOT_CHARGED


def _contract_on_day():
    """The id of the ticket organisation's contract valid on the entry's day (latest start wins)."""
    return (
        Contract.objects.filter(organisation=OuterRef("ticket__organisation"), valid_from__lte=OuterRef("worked_on"))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=OuterRef("worked_on")))
        .order_by("-valid_from")
        .values("pk")[:1]
    )


def effort_totals(*, entries: QuerySet[TimeEntry]) -> list[EffortSection]:
    """The effort of `entries` (any TimeEntry queryset, e.g. one organisation's month) per contract
    and kind, priced: two queries (the sums, then the contracts)."""
    sums = (
        entries.annotate(contract_id=Subquery(_contract_on_day()))
        .values("contract_id", "billable", "out_of_hours")
        .annotate(minutes=Sum("minutes"), entries=Count("pk"))
        .order_by()
    )
    grouped: dict[tuple[int | None, str], list[int]] = {}
    for row in sums:
        key = (row["contract_id"], kind_of(billable=row["billable"], out_of_hours=row["out_of_hours"]))
        minutes, count = grouped.get(key, [0, 0])
        grouped[key] = [minutes + row["minutes"], count + row["entries"]]
    contracts = Contract.objects.in_bulk({contract_id for contract_id, _kind in grouped if contract_id})
    order = {REGULAR: 0, OUT_OF_HOURS: 1, NOT_CHARGED: 2}
    sections = []
    for (contract_id, kind), (minutes, count) in sorted(
        grouped.items(), key=lambda item: (item[0][0] or 0, order[item[0][1]])
    ):
        contract = contracts.get(contract_id)
        effort = effort_price(
            minutes=minutes,
            hours_per_day=contract.hours_per_day if contract else None,
            daily_rate=contract.daily_rate if contract else None,
            charged=kind != NOT_CHARGED,
        )
        sections.append(EffortSection(kind, str(KIND_LABELS[kind]), contract, count, effort))
    return sections


def effort_total(sections: list[EffortSection]) -> Decimal | None:
    """The sum of the paid sections' amounts; None when a paid section cannot be priced."""
    paid = [section for section in sections if section.charged]
    if any(section.effort.amount is None for section in paid):
        return None
    return sum((section.effort.amount for section in paid), Decimal("0.00"))


@dataclass(frozen=True)
class EntryLine:
    worked_on: date
    reference: str
    subject: str
    agent: str
    work_type: str
    minutes: int
    hours: Decimal
    kind: str
    note: str


@dataclass(frozen=True)
class MonthTicket:
    reference: str
    subject: str
    severity: str
    status: str
    reported_at: datetime
    reaction: str
    resolution: str
    tags: str = ""  # the agents' tags, comma-separated (the report is for managers)


@dataclass
class MonthlyReport:
    organisation: object
    year: int
    month: int
    first_day: date
    last_day: date
    reported: int
    by_severity: list[tuple[str, int]]
    resolved: int
    open_now: int
    reaction: Compliance
    resolution: Compliance
    reaction_median_seconds: int | None
    breached: list[TicketLine]
    tickets: list[MonthTicket]
    sections: list[EffortSection]
    entries: list[EntryLine] = field(default_factory=list)
    as_of: datetime | None = None  # when the figures were read
    provisional: bool = False  # the month has not ended yet: its figures can still change
    next_reply: Compliance = field(default_factory=lambda: Compliance(0, 0))

    @property
    def breaches(self) -> int:
        return self.reaction.breached + self.resolution.breached + self.next_reply.breached

    @property
    def reaction_median_hours(self) -> Decimal | None:
        return hours(self.reaction_median_seconds)

    @property
    def total_amount(self) -> Decimal | None:
        return effort_total(self.sections)

    def entries_of(self, kind: str) -> list[EntryLine]:
        return [entry for entry in self.entries if entry.kind == kind]


def month_days(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar_module.monthrange(year, month)[1])


def monthly_report(*, organisation, year: int, month: int, now: datetime) -> MonthlyReport:
    """The report of `organisation` for the calendar month (project time zone): a fixed number of
    queries."""
    first, last = month_days(year, month)
    flt = DashboardFilter(period=Period.CUSTOM, first_day=first, last_day=last, organisation_ids=(organisation.pk,))
    summary = dashboard_summary(flt=flt, now=now)
    tickets = Ticket.objects.filter(organisation=organisation)
    in_month = Q(reported_at__gte=flt.start, reported_at__lt=flt.end)
    counts = tickets.aggregate(
        reported=Count("pk", filter=in_month),
        resolved=Count("pk", filter=Q(resolved_at__gte=flt.start, resolved_at__lt=flt.end)),
        open_now=Count("pk", filter=open_q()),
        **{f"severity_{code or 'none'}": Count("pk", filter=in_month & Q(severity=code))
           for code in [*Severity.values, ""]},
    )
    # The targets' states at `now`, as the breach list decides them (overdue is breached).
    month_rows = list(tickets.filter(in_month).order_by("reported_at", "pk").values(
        "pk", "reference", "subject", "severity", "status", "reported_at",
        reaction_now=sla_expressions.state_at(REACTION, now),
        resolution_now=sla_expressions.state_at(RESOLUTION, now),
    ))
    month_tags = tag_names_for(ticket_ids=[row["pk"] for row in month_rows])
    month_tickets = [
        MonthTicket(
            reference=row["reference"], subject=row["subject"],
            severity=str(SEVERITY_LABELS.get(row["severity"], row["severity"])),
            status=str(STATUS_LABELS.get(row["status"], row["status"])), reported_at=row["reported_at"],
            reaction=str(TARGET_STATE_LABELS.get(row["reaction_now"], row["reaction_now"])),
            resolution=str(TARGET_STATE_LABELS.get(row["resolution_now"], row["resolution_now"])),
            tags=", ".join(month_tags.get(row["pk"], [])),
        )
        for row in month_rows
    ]
    entries = effort_for_month(year=year, month=month, organisation=organisation)
    entry_lines = [
        EntryLine(
            worked_on=row["worked_on"], reference=row["ticket__reference"], subject=row["ticket__subject"],
            agent=f"{row['agent__first_name']} {row['agent__last_name']}".strip() or row["agent__username"],
            work_type=str(WORK_TYPE_LABELS.get(row["work_type"], row["work_type"])), minutes=row["minutes"],
            hours=(Decimal(row["minutes"]) / 60).quantize(HOUR_PLACES, rounding=ROUND_HALF_UP),
            kind=kind_of(billable=row["billable"], out_of_hours=row["out_of_hours"]), note=row["note"],
        )
        for row in entries.order_by("worked_on", "ticket__reference", "pk").values(
            "worked_on", "ticket__reference", "ticket__subject", "agent__first_name", "agent__last_name",
            "agent__username", "work_type", "minutes", "billable", "out_of_hours", "note",
        )
    ]
    return MonthlyReport(
        organisation=organisation,
        year=year,
        month=month,
        first_day=first,
        last_day=last,
        reported=counts["reported"],
        by_severity=[
            (str(SEVERITY_LABELS[code]), counts[f"severity_{code or 'none'}"]) for code in [*Severity.values, ""]
        ],
        resolved=counts["resolved"],
        open_now=counts["open_now"],
        reaction=summary.reaction,
        resolution=summary.resolution,
        next_reply=summary.next_reply,
        reaction_median_seconds=summary.reaction_median_seconds,
        breached=dashboard_breached_tickets(flt=flt, now=now, limit=None),
        tickets=month_tickets,
        sections=effort_totals(entries=entries),
        entries=entry_lines,
        as_of=now,
        provisional=now < flt.end,
    )


def report_month_default(today: date | None = None) -> tuple[int, int]:
    """The month a manager most likely wants: the previous one."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    previous = date.fromordinal(first.toordinal() - 1)
    return previous.year, previous.month
