"""Background work of the SLA app. Tasks take ids, are idempotent and are enqueued on commit."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def recompute_open_deadlines(calendar_id: int, version: int | None = None) -> dict:
    """After a change of a calendar's hours, holidays or closures, recompute the open targets of
    open tickets on that calendar (met or breached targets stay as they are).

    This step detects the change only: it resolves which calendar version and which policies are
    affected. Updating ticket deadlines follows when tickets carry their SLA fields. A task for a
    version that has since been superseded does nothing: the newer change enqueued its own task."""
    from .models import Calendar

    calendar = Calendar.objects.filter(pk=calendar_id).only("pk", "version").first()
    if calendar is None:
        return {"calendar": calendar_id, "skipped": "deleted"}
    if version is not None and calendar.version != version:
        return {"calendar": calendar_id, "skipped": "superseded", "version": version, "current": calendar.version}
    policies = sorted(calendar.policies.values_list("slug", flat=True))
    logger.info("calendar %s changed (version %s): policies %s", calendar_id, calendar.version, policies)
    return {"calendar": calendar_id, "version": calendar.version, "policies": policies, "tickets": 0}
