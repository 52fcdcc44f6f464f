"""Effort: agents log the time they spent on a ticket. Entries are facts for the monthly effort
report (per customer and month): they are added and, by their author, removed; never edited."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from tickets.models import Ticket, TimeEntry, WorkType
from tickets.models.effort import MAX_MINUTES_PER_ENTRY

from ._common import require_may_see


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
    errors = {}
    if not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES_PER_ENTRY:
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
    with transaction.atomic():
        return TimeEntry.objects.create(
            ticket=ticket,
            agent=actor,
            worked_on=worked_on,
            minutes=minutes,
            work_type=work_type,
            note=note,
            billable=billable,
            out_of_hours=out_of_hours,
        )


def time_entry_delete(*, entry: TimeEntry, actor) -> None:
    """Remove a mistaken entry: its author may, and managers."""
    require_may_see(actor, entry.ticket)
    if not (entry.agent_id == actor.pk or access.is_manager(actor)):
        raise PermissionDenied(_("Only the agent who logged this time, or a manager, can remove it."))
    entry.delete()
