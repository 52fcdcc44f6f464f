"""Sending the outbox: the work of `notifications.tasks.outbox_deliver`. Each due mail is sent in
its own transaction, with backoff after a failure; the services only record mails and enqueue
the task. One run keeps one connection to the mail server open for all its mails (a new one
after a failure)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from .kinds import kind_for
from .mail import NoAddress, mail_render
from .models import OutboxMail, OutboxStatus

logger = logging.getLogger(__name__)

# After a failed attempt the next one waits 1, 2, 4, ... minutes, at most an hour; after
# MAX_ATTEMPTS the mail is given up (status "failed", visible and resendable in the admin).
RETRY_BASE_SECONDS, RETRY_MAX_SECONDS, MAX_ATTEMPTS = 60, 3600, 10


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    return timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS))


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    gave_up: int = 0


def _claim(now: datetime) -> OutboxMail | None:
    """The oldest due pending mail, row-locked; rows another worker holds are skipped."""
    return (
        OutboxMail.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("recipient__organisation", "ticket__organisation", "ticket__assignee", "ticket__team")
        .filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .first()
    )


def outbox_due_exists(now: datetime) -> bool:
    """Whether a pending mail is due (the partial index on pending rows answers it)."""
    return OutboxMail.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now).exists()


def outbox_deliver_due(*, now: datetime | None = None, limit: int = 500) -> Delivery:
    """Send due pending mails, each in its own transaction: lock the row, send, mark it sent.

    A failure to send records the error and the time of the next attempt (backoff) and goes on
    with the next mail. A crash after sending but before the commit leaves the mail pending: it
    is sent again (at least once; the Message-ID stays the same). See docs/escalation.md."""
    now = now or timezone.now()
    result = Delivery()
    connection = None
    try:
        for _ in range(limit):
            with transaction.atomic():
                mail = _claim(now)
                if mail is None:
                    break
                try:
                    message = mail_render(mail=mail)
                    if connection is None:
                        connection = get_connection()
                        connection.open()
                    message.connection = connection
                    message.send()
                except Exception as exc:  # a poison mail must not stop the others
                    _record_failure(mail, exc, now, result)
                    connection = _closed(connection)  # the next mail starts on a fresh connection
                    continue
                mail.status, mail.sent_at, mail.attempts = OutboxStatus.SENT, timezone.now(), mail.attempts + 1
                mail.save(update_fields=["status", "sent_at", "attempts"])
                kind = kind_for(mail.kind)
                if kind is not None and kind.mail_sent is not None:
                    kind.mail_sent(mail)
                result.sent += 1
    finally:
        _closed(connection)
    return result


def _closed(connection) -> None:
    if connection is not None:
        try:
            connection.close()
        except Exception as exc:  # a broken connection cannot be closed politely
            logger.info("outbox: mail connection not closed cleanly (%s)", exc)


def _record_failure(mail: OutboxMail, exc: Exception, now: datetime, result: Delivery) -> None:
    mail.attempts += 1
    mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if mail.attempts >= MAX_ATTEMPTS or isinstance(exc, NoAddress):
        mail.status = OutboxStatus.FAILED
        result.gave_up += 1
        logger.error("outbox mail %s given up after %d attempts: %s", mail.key, mail.attempts, mail.last_error)
    else:
        mail.next_attempt_at = now + retry_delay(mail.attempts)
        result.failed += 1
        logger.warning("outbox mail %s failed (attempt %d), retry at %s: %s", mail.key, mail.attempts,
                       mail.next_attempt_at.isoformat(), mail.last_error)
    mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
