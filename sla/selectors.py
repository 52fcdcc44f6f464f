"""Reads of the SLA configuration."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import router
from django.db.models import Prefetch, Q
from django.utils import timezone

from core import rawsql

from .models import Calendar, Contract, Policy, PolicyTarget
from .models.calendars import Weekday, format_minute


def contract_overlapping(
    *, organisation, valid_from: date, valid_until: date | None, exclude_pk: int | None = None
) -> Contract | None:
    """Another contract of `organisation` whose validity shares a day with [valid_from, valid_until]."""
    contracts = Contract.objects.filter(organisation=organisation).select_related("policy")
    if exclude_pk is not None:
        contracts = contracts.exclude(pk=exclude_pk)
    contracts = contracts.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
    if valid_until is not None:
        contracts = contracts.filter(valid_from__lte=valid_until)
    return contracts.order_by("valid_from").first()


def contract_for(*, organisation, on: date) -> Contract | None:
    """The organisation's contract valid on the (inclusive) date `on`."""
    return (
        Contract.objects.filter(organisation=organisation, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .select_related("policy__calendar")
        .order_by("-valid_from")
        .first()
    )


def policy_for(*, organisation, category: str, at: datetime) -> Policy | None:
    """The policy that governs a ticket of `category` reported by `organisation` at `at`.

    The contract valid on the local date of `at` (project time zone) decides; a category override of
    that contract wins over its policy. None when the organisation has no valid contract."""
    contract = contract_for(organisation=organisation, on=timezone.localdate(at))
    if contract is None:
        return None
    override = contract.overrides.filter(category=category).select_related("policy__calendar").first()
    return override.policy if override else contract.policy


# --- the policy of a new ticket, in one statement -----------------------------------------------
#
# Filing a ticket asks which policy and targets apply. Through the ORM that is three queries or one
# with two subqueries, whose construction alone costs about 2 ms of CPU per ticket: a fifth of the
# budget for filing 200 tickets a second (bench/api_create.py). So the statement is written out
# (core.rawsql); tests/sla/test_sla_policies.py checks it against `policy_for` and the targets.

_TARGET_SQL = """
SELECT {policy}, {calendar}, t."reaction_target", t."resolution_target"
FROM "sla_policytarget" t
JOIN "sla_policy" p ON p."id" = t."policy_id"
JOIN "sla_calendar" c ON c."id" = p."calendar_id"
WHERE t."severity" = %s AND t."policy_id" = (
    SELECT COALESCE(
        (SELECT o."policy_id" FROM "sla_contractoverride" o WHERE o."contract_id" = k."id" AND o."category" = %s),
        k."policy_id")
    FROM "sla_contract" k
    WHERE k."organisation_id" = %s AND k."valid_from" <= %s AND (k."valid_until" IS NULL OR k."valid_until" >= %s)
    ORDER BY k."valid_from" DESC
    LIMIT 1)
"""
_TARGET_STATEMENT = _TARGET_SQL.format(policy=rawsql.select(Policy, "p"), calendar=rawsql.select(Calendar, "c"))


def policy_target_for(*, organisation, category: str, severity: str, on: date) -> tuple[Policy, str, str] | None:
    """(policy with its calendar loaded, reaction target text, resolution target text) for a ticket
    of `category` and `severity` of `organisation` on the local date `on`, by the rule of
    `policy_for`; None without a valid contract or without a target for the severity."""
    found = rawsql.fetch_one(_TARGET_STATEMENT, [severity, category, organisation.pk, on, on], [Policy, Calendar],
                             using=router.db_for_read(PolicyTarget))
    if found is None:
        return None
    policy, calendar, reaction, resolution = found
    policy.calendar = calendar
    return policy, reaction, resolution


def calendar_by_slug(*, slug: str) -> Calendar | None:
    return Calendar.objects.filter(slug=slug).first()


# --- the published support hours -------------------------------------------------------------

@dataclass(frozen=True)
class PublishedDay:
    weekday: str
    ranges: list[str]  # "09:00-17:00" with an en dash; empty when closed all day


@dataclass(frozen=True)
class PublishedClosedDay:
    start: date
    end: date  # == start for a single day
    name: str
    kind: str  # "holiday" or a Closure.Kind code


@dataclass(frozen=True)
class PublishedDesk:
    slug: str
    name: str
    description: str
    time_zone: str
    week: list[PublishedDay]
    closed: list[PublishedClosedDay]
    is_open: bool | None  # None when unknown (no hours, or beyond the holiday years)
    next_opening: datetime | None  # in the desk's zone


def support_hours_published(*, now: datetime, days: int = 60) -> list[PublishedDesk]:
    """The public desks with their weekly hours, and their holidays and closures from today
    (project time zone) for `days` days, holiday names in the current language."""
    from sla import engine

    from .calendars import business_calendar_for
    from .models import Closure, Holiday, OpeningHours
    from .services import support_status

    today = timezone.localdate(now)
    last = today + timedelta(days=days)
    calendars = Calendar.objects.filter(is_public=True).order_by("name").prefetch_related(
        Prefetch("hours", queryset=OpeningHours.objects.order_by("weekday", "open_minute")),
        Prefetch(
            "holidays",
            queryset=Holiday.objects.filter(is_active=True, date__gte=today, date__lte=last).order_by("date"),
            to_attr="upcoming_holidays",
        ),
        Prefetch(
            "closures",
            queryset=Closure.objects.filter(end_date__gte=today, start_date__lte=last).order_by("start_date"),
            to_attr="upcoming_closures",
        ),
    )
    desks = []
    for calendar in calendars:
        ranges: dict[int, list[str]] = {day: [] for day in range(7)}
        for row in calendar.hours.all():
            ranges[row.weekday].append(f"{format_minute(row.open_minute)}\u2013{format_minute(row.close_minute)}")
        closed = [PublishedClosedDay(h.date, h.date, h.name, "holiday") for h in calendar.upcoming_holidays]
        closed += [PublishedClosedDay(c.start_date, c.end_date, c.reason, c.kind) for c in calendar.upcoming_closures]
        closed.sort(key=lambda item: (item.start, item.end))
        is_open, next_opening = None, None
        try:
            is_open, next_opening = support_status(calendar=calendar, now=now)
            if next_opening is not None:
                next_opening = next_opening.astimezone(business_calendar_for(calendar=calendar).zone)
        except engine.EngineError:
            pass
        desks.append(
            PublishedDesk(
                slug=calendar.slug,
                name=calendar.name,
                description=calendar.description,
                time_zone=calendar.time_zone,
                week=[PublishedDay(Weekday(day).label, ranges[day]) for day in range(7)],
                closed=closed,
                is_open=is_open,
                next_opening=next_opening,
            )
        )
    return desks
