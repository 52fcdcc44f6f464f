"""Every write to notifications and the outbox. Keyword-only arguments; the caller's
transaction is used where one is open (the escalation scan records its notifications and mails
in the same transaction as the escalation rows)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .models import Notification, OutboxMail, OutboxStatus

logger = logging.getLogger(__name__)

# After a failed attempt the next one waits 1, 2, 4, ... minutes, at most an hour; after
# MAX_ATTEMPTS the mail is given up (status "failed", visible and resendable in the admin).
RETRY_BASE_SECONDS, RETRY_MAX_SECONDS, MAX_ATTEMPTS = 60, 3600, 10


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    return timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS))


# --- in-app notifications ------------------------------------------------------------------

def notification_create(*, recipient, kind: str, payload: dict, ticket=None, now: datetime | None = None):
    return Notification.objects.create(
        recipient=recipient, kind=kind, payload=payload, ticket=ticket, created_at=now or timezone.now()
    )


def notifications_create(*, notifications: Iterable[Notification]) -> list[Notification]:
    """Store many unsaved `Notification` objects at once (in the caller's transaction)."""
    return Notification.objects.bulk_create(list(notifications), batch_size=1000)


class NotificationRow(NamedTuple):
    recipient_id: int
    kind: str
    payload: dict
    ticket_id: int | None


def notifications_create_rows(*, rows: list[NotificationRow], now: datetime) -> None:
    """Store many notifications given as plain rows (the escalation scan: thousands a minute).
    One statement on PostgreSQL, `bulk_create` elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        notifications_create(notifications=[Notification(**row._asdict(), created_at=now) for row in rows])
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(Notification)} (recipient_id, kind, payload, ticket_id, created_at) "  # noqa: S608
            "SELECT r, k, p, t, %s FROM unnest(%s::bigint[], %s::text[], %s::jsonb[], %s::bigint[]) AS v(r, k, p, t)",
            [now, *_columns(rows, payload_index=2)],
        )


def notification_mark_read(*, user, notification_id: int, now: datetime | None = None) -> bool:
    """Mark one of `user`'s notifications read. False when it was read already; raises
    `Notification.DoesNotExist` for someone else's (the view answers 404)."""
    notification = Notification.objects.filter(recipient=user).get(pk=notification_id)
    if notification.read_at is not None:
        return False
    updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )
    return bool(updated)


def notifications_mark_all_read(*, user, now: datetime | None = None) -> int:
    """Mark all of `user`'s unread notifications read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now or timezone.now())


# --- the e-mail outbox ------------------------------------------------------------------------

def outbox_mails_add(*, mails: Iterable[OutboxMail]) -> None:
    """Record unsaved `OutboxMail` rows in the caller's transaction; a key that exists already is
    skipped. Delivery starts once the transaction has committed (and the beat sweep retries)."""
    mails = list(mails)
    if not mails:
        return
    OutboxMail.objects.bulk_create(mails, batch_size=1000, ignore_conflicts=True)
    from .tasks import outbox_deliver

    transaction.on_commit(outbox_deliver.delay)


class OutboxRow(NamedTuple):
    key: str
    recipient_id: int
    kind: str
    payload: dict
    ticket_id: int | None


def outbox_mails_add_rows(*, rows: list[OutboxRow], now: datetime) -> None:
    """`outbox_mails_add` for plain rows, due at `now`: one statement on PostgreSQL."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        outbox_mails_add(mails=[OutboxMail(**row._asdict(), created_at=now, next_attempt_at=now) for row in rows])
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(OutboxMail)} (\"key\", recipient_id, kind, payload, ticket_id, status, attempts, "  # noqa: S608
            "next_attempt_at, last_error, created_at) "
            "SELECT k, r, c, p, t, %s, 0, %s, '', %s "
            "FROM unnest(%s::text[], %s::bigint[], %s::text[], %s::jsonb[], %s::bigint[]) AS v(k, r, c, p, t) "
            "ON CONFLICT (key) DO NOTHING",
            [OutboxStatus.PENDING, now, now, *_columns(rows, payload_index=3)],
        )
    from .tasks import outbox_deliver

    transaction.on_commit(outbox_deliver.delay)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _columns(rows, *, payload_index: int) -> list[list]:
    """Rows → one list per column (for unnest), the JSON payload column serialised."""
    columns = [list(column) for column in zip(*rows, strict=True)]
    texts: dict[int, str] = {}  # rows often share one payload object (one per escalation)
    for payload in columns[payload_index]:
        if id(payload) not in texts:
            texts[id(payload)] = json.dumps(payload, cls=DjangoJSONEncoder)
    columns[payload_index] = [texts[id(payload)] for payload in columns[payload_index]]
    return columns


def outbox_mail_add(*, key: str, recipient, kind: str, payload: dict, ticket=None) -> None:
    outbox_mails_add(mails=[OutboxMail(key=key, recipient=recipient, kind=kind, payload=payload, ticket=ticket)])


class Undeliverable(Exception):
    """A mail that no retry can deliver (no address, inactive recipient): given up at once."""


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


def outbox_deliver_due(*, now: datetime | None = None, limit: int = 500) -> Delivery:
    """Send due pending mails, each in its own transaction: lock the row, send, mark it sent.

    A failure to send records the error and the time of the next attempt (backoff) and goes on
    with the next mail. A crash after sending but before the commit leaves the mail pending: it
    is sent again (at least once; the Message-ID stays the same). See docs/architecture.md."""
    from .mail import mail_render

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


def outbox_mail_retry(*, mail: OutboxMail, now: datetime | None = None) -> bool:
    """Put a given-up mail back in the queue (admin action). False if it was not given up."""
    updated = OutboxMail.objects.filter(pk=mail.pk, status=OutboxStatus.FAILED).update(
        status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now or timezone.now()
    )
    if updated:
        from .tasks import outbox_deliver

        transaction.on_commit(outbox_deliver.delay)
    return bool(updated)
