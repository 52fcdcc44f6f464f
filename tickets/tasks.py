"""Celery tasks of the tickets app: thin wrappers that take ids and may safely run twice."""

import smtplib

from celery import shared_task

from tickets import notifications


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
