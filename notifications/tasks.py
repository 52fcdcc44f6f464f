"""Celery tasks of the notifications app: thin, idempotent, safe to run twice or concurrently."""

import logging

from celery import shared_task
from django.utils import timezone
from kombu.exceptions import OperationalError

from . import delivery

logger = logging.getLogger(__name__)

BATCH = 500  # mails per task run


@shared_task(acks_late=True)
def outbox_deliver() -> dict:
    """Send the due mails of the outbox. Enqueued after a commit that recorded mails, and by beat
    as the sweep that retries failures and picks up mails a crash left pending. While mails are
    due it goes on in a fresh task (instead of one endless run), so a backlog drains continuously."""
    result = delivery.outbox_deliver_due(limit=BATCH)
    if result.sent + result.failed + result.gave_up >= BATCH or delivery.outbox_due_exists(timezone.now()):
        outbox_deliver_enqueue()
    return {"sent": result.sent, "failed": result.failed, "gave_up": result.gave_up}


def outbox_deliver_enqueue() -> None:
    """Start a delivery run. Without a broker (an outage) this logs one line and returns: the mails
    are recorded, and the beat sweep (every ESCALATION_SCAN_INTERVAL) sends them."""
    try:
        outbox_deliver.delay()
    except OperationalError as exc:
        logger.warning("outbox: delivery not enqueued (%s); the sweep sends the mails", exc)
