"""Celery tasks of the tickets app: thin wrappers that take ids and may safely run twice.

Ticket mail goes through the outbox (`tickets.notifications`, `notifications.tasks`). The mail task
of old, `tickets.tasks.notify_event`, only takes messages queued before the outbox into it."""

import logging

from celery import shared_task
from django.utils import timezone

from sla.models import Calendar
from tickets.notifications import notify_event
from tickets.services.sla_recompute import tickets_sla_recompute_for_calendar

__all__ = ["notify_event", "sla_recompute_for_calendar"]

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def sla_recompute_for_calendar(calendar_id: int) -> dict:
    """After a change of a calendar's hours, holidays or closures (`sla.signals.calendar_changed`),
    recompute the open targets of open tickets whose snapshot calendar it is; met or breached
    targets stay as they are. Running it twice changes nothing the second time."""
    calendar = Calendar.objects.filter(pk=calendar_id).first()
    if calendar is None:
        return {"calendar": calendar_id, "skipped": "deleted"}
    changed = tickets_sla_recompute_for_calendar(calendar=calendar, now=timezone.now())
    logger.info("calendar %s changed (version %s): %s tickets recomputed", calendar_id, calendar.version, changed)
    return {"calendar": calendar_id, "version": calendar.version, "tickets": changed}
