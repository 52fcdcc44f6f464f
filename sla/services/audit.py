"""Writing the audit trail of the SLA configuration (`sla.models.SlaChange`). Only the services of
this package call it, inside their own transaction, so a change and its audit row commit together.

`actor` is the person (None for commands and tasks), `origin` where the change came from:
`ORIGIN_ADMIN`, `command_origin("sync_holidays")`, or empty for a plain service call."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone

from sla.models import (
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
from sla.models.calendars import format_minute

ORIGIN_ADMIN = "admin"
Kind, Action = SlaChange.Kind, SlaChange.Action

KIND_OF_MODEL: dict[type[models.Model], str] = {
    Calendar: Kind.CALENDAR,
    Holiday: Kind.HOLIDAY,
    Closure: Kind.CLOSURE,
    Policy: Kind.POLICY,
    PolicyTarget: Kind.POLICY_TARGET,
    Contract: Kind.CONTRACT,
    ContractOverride: Kind.CONTRACT_OVERRIDE,
}
MODEL_OF_KIND = {kind: model for model, kind in KIND_OF_MODEL.items()} | {Kind.OPENING_HOURS: OpeningHours}

# The fields each kind records (ids, the calendar version and timestamps are bookkeeping, not configuration).
AUDITED_FIELDS: dict[str, tuple[str, ...]] = {
    Kind.CALENDAR: ("slug", "name", "time_zone", "holiday_country", "holiday_subdivision", "holidays_from_year",
                    "holidays_until_year", "is_public", "description", "notes"),
    Kind.HOLIDAY: ("calendar", "date", "name_de", "name_en", "source", "is_active"),
    Kind.CLOSURE: ("calendar", "start_date", "end_date", "reason", "kind"),
    Kind.POLICY: ("name", "slug", "calendar", "warning_threshold_percent", "post_breach_after", "pause_statuses"),
    Kind.POLICY_TARGET: ("policy", "severity", "reaction_target", "resolution_target", "next_reply_target"),
    Kind.CONTRACT: ("organisation", "policy", "valid_from", "valid_until", "daily_rate", "hours_per_day"),
    Kind.CONTRACT_OVERRIDE: ("contract", "category", "policy"),
}


def command_origin(name: str) -> str:
    return f"command:{name}"


def _raw(value):
    """A value as JSON: related rows as {"id", "name"}, dates ISO, decimals as text."""
    if isinstance(value, models.Model):
        return {"id": value.pk, "name": str(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list | tuple):
        return [_raw(item) for item in value]
    return value


def snapshot(instance: models.Model) -> dict:
    """The audited fields of a row, as raw JSON values."""
    return {name: _raw(getattr(instance, name)) for name in AUDITED_FIELDS[KIND_OF_MODEL[type(instance)]]}


def hours_snapshot(calendar: Calendar) -> dict:
    """A calendar's weekly hours as {"0": ["09:00-17:00"], ...} (weekdays without hours left out)."""
    hours: dict[str, list[str]] = {}
    for weekday, start, end in calendar.hours.order_by("weekday", "open_minute").values_list(
        "weekday", "open_minute", "close_minute"
    ):
        hours.setdefault(str(weekday), []).append(f"{format_minute(start)}-{format_minute(end)}")
    return hours


def object_repr(instance: models.Model) -> str:
    """How the audit names a row, in no particular language."""
    if isinstance(instance, Holiday):
        return f"{instance.date.isoformat()} {instance.name_de} ({instance.calendar.name})"
    if isinstance(instance, Closure):
        return (f"{instance.reason} {instance.start_date.isoformat()} - {instance.end_date.isoformat()} "
                f"({instance.calendar.name})")
    if isinstance(instance, PolicyTarget):
        return f"{instance.policy.name} · {instance.severity}"
    if isinstance(instance, Contract):
        return f"{instance.organisation.name} · {instance.policy.name} · {instance.valid_from.isoformat()}"
    if isinstance(instance, ContractOverride):
        return f"{object_repr(instance.contract)} · {instance.category}"
    return str(instance)[:300]


def _row(*, kind: str, object_id: int, name: str, action: str, old: dict, new: dict, actor, origin: str):
    if action == Action.CHANGED:
        keys = [key for key in {**old, **new} if old.get(key) != new.get(key)]
        old, new = {key: old.get(key) for key in keys}, {key: new.get(key) for key in keys}
        if not keys:
            return None
    return SlaChange(at=timezone.now(), object_kind=kind, object_id=object_id, object_repr=name[:300], action=action,
                     old_values=old, new_values=new, actor=actor, origin=origin)


def sla_change_record(
    *, instance: models.Model, action: str, old: dict | None = None, new: dict | None = None, actor=None,
    origin: str = "", kind: str | None = None, name: str | None = None,
) -> SlaChange | None:
    """One audit row for a change of `instance` in the caller's transaction. `created`: `new` is
    its snapshot (by default); `deleted`: `old`; `changed`: only the keys whose values differ are
    kept, and a change that changes nothing writes nothing (returns None)."""
    kind = kind or KIND_OF_MODEL[type(instance)]
    if action == Action.CREATED and new is None:
        new = snapshot(instance)
    if action == Action.DELETED and old is None:
        old = snapshot(instance)
    row = _row(kind=kind, object_id=instance.pk, name=name or object_repr(instance), action=action,
               old=old or {}, new=new or {}, actor=actor, origin=origin)
    if row is None:
        return None
    with transaction.atomic():
        row.save()
    return row


def sla_changes_record(*, rows: Iterable[tuple[models.Model, str, dict, dict]], actor=None, origin: str = "") -> int:
    """Many audit rows at once (a holiday sync): (instance, action, old, new) each. Returns the count."""
    changes = [
        change for instance, action, old, new in rows
        if (change := _row(kind=KIND_OF_MODEL[type(instance)], object_id=instance.pk, name=object_repr(instance),
                           action=action, old=old, new=new, actor=actor, origin=origin)) is not None
    ]
    with transaction.atomic():
        SlaChange.objects.bulk_create(changes, batch_size=500)
    return len(changes)
