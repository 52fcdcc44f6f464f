"""Celery tasks of the api app: thin wrappers that take ids and may safely run twice."""

import smtplib

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from api.models import InboundMail


@shared_task(acks_late=True, autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=True,
             retry_backoff_max=600, max_retries=8)
def inbound_auto_answer_send(inbound_id: int) -> bool:
    """Send the automatic answer of one inbound mail, once (`answered_at` records it in the
    same transaction as the sending; a failed send rolls back and is retried)."""
    from api.inbound.answers import auto_answer_render

    with transaction.atomic():
        inbound = (
            InboundMail.objects.select_for_update(of=("self",)).filter(pk=inbound_id).select_related("ticket").first()
        )
        if inbound is None or inbound.answered_at is not None or inbound.outcome != InboundMail.Outcome.AUTO_ANSWERED:
            return False
        message = auto_answer_render(inbound)
        message.send()
        inbound.answered_at = timezone.now()
        inbound.answer_message_id = message.extra_headers["Message-ID"]
        inbound.save(update_fields=["answered_at", "answer_message_id"])
    return True


@shared_task(acks_late=True)
def inbound_imap_poll() -> dict:
    """Fetch new mail from the configured IMAP mailbox (no-op without IMAP_HOST)."""
    if not settings.IMAP_HOST:
        return {"skipped": "IMAP_HOST not set"}
    from api.inbound.imap import imap_poll

    result = imap_poll()
    return {"fetched": result.fetched, "handled": result.handled, "failed": result.failed}
