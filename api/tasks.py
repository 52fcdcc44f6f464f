"""Celery tasks of the api app: thin wrappers that take ids and may safely run twice.

`inbound_auto_answer_send` is enqueued by `api.inbound.service`, which this module imports
(through the IMAP poll); it is defined below it, in `api.inbound.answers`, and re-exported here
(its name stays `api.tasks.inbound_auto_answer_send`)."""

from celery import shared_task
from django.conf import settings

from api.inbound.answers import inbound_auto_answer_send
from api.inbound.imap import imap_poll

__all__ = ["inbound_auto_answer_send", "inbound_imap_poll"]


@shared_task(acks_late=True)
def inbound_imap_poll() -> dict:
    """Fetch new mail from the configured IMAP mailbox (no-op without IMAP_HOST)."""
    if not settings.IMAP_HOST:
        return {"skipped": "IMAP_HOST not set"}
    result = imap_poll()
    return {"fetched": result.fetched, "handled": result.handled, "failed": result.failed}
