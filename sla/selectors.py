"""Reads of the SLA configuration."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import router
from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import User
from core import rawsql
from sla import engine
from sla.engine.clock import whole_second

from .calendars import business_calendar_for
from .models import (
    Calendar,
    Closure,
    Contract,
    ContractOverride,
    Holiday,
    OpeningHours,
    Policy,
    PolicyTarget,
    SlaChange,
)
from .models.calendars import Weekday, format_minute

# --- the policy that governs a ticket: one statement, the rule's only definition ----------------
#
# Filing a ticket asks which policy and targets apply. Through the ORM that is three queries or one
# with two subqueries, whose construction alone costs about 2 ms of CPU per ticket: a fifth of the
# budget for filing 200 tickets a second (bench/api_create.py). So the rule is written out once,
# as this statement (core.rawsql), and every caller asks it: `policy_for` (the portal's support
# status, the demo) and `policy_target_for` (filing, previews). tests/sla/test_sla_policy_statement.py
# checks it against the rule over generated contracts, overrides and targets.

@rawsql.statement
def _policy_statement(names: rawsql.Names) -> str:
    """Params: severity (None: no targets), category, organisation id, the local date twice.

    The organisation's contract valid on the date (valid_from <= date <= valid_until, open end
    when valid_until is NULL; the latest start should contracts overlap) decides; its override for
    the category wins over its policy. One row: the policy, its calendar, and the reaction and
    resolution targets for the severity (NULL without a target); no row without a valid contract."""
    n = names.column
    return f"""
SELECT {names.select(Policy, "p")}, {names.select(Calendar, "c")},
       {n("t", PolicyTarget, "reaction_target")}, {n("t", PolicyTarget, "resolution_target")},
       {n("t", PolicyTarget, "next_reply_target")}
FROM {names.table(Policy)} p
JOIN {names.table(Calendar)} c ON {n("c", Calendar, "pk")} = {n("p", Policy, "calendar")}
LEFT JOIN {names.table(PolicyTarget)} t
    ON {n("t", PolicyTarget, "policy")} = {n("p", Policy, "pk")} AND {n("t", PolicyTarget, "severity")} = %s
WHERE {n("p", Policy, "pk")} = (
    SELECT COALESCE(
        (SELECT {n("o", ContractOverride, "policy")} FROM {names.table(ContractOverride)} o
         WHERE {n("o", ContractOverride, "contract")} = {n("k", Contract, "pk")}
           AND {n("o", ContractOverride, "category")} = %s),
        {n("k", Contract, "policy")})
    FROM {names.table(Contract)} k
    WHERE {n("k", Contract, "organisation")} = %s AND {n("k", Contract, "valid_from")} <= %s
      AND ({n("k", Contract, "valid_until")} IS NULL OR {n("k", Contract, "valid_until")} >= %s)
    ORDER BY {n("k", Contract, "valid_from")} DESC
    LIMIT 1)
"""  # noqa: S608 (only quoted names from the models are interpolated; values are parameters)


def _governing(*, organisation, category: str, on: date, severity: str | None):
    """(policy with its calendar, reaction target text or None, resolution target text or None,
    next-reply target text or None), or None without a valid contract."""
    using = router.db_for_read(Policy)
    found = rawsql.fetch_one(_policy_statement(using), [severity, category, organisation.pk, on, on],
                             [Policy, Calendar], using=using)
    if found is None:
        return None
    policy, calendar, reaction, resolution, next_reply = found
    policy.calendar = calendar
    return policy, reaction, resolution, next_reply


def policy_for(*, organisation, category: str, at: datetime) -> Policy | None:
    """The policy (its calendar loaded) that governs a ticket of `category` reported by
    `organisation` at `at`: the contract valid on the local date of `at` (project time zone)
    decides, a category override of that contract wins over its policy. None when the
    organisation has no valid contract."""
    found = _governing(organisation=organisation, category=category, on=timezone.localdate(at), severity=None)
    return None if found is None else found[0]


def policy_target_for(*, organisation, category: str, severity: str, on: date) -> tuple[Policy, str, str, str] | None:
    """(policy with its calendar loaded, reaction, resolution and next-reply target texts) for a ticket
    of `category` and `severity` of `organisation` on the local date `on`, by the rule of
    `policy_for`; None without a valid contract or without a target for the severity."""
    found = _governing(organisation=organisation, category=category, on=on, severity=severity)
    if found is None or found[1] is None:
        return None
    return found


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


def support_status(*, calendar: Calendar, now: datetime) -> tuple[bool, datetime | None]:
    """(is the desk open at `now`, when it next opens — None while open)."""
    business = business_calendar_for(calendar=calendar)
    now = whole_second(now)
    if engine.is_open(business, now):
        return True, None
    return False, engine.next_opening(business, now)


def support_hours_published(*, now: datetime, days: int = 60) -> list[PublishedDesk]:
    """The public desks with their weekly hours, and their holidays and closures from today
    (project time zone) for `days` days, holiday names in the current language."""
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


# --- the audit trail of the configuration ----------------------------------------------------------

SYSTEM_ACTOR = "system"  # the actor filter's value for changes without a person (commands, tasks)


def sla_changes(
    *, kind: str = "", object_text: str = "", actor: str = "", since: datetime | None = None,
    until: datetime | None = None,
):
    """The configuration changes, newest first, filtered: object kind, text in the object's name,
    actor (a user id, or `SYSTEM_ACTOR` for commands and tasks), instants in [since, until)."""
    changes = SlaChange.objects.select_related("actor").order_by("-at", "-pk")
    if kind:
        changes = changes.filter(object_kind=kind)
    if object_text:
        changes = changes.filter(object_repr__icontains=object_text)
    if actor == SYSTEM_ACTOR:
        changes = changes.filter(actor__isnull=True)
    elif actor:
        changes = changes.filter(actor_id=int(actor))
    if since is not None:
        changes = changes.filter(at__gte=since)
    if until is not None:
        changes = changes.filter(at__lt=until)
    return changes


def sla_change_actors():
    """The people who appear in the audit trail (for the actor filter), by name."""
    ids = SlaChange.objects.filter(actor__isnull=False).values("actor_id").distinct()
    return User.objects.filter(pk__in=ids).order_by("first_name", "last_name", "username")
