"""Background work of the SLA app. Tasks take ids, are idempotent and are enqueued on commit."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def recompute_open_deadlines(calendar_id: int, version: int | None = None) -> dict:
    """After a change of a calendar's hours, holidays or closures, recompute the open targets of
    open tickets on that calendar (met or breached targets stay as they are).

    The tickets' snapshot calendar decides (`Ticket.sla_calendar`), in batches with one history
    event per changed ticket (`tickets.services.sla.tickets_sla_recompute_for_calendar`). Running
    it twice changes nothing the second time. A task for a version that has since been superseded
    does nothing: the newer change enqueued its own task."""
    from django.utils import timezone

    from tickets.services.sla import tickets_sla_recompute_for_calendar

    from .models import Calendar

    calendar = Calendar.objects.filter(pk=calendar_id).first()
    if calendar is None:
        return {"calendar": calendar_id, "skipped": "deleted"}
    if version is not None and calendar.version != version:
        return {"calendar": calendar_id, "skipped": "superseded", "version": version, "current": calendar.version}
    policies = sorted(calendar.policies.values_list("slug", flat=True))
    changed = tickets_sla_recompute_for_calendar(calendar=calendar, now=timezone.now())
    logger.info("calendar %s changed (version %s): policies %s, %s tickets recomputed",
                calendar_id, calendar.version, policies, changed)
    return {"calendar": calendar_id, "version": calendar.version, "policies": policies, "tickets": changed}


@shared_task(acks_late=True)
def escalation_scan() -> dict:
    """Every minute (beat): escalate the warning, breach and post-breach levels that fell due.
    Idempotent and safe to run in several workers at once (`sla.services.escalation`)."""
    from .services.escalation import escalation_scan as scan

    fired = scan()
    return {"escalated": len(fired)}
