"""Celery tasks of the notifications app: thin, idempotent, safe to run twice or concurrently."""

from celery import shared_task

from . import delivery

BATCH = 500  # mails per task run


@shared_task(acks_late=True)
def outbox_deliver() -> dict:
    """Send the due mails of the outbox. Enqueued after a commit that recorded mails, and every
    minute by beat as the sweep that retries failures and picks up mails a crash left pending."""
    result = delivery.outbox_deliver_due(limit=BATCH)
    if result.sent + result.failed + result.gave_up >= BATCH:
        outbox_deliver.delay()  # more may be due: go on in a fresh task instead of one endless run
    return {"sent": result.sent, "failed": result.failed, "gave_up": result.gave_up}
