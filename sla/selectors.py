"""Reads of the SLA configuration."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import router
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
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
    zone_name: str = ""  # "Berlin time", in the current language
    opens_on: str = ""  # TODAY or TOMORROW when the next opening is on that day (desk's date), else ""


TODAY, TOMORROW = "today", "tomorrow"


def zone_name(time_zone: str) -> str:
    """The name people read for an IANA zone: "Berlin time", "New York time" (translated); the zone
    itself when it names no place (UTC)."""
    if "/" not in time_zone:
        return time_zone
    city = time_zone.rsplit("/", 1)[-1].replace("_", " ")
    return _("%(city)s time") % {"city": city}


def opening_day(next_opening: datetime | None, now: datetime) -> str:
    """TODAY or TOMORROW when `next_opening` falls on the desk's today or tomorrow (its own zone)."""
    if next_opening is None:
        return ""
    today = now.astimezone(next_opening.tzinfo).date()
    return {today: TODAY, today + timedelta(days=1): TOMORROW}.get(next_opening.date(), "")


def _without_holidays_inside_closures(closed: list[PublishedClosedDay]) -> list[PublishedClosedDay]:
    """A holiday that falls inside a listed closure is closed anyway: listed once, as the closure."""
    closures = [item for item in closed if item.kind != "holiday"]
    return [
        item for item in closed
        if item.kind != "holiday" or not any(c.start <= item.start <= c.end for c in closures)
    ]


def calendars_published_to(user) -> QuerySet[Calendar]:
    """The desks on the support-hours page: the published ones for everyone; signed in, also the
    desks of the contracts (and their category overrides) of the organisations the user may see;
    managers see every desk."""
    calendars = Calendar.objects.all()
    if user is None or not user.is_authenticated:
        return calendars.filter(is_public=True)
    if access.is_manager(user):
        return calendars
    organisations = access.organisations_for(user)
    return calendars.filter(
        Q(is_public=True)
        | Q(policies__contracts__organisation__in=organisations)
        | Q(policies__overrides__contract__organisation__in=organisations)
    ).distinct()


def support_status(*, calendar: Calendar, now: datetime) -> tuple[bool, datetime | None]:
    """(is the desk open at `now`, when it next opens — None while open)."""
    business = business_calendar_for(calendar=calendar)
    now = whole_second(now)
    if engine.is_open(business, now):
        return True, None
    return False, engine.next_opening(business, now)


def support_hours_published(*, now: datetime, days: int = 60, user=None) -> list[PublishedDesk]:
    """The desks `user` may see (`calendars_published_to`; None: the public) with their weekly
    hours, and their holidays and closures from today (project time zone) for `days` days, holiday
    names in the current language; a holiday inside a closure is listed once, as the closure."""
    today = timezone.localdate(now)
    last = today + timedelta(days=days)
    calendars = calendars_published_to(user).order_by("name").prefetch_related(
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
        closed = _without_holidays_inside_closures(closed)
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
                zone_name=zone_name(calendar.time_zone),
                opens_on=opening_day(next_opening, now),
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
