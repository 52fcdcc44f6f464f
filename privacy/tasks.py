"""Background work of data protection. Tasks take ids, are idempotent and are enqueued on commit."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .services import retention_apply, sign_in_records_prune


@shared_task(acks_late=True)
def retention_run() -> dict:
    """Daily (beat): anonymise closed tickets past their organisation's retention period, in
    short batches. Idempotent: a second run, or one after an interruption, does only what is left."""
    outcome = retention_apply(now=timezone.now())
    return {"tickets": outcome.tickets, "batches": outcome.batches,
            "longest_batch_seconds": round(outcome.longest_batch_seconds, 3)}


@shared_task(acks_late=True)
def sign_in_records_run() -> int:
    """Daily (beat): sign-in records older than `SIGN_IN_RECORD_DAYS` are deleted."""
    return sign_in_records_prune(now=timezone.now(), days=settings.SIGN_IN_RECORD_DAYS)
