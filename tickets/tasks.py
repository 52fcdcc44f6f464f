"""Celery tasks of the tickets app: thin wrappers that take ids and may safely run twice."""

import logging
import smtplib

from celery import shared_task
from django.utils import timezone

from sla.models import Calendar
from tickets import notifications
from tickets.services.sla_recompute import tickets_sla_recompute_for_calendar

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def notify_event(event_id: int) -> int:
    """Mail everyone who should hear about this ticket event (idempotent per recipient)."""
    return notifications.send_for_event(event_id=event_id)


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
