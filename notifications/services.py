"""Every write to notifications and the outbox. Keyword-only arguments; the caller's
transaction is used where one is open (the escalation scan records its notifications and mails
in the same transaction as the escalation rows)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .models import MailMode, Notification, NotificationSettings, OutboxMail, OutboxStatus
from .tasks import outbox_deliver_enqueue

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

def outbox_mails_add(*, mails: Iterable[OutboxMail], enqueue: bool = True, now: datetime | None = None) -> None:
    """Record unsaved `OutboxMail` rows in the caller's transaction, due at `now`; a key that
    exists already is skipped. Delivery starts once the transaction has committed (and the beat
    sweep retries); `enqueue=False` leaves starting it to the caller."""
    mails = list(mails)
    if not mails:
        return
    now = now or timezone.now()
    for mail in mails:
        mail.created_at = mail.next_attempt_at = now
    OutboxMail.objects.bulk_create(mails, batch_size=1000, ignore_conflicts=True)
    if enqueue:
        deliver_after_commit()


def deliver_after_commit() -> None:
    """Enqueue a delivery run once the current transaction has committed (at once outside of one)."""
    transaction.on_commit(outbox_deliver_enqueue)


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
        outbox_mails_add(mails=[OutboxMail(**row._asdict()) for row in rows], now=now)
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
    deliver_after_commit()


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


def outbox_mails_skip(*, ticket_ids: Iterable[int], note: str) -> int:
    """Mark the pending mails about these tickets as not to be sent (the demo data: its people are
    not mailed). Returns how many."""
    return OutboxMail.objects.filter(ticket_id__in=list(ticket_ids), status=OutboxStatus.PENDING).update(
        status=OutboxStatus.SKIPPED, last_error=note
    )


def outbox_mail_retry(*, mail: OutboxMail, now: datetime | None = None) -> bool:
    """Put a given-up mail back in the queue (admin action). False if it was not given up."""
    updated = OutboxMail.objects.filter(pk=mail.pk, status=OutboxStatus.FAILED).update(
        status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now or timezone.now()
    )
    if updated:
        deliver_after_commit()
    return bool(updated)


# --- notification settings ------------------------------------------------------------------

def notification_settings_save(*, user, choices: dict[str, str]) -> NotificationSettings:
    """Store the person's choices (topic code → mode; the form has checked them against the
    topics and the person's role). Choices for topics not in `choices` are kept."""
    unknown = set(choices.values()) - set(MailMode.values)
    if unknown:
        raise ValueError(f"unknown mail modes {sorted(unknown)}")
    with transaction.atomic():
        row, _created = NotificationSettings.objects.select_for_update().get_or_create(user=user)
        row.choices = {**(row.choices or {}), **choices}
        row.save(update_fields=["choices", "updated_at"])
    return row


def notification_settings_digest_advance(*, settings_row: NotificationSettings, until: datetime) -> None:
    """Record that the person's digests cover everything up to `until` (in the caller's
    transaction, the one that records the digest mail)."""
    NotificationSettings.objects.filter(pk=settings_row.pk).update(digest_until=until)
