"""Effort: agents log the time they spent on a ticket. Entries are facts for the monthly effort
report (per customer and month). Logging, changing and deleting an entry each write one internal
ticket event with the old and new values in the same transaction; deleting is a soft delete
(`deleted_at`, `deleted_by`), so the history keeps what was billed and who removed it.

Who may: agents log their own time; an entry is changed or deleted by its author or a manager
(`accounts.access.may_change_effort`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from tickets.models import EventCode, Ticket, TimeEntry, WorkType
from tickets.models.effort import MAX_MINUTES_PER_ENTRY

from ._common import event_write, require_may_see, user_ref

# The fields of an entry that its events record and `time_entry_change` may change.
ENTRY_FIELDS = ("worked_on", "minutes", "work_type", "note", "billable", "out_of_hours")


def entry_values(entry: TimeEntry, fields=ENTRY_FIELDS) -> dict:
    """The raw values of an entry as stored in event payloads (dates as ISO text)."""
    values = {name: getattr(entry, name) for name in fields}
    if "worked_on" in values:
        values["worked_on"] = values["worked_on"].isoformat()
    return values


def _validated(*, ticket: Ticket, minutes, work_type: str, worked_on: date, note: str, today: date) -> str:
    """Check an entry's values; returns the cleaned note or raises ValidationError per field."""
    errors = {}
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= MAX_MINUTES_PER_ENTRY:
        errors["minutes"] = _("Please enter between 1 and %(max)d minutes.") % {"max": MAX_MINUTES_PER_ENTRY}
    if work_type not in WorkType.values:
        errors["work_type"] = _("Please choose a type of work.")
    if worked_on > today:
        errors["worked_on"] = _("Effort cannot be logged for a future day.")
    elif worked_on < timezone.localdate(ticket.reported_at):
        errors["worked_on"] = _("The ticket was reported after this day.")
    note = (note or "").strip()
    if len(note) > 500:
        errors["note"] = _("Please keep the note under 500 characters.")
    if errors:
        raise ValidationError(errors)
    return note


def time_entry_add(
    *,
    ticket: Ticket,
    actor,
    minutes: int,
    work_type: str = WorkType.ANALYSIS,
    worked_on: date | None = None,
    note: str = "",
    billable: bool = True,
    out_of_hours: bool = False,
) -> TimeEntry:
    """Log `minutes` of the actor's work on the ticket, done on `worked_on` (default: today in the
    project's time zone). Between 1 minute and 24 hours per entry, not on a future day and not
    before the ticket was reported."""
    require_may_see(actor, ticket)
    if not access.is_agent(actor):
        raise PermissionDenied(_("Only agents log effort."))
    today = timezone.localdate()
    worked_on = worked_on or today
    note = _validated(ticket=ticket, minutes=minutes, work_type=work_type, worked_on=worked_on, note=note,
                      today=today)
    with transaction.atomic():
        entry = TimeEntry.objects.create(
            ticket=ticket,
            agent=actor,
            worked_on=worked_on,
            minutes=minutes,
            work_type=work_type,
            note=note,
            billable=billable,
            out_of_hours=out_of_hours,
        )
        event_write(ticket=ticket, code=EventCode.EFFORT_LOGGED, actor=actor, is_public=False, payload={
            "entry_id": entry.pk, "agent": user_ref(actor), "old": {}, "new": entry_values(entry),
        })
        return entry


def _require_may_change(entry: TimeEntry, actor) -> None:
    require_may_see(actor, entry.ticket)
    if not access.may_change_effort(actor, entry.agent_id):
        raise PermissionDenied(_("Only the agent who logged this time, or a manager, can change or remove it."))


def time_entry_change(*, entry: TimeEntry, actor, data: Mapping[str, object]) -> TimeEntry:
    """Change some of an entry's fields (`ENTRY_FIELDS`) under the same rules as logging it.
    The event records the changed fields only; a change to the current values writes nothing.
    A deleted entry cannot be changed."""
    unknown = set(data) - set(ENTRY_FIELDS)
    if unknown:
        raise ValueError(f"time_entry_change cannot change {sorted(unknown)}")
    _require_may_change(entry, actor)
    with transaction.atomic():
        current = TimeEntry.all_objects.select_for_update().select_related("ticket").get(pk=entry.pk)
        if current.deleted_at is not None:
            raise ValidationError(_("This time entry has been deleted."))
        wanted = {**entry_values(current), **data}
        if isinstance(wanted["worked_on"], str):
            wanted["worked_on"] = date.fromisoformat(wanted["worked_on"])
        wanted["note"] = _validated(ticket=current.ticket, minutes=wanted["minutes"], work_type=wanted["work_type"],
                                    worked_on=wanted["worked_on"], note=wanted["note"],
                                    today=timezone.localdate())
        changed = [name for name in ENTRY_FIELDS if getattr(current, name) != wanted[name]]
        if not changed:
            return current
        old = entry_values(current, changed)
        for name in changed:
            setattr(current, name, wanted[name])
        current.save(update_fields=changed)
        event_write(ticket=current.ticket, code=EventCode.EFFORT_CHANGED, actor=actor, is_public=False, payload={
            "entry_id": current.pk, "agent": user_ref(current.agent), "old": old,
            "new": entry_values(current, changed),
        })
        return current


def time_entry_delete(*, entry: TimeEntry, actor) -> None:
    """Remove a mistaken entry (its author may, and managers): a soft delete that every total and
    the monthly report ignore from now on; the event keeps its values. Deleting it again does nothing."""
    _require_may_change(entry, actor)
    with transaction.atomic():
        current = TimeEntry.all_objects.select_for_update().select_related("ticket", "agent").get(pk=entry.pk)
        if current.deleted_at is not None:
            return
        current.deleted_at, current.deleted_by = timezone.now(), actor
        current.save(update_fields=["deleted_at", "deleted_by"])
        entry.deleted_at, entry.deleted_by = current.deleted_at, actor
        event_write(ticket=current.ticket, code=EventCode.EFFORT_DELETED, actor=actor, is_public=False, payload={
            "entry_id": current.pk, "agent": user_ref(current.agent), "old": entry_values(current), "new": {},
        })
