"""Sending the outbox: the work of `notifications.tasks.outbox_deliver`. Each due mail is sent in
its own transaction, with backoff after a failure; the services only record mails and enqueue
the task."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from .mail import mail_render
from .models import OutboxMail, OutboxStatus

logger = logging.getLogger(__name__)

# After a failed attempt the next one waits 1, 2, 4, ... minutes, at most an hour; after
# MAX_ATTEMPTS the mail is given up (status "failed", visible and resendable in the admin).
RETRY_BASE_SECONDS, RETRY_MAX_SECONDS, MAX_ATTEMPTS = 60, 3600, 10


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    return timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS))


class Undeliverable(Exception):
    """A mail that no retry can deliver (no address, inactive recipient): given up at once."""


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    gave_up: int = 0


def _claim(now: datetime) -> OutboxMail | None:
    """The oldest due pending mail, row-locked; rows another worker holds are skipped.

    The lock walks the partial index on pending rows alone and stops at the first free one; the
    mail, its recipient and its ticket are read afterwards, the ticket's rows by primary key in
    queries of their own. Joined to the ticket table, the plan depended on the outbox's statistics:
    when ANALYZE had seen none of the mails' (new, highest) ticket ids — after a quiet spell, then a
    burst of escalations — PostgreSQL merge-joined the whole ticket table for every mail, even for a
    single mail looked up by id: 1.7 s per mail at a million tickets (bench/escalation_latency.py)."""
    pk = (
        OutboxMail.objects.select_for_update(skip_locked=True)
        .filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    if pk is None:
        return None
    return (
        OutboxMail.objects.select_related("recipient__organisation")
        .prefetch_related("ticket__organisation", "ticket__assignee", "ticket__team")
        .get(pk=pk)
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
    for _ in range(limit):
        with transaction.atomic():
            mail = _claim(now)
            if mail is None:
                break
            try:
                if not (mail.recipient.is_active and mail.recipient.email):
                    raise Undeliverable("the recipient is inactive or has no e-mail address")
                mail_render(mail=mail).send()
            except Exception as exc:  # a poison mail must not stop the others
                _record_failure(mail, exc, now, result)
                continue
            mail.status, mail.sent_at, mail.attempts = OutboxStatus.SENT, timezone.now(), mail.attempts + 1
            mail.save(update_fields=["status", "sent_at", "attempts"])
            result.sent += 1
    return result


def _record_failure(mail: OutboxMail, exc: Exception, now: datetime, result: Delivery) -> None:
    mail.attempts += 1
    mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if mail.attempts >= MAX_ATTEMPTS or isinstance(exc, Undeliverable):
        mail.status = OutboxStatus.FAILED
        result.gave_up += 1
        logger.error("outbox mail %s given up after %d attempts: %s", mail.key, mail.attempts, mail.last_error)
    else:
        mail.next_attempt_at = now + retry_delay(mail.attempts)
        result.failed += 1
        logger.warning("outbox mail %s failed (attempt %d), retry at %s: %s", mail.key, mail.attempts,
                       mail.next_attempt_at.isoformat(), mail.last_error)
    mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
