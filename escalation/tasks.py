"""Background work of escalation. Tasks take ids, are idempotent and are enqueued on commit."""

from celery import shared_task
from django.utils import timezone

from .digest import escalation_digest_run
from .services import escalation_scan as scan


@shared_task(acks_late=True)
def escalation_scan() -> dict:
    """Every minute (beat): escalate the warning, breach and post-breach levels that fell due.
    Idempotent and safe to run in several workers at once (`escalation.services`)."""
    fired = scan()
    return {"escalated": len(fired)}


@shared_task(acks_late=True)
def escalation_digest() -> dict:
    """Daily (beat, DIGEST_HOUR): the digest mail of the people who chose it (`escalation.digest`).
    A second run within 12 hours records nothing."""
    return {"digests": escalation_digest_run(now=timezone.now())}
