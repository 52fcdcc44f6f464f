"""Writes to business calendars: the calendar itself, weekly hours, holidays and closures.

Every change of hours, holidays or closures goes through `calendar_changed`, which raises the
calendar's `version` (invalidating the cached engine calendar in every process) and, once the
transaction commits, sends `sla.signals.calendar_changed` (once per calendar): the apps that keep
deadlines on the calendar recompute them.

Every write records its audit row (`sla.services.audit`) in the same transaction: `actor` is the
person (None for commands and tasks), `origin` where it came from ("admin", "command:<name>")."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sla import signals
from sla.hours import Ranges, hours_normalise
from sla.models import Calendar, Closure, Holiday, OpeningHours

from ._fields import fields_update
from .audit import Action, Kind, hours_snapshot, sla_change_record, sla_changes_record, snapshot

CALENDAR_FIELDS = (
    "name", "time_zone", "holiday_country", "holiday_subdivision", "holidays_from_year", "holidays_until_year",
    "is_public", "description", "notes",
)
HOLIDAY_SOURCE_FIELDS = ("holiday_country", "holiday_subdivision", "holidays_from_year", "holidays_until_year")


def calendar_changed(*, calendar: Calendar) -> Calendar:
    """Raise the version after hours, holidays or closures changed; recompute open deadlines on commit."""
    Calendar.objects.filter(pk=calendar.pk).update(version=F("version") + 1, updated_at=timezone.now())
    calendar.refresh_from_db(fields=["version", "updated_at"])
    _recompute_on_commit(calendar.pk)
    return calendar


def _recompute_on_commit(calendar_id: int) -> None:
    """Announce the change once per calendar and transaction, however many changes it makes."""
    for _savepoints, callback, _robust in transaction.get_connection().run_on_commit:
        if getattr(callback, "sla_recompute_calendar", None) == calendar_id:
            return

    def announce():
        signals.calendar_changed.send(sender=Calendar, calendar_id=calendar_id)

    announce.sla_recompute_calendar = calendar_id
    transaction.on_commit(announce)


@transaction.atomic
def calendar_create(
    *,
    slug: str,
    name: str,
    time_zone: str,
    holiday_country: str = "",
    holiday_subdivision: str = "",
    holidays_from_year: int = 2020,
    holidays_until_year: int = 2035,
    is_public: bool = True,
    description: str = "",
    notes: str = "",
    hours: Ranges | None = None,
    actor=None,
    origin: str = "",
) -> Calendar:
    """A new calendar with its opening hours and its public holidays synced from `holidays`."""
    calendar = Calendar(
        slug=slug, name=name, time_zone=time_zone, holiday_country=holiday_country,
        holiday_subdivision=holiday_subdivision, holidays_from_year=holidays_from_year,
        holidays_until_year=holidays_until_year, is_public=is_public, description=description, notes=notes,
    )
    calendar.full_clean()
    calendar.save()
    sla_change_record(instance=calendar, action=Action.CREATED, actor=actor, origin=origin)
    if hours:
        calendar_set_hours(calendar=calendar, hours=hours, actor=actor, origin=origin)
    calendar_holidays_sync(calendar=calendar, actor=actor, origin=origin)
    return calendar


@transaction.atomic
def calendar_update(*, calendar: Calendar, data: Mapping[str, object], actor=None, origin: str = "") -> Calendar:
    """Change the calendar's own fields; a new holiday region or year range re-syncs the holidays."""
    old = snapshot(calendar)
    changed = fields_update(
        instance=calendar, data=data, allowed=CALENDAR_FIELDS, service="calendar_update",
        always_save=["updated_at"],
    )
    if changed:
        sla_change_record(instance=calendar, action=Action.CHANGED, old=old, new=snapshot(calendar), actor=actor,
                          origin=origin)
    if set(changed) & set(HOLIDAY_SOURCE_FIELDS):
        calendar_holidays_sync(calendar=calendar, actor=actor, origin=origin)
    if "time_zone" in changed or set(changed) & set(HOLIDAY_SOURCE_FIELDS):
        calendar_changed(calendar=calendar)
    return calendar


@transaction.atomic
def calendar_set_hours(*, calendar: Calendar, hours: Ranges, actor=None, origin: str = "") -> bool:
    """Replace the weekly hours ({weekday: [(open_minute, close_minute), ...]}). False when unchanged."""
    wanted = hours_normalise(hours)
    current: dict[int, list[tuple[int, int]]] = {day: [] for day in range(7)}
    for weekday, open_minute, close_minute in calendar.hours.values_list("weekday", "open_minute", "close_minute"):
        current[weekday].append((open_minute, close_minute))
    if {day: sorted(ranges) for day, ranges in current.items()} == wanted:
        return False
    old = hours_snapshot(calendar)
    calendar.hours.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(calendar=calendar, weekday=day, open_minute=start, close_minute=end)
        for day, ranges in wanted.items()
        for start, end in ranges
    )
    sla_change_record(instance=calendar, kind=Kind.OPENING_HOURS, name=calendar.name, action=Action.CHANGED,
                      old=old, new=hours_snapshot(calendar), actor=actor, origin=origin)
    calendar_changed(calendar=calendar)
    return True


# --- holidays --------------------------------------------------------------------------------

@dataclass(frozen=True)
class HolidaySync:
    created: int = 0
    updated: int = 0
    removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)


@transaction.atomic
def calendar_holidays_sync(
    *, calendar: Calendar, years: range | None = None, actor=None, origin: str = ""
) -> HolidaySync:
    """Bring the generated holidays of `years` (default: the calendar's range) in line with `holidays`.

    Idempotent. Manual holidays are never touched; a generated day that was removed stays
    inactive (only its names are refreshed); generated days the package no longer lists go."""
    # Not a cycle: `holidays` is imported on first use only (about 40 ms; see `Calendar.clean`).
    from sla.holiday_source import public_holidays

    supported = range(calendar.holidays_from_year, calendar.holidays_until_year + 1)
    full = years is None
    years = supported if full else years
    if not years or years.start < supported.start or years.stop > supported.stop:
        raise ValidationError(
            _("Holidays can only be synced for the years %(first)s to %(last)s, the calendar's holiday years.")
            % {"first": supported.start, "last": supported.stop - 1}
        )
    wanted = (
        public_holidays(country=calendar.holiday_country, subdivision=calendar.holiday_subdivision, years=years)
        if calendar.holiday_country
        else {}
    )
    rows = calendar.holidays.all()
    if not full:
        rows = rows.filter(date__gte=date(years.start, 1, 1), date__lte=date(years.stop - 1, 12, 31))
    existing = {row.date: row for row in rows}
    new, renamed, gone, audit = [], [], [], []
    for day, (name_de, name_en) in wanted.items():
        row = existing.get(day)
        if row is None:
            new.append(Holiday(calendar=calendar, date=day, name_de=name_de, name_en=name_en,
                               source=Holiday.Source.GENERATED))
        elif row.source == Holiday.Source.GENERATED and (row.name_de, row.name_en) != (name_de, name_en):
            old = snapshot(row)
            row.name_de, row.name_en = name_de, name_en
            renamed.append(row)
            audit.append((row, Action.CHANGED, old, snapshot(row)))
    for day, row in existing.items():
        if row.source == Holiday.Source.GENERATED and day not in wanted:
            gone.append(row.pk)
            audit.append((row, Action.DELETED, snapshot(row), {}))
    Holiday.objects.bulk_create(new)
    Holiday.objects.bulk_update(renamed, ["name_de", "name_en"])
    Holiday.objects.filter(pk__in=gone).delete()
    audit.extend((row, Action.CREATED, {}, snapshot(row)) for row in new)
    sla_changes_record(rows=audit, actor=actor, origin=origin)
    result = HolidaySync(created=len(new), updated=len(renamed), removed=len(gone))
    if result.changed:
        calendar_changed(calendar=calendar)
    return result


@transaction.atomic
def holiday_add(
    *, calendar: Calendar, day: date, name_de: str, name_en: str = "", actor=None, origin: str = ""
) -> Holiday:
    """Close the desk on `day`. Re-adding a removed public holiday reactivates it under the new names."""
    name_de, name_en = name_de.strip(), (name_en or name_de).strip()
    if not name_de:
        raise ValidationError({"name_de": _("Give the day a name.")})
    row = calendar.holidays.filter(date=day).first()
    if row is not None and row.is_active:
        raise ValidationError({"date": _("%(date)s is already a holiday (%(name)s).")
                               % {"date": day.isoformat(), "name": row.name}})
    old = snapshot(row) if row is not None else None
    if row is None:
        row = Holiday(calendar=calendar, date=day, source=Holiday.Source.MANUAL)
    row.name_de, row.name_en, row.is_active = name_de, name_en, True
    row.full_clean()
    row.save()
    if old is None:
        sla_change_record(instance=row, action=Action.CREATED, actor=actor, origin=origin)
    else:
        sla_change_record(instance=row, action=Action.CHANGED, old=old, new=snapshot(row), actor=actor, origin=origin)
    calendar_changed(calendar=calendar)
    return row


@transaction.atomic
def holiday_change(
    *, holiday: Holiday, name_de: str, name_en: str, is_active: bool, actor=None, origin: str = ""
) -> Holiday:
    """Rename a holiday or switch it on or off (a switched-off public holiday survives re-syncs)."""
    if (holiday.name_de, holiday.name_en, holiday.is_active) == (name_de, name_en, is_active):
        return holiday
    activity_changed = holiday.is_active != is_active
    old = snapshot(holiday)
    holiday.name_de, holiday.name_en, holiday.is_active = name_de, name_en, is_active
    holiday.full_clean()
    holiday.save(update_fields=["name_de", "name_en", "is_active"])
    sla_change_record(instance=holiday, action=Action.CHANGED, old=old, new=snapshot(holiday), actor=actor,
                      origin=origin)
    if activity_changed or is_active:
        calendar_changed(calendar=holiday.calendar)
    return holiday


@transaction.atomic
def holiday_remove(*, holiday: Holiday, actor=None, origin: str = "") -> None:
    """Open the desk on a holiday: a generated one is deactivated (so a re-sync keeps it open),
    a manual one is deleted."""
    calendar = holiday.calendar
    if holiday.source == Holiday.Source.GENERATED:
        if not holiday.is_active:
            return
        old = snapshot(holiday)
        holiday.is_active = False
        holiday.save(update_fields=["is_active"])
        sla_change_record(instance=holiday, action=Action.CHANGED, old=old, new=snapshot(holiday), actor=actor,
                          origin=origin)
    else:
        sla_change_record(instance=holiday, action=Action.DELETED, actor=actor, origin=origin)
        holiday.delete()
    calendar_changed(calendar=calendar)


# --- closures --------------------------------------------------------------------------------

@transaction.atomic
def closure_add(
    *, calendar: Calendar, start_date: date, end_date: date, reason: str, kind: str = Closure.Kind.COMPANY_HOLIDAYS,
    actor=None, origin: str = "",
) -> Closure:
    closure = Closure(calendar=calendar, start_date=start_date, end_date=end_date, reason=reason.strip(), kind=kind)
    closure.full_clean()
    closure.save()
    sla_change_record(instance=closure, action=Action.CREATED, actor=actor, origin=origin)
    calendar_changed(calendar=calendar)
    return closure


@transaction.atomic
def closure_change(
    *, closure: Closure, start_date: date, end_date: date, reason: str, kind: str, actor=None, origin: str = ""
) -> Closure:
    new = (start_date, end_date, reason.strip(), kind)
    if (closure.start_date, closure.end_date, closure.reason, closure.kind) == new:
        return closure
    old = snapshot(closure)
    closure.start_date, closure.end_date, closure.reason, closure.kind = new
    closure.full_clean()
    closure.save()
    sla_change_record(instance=closure, action=Action.CHANGED, old=old, new=snapshot(closure), actor=actor,
                      origin=origin)
    calendar_changed(calendar=closure.calendar)
    return closure


@transaction.atomic
def closure_remove(*, closure: Closure, actor=None, origin: str = "") -> None:
    calendar = closure.calendar
    sla_change_record(instance=closure, action=Action.DELETED, actor=actor, origin=origin)
    closure.delete()
    calendar_changed(calendar=calendar)


@transaction.atomic
def calendar_delete(*, calendar: Calendar, actor=None, origin: str = "") -> None:
    """Delete a calendar with its hours, holidays and closures (a policy still on it protects it)."""
    sla_change_record(instance=calendar, action=Action.DELETED, actor=actor, origin=origin)
    calendar.delete()
