"""Sending the outbox: the work of `notifications.tasks.outbox_deliver`; the services only record
mails and enqueue the task.

A run claims due mails in small batches: one short transaction locks the oldest due pending rows
that no other worker holds (``FOR UPDATE SKIP LOCKED``) and moves their `next_attempt_at` a lease
(`LEASE`) ahead, so no other run takes them while this one works. Then each mail is rendered, sent
and marked sent on its own (one ``UPDATE``, committed at once), with backoff after a failure. One
run keeps one connection to the mail server open for all its mails (a new one after a failure).

What a crash costs: a mail claimed but not sent waits for the end of its lease and is then sent;
a mail the mail server accepted whose "sent" mark did not commit is sent again at the end of its
lease, with the same Message-ID (the only duplicate possible: see docs/mail.md). A run does not
start a mail later than `LEASE - LEASE_MARGIN` after its claim, and gives back the rows of its
batch it did not start, so a lease never runs out under a mail being sent."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.mail import get_connection
from django.db import connection as database
from django.db import transaction
from django.utils import timezone

from core.rawsql import Names, statement

from .kinds import kind_for
from .mail import NoAddress, mail_render
from .models import OutboxMail, OutboxStatus

logger = logging.getLogger(__name__)

# After a failed attempt the next one waits 1, 2, 4, ... minutes, at most an hour; after
# MAX_ATTEMPTS the mail is given up (status "failed", visible and resendable in the admin).
RETRY_BASE_SECONDS, RETRY_MAX_SECONDS, MAX_ATTEMPTS = 60, 3600, 10
CLAIM_SIZE = 50  # mails claimed per batch
# How long claimed mails are this run's. Short, because it is also how long the mails of a run that
# died (a killed worker, a lost database) wait before another run sends them.
LEASE = timedelta(seconds=60)
LEASE_MARGIN = timedelta(seconds=45)  # room for the last mail started (EMAIL_TIMEOUT per step)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    return timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS))


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    gave_up: int = 0


def _claim(now: datetime, size: int) -> list[OutboxMail]:
    """The oldest due pending mails (at most `size`) that no other run holds, leased to this one.

    The lock walks the partial index on pending rows alone; the mails and their recipients are read
    afterwards, their tickets by primary key in queries of their own. Joined to the ticket table,
    the plan depended on the outbox's statistics: when ANALYZE had seen none of the mails' (new,
    highest) ticket ids — after a quiet spell, then a burst of escalations — PostgreSQL merge-joined
    the whole ticket table for every mail: 1.7 s per mail at a million tickets
    (bench/escalation_latency.py)."""
    with transaction.atomic():
        ids = list(
            OutboxMail.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return []
        OutboxMail.objects.filter(pk__in=ids).update(next_attempt_at=now + LEASE)
    found = (
        OutboxMail.objects.select_related("recipient__organisation")
        .prefetch_related("ticket__organisation", "ticket__assignee", "ticket__team")
        .in_bulk(ids)
    )
    mails = [found[pk] for pk in ids if pk in found]
    _prefetch(mails)
    return mails


def _prefetch(mails: list[OutboxMail]) -> None:
    """Each kind reads what its mails of the batch need at once (`Kind.mail_prefetch`)."""
    by_kind: dict[str, list[OutboxMail]] = {}
    for mail in mails:
        mail.prefetched = {}
        by_kind.setdefault(mail.kind, []).append(mail)
    for code, group in by_kind.items():
        kind = kind_for(code)
        if kind is None or kind.mail_prefetch is None:
            continue
        try:
            kind.mail_prefetch(group)
        except Exception:  # rendering reads what it needs itself, and fails there if it must
            logger.exception("outbox: prefetch for %s mails failed", code)


def _give_back(mails: list[OutboxMail], now: datetime) -> None:
    """Claimed mails this run did not start: due again at once."""
    if mails:
        OutboxMail.objects.filter(
            pk__in=[mail.pk for mail in mails], status=OutboxStatus.PENDING, next_attempt_at=now + LEASE
        ).update(next_attempt_at=now)


def outbox_due_exists(now: datetime) -> bool:
    """Whether a pending mail is due (the partial index on pending rows answers it)."""
    return OutboxMail.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now).exists()


def outbox_deliver_due(*, now: datetime | None = None, limit: int = 500) -> Delivery:
    """Send up to `limit` due pending mails: claim a batch, then render, send and mark each.

    A failure to send records the error and the time of the next attempt (backoff) and goes on
    with the next mail. See the module's docstring for what a crash costs."""
    now = now or timezone.now()
    result = Delivery()
    mailer = None
    try:
        while (done := result.sent + result.failed + result.gave_up) < limit:
            batch = _claim(now, min(CLAIM_SIZE, limit - done))
            if not batch:
                break
            mailer = _send_batch(batch, now, result, mailer)
    finally:
        _closed(mailer)
    return result


def _send_batch(batch: list[OutboxMail], now: datetime, result: Delivery, mailer):
    claimed_at = time.monotonic()
    deadline = (LEASE - LEASE_MARGIN).total_seconds()
    for position, mail in enumerate(batch):
        if time.monotonic() - claimed_at > deadline:  # a slow mail server: the rest waits for the next run
            _give_back(batch[position:], now)
            break
        try:
            message = mail_render(mail=mail)
            if mailer is None:
                mailer = get_connection()
                mailer.open()
            message.connection = mailer
            message.send()
        except Exception as exc:  # a poison mail must not stop the others
            _record_failure(mail, exc, now, result)
            mailer = _closed(mailer)  # the next mail starts on a fresh connection
            continue
        except BaseException:  # interrupted: the mails not started are due again at once
            _give_back(batch[position + 1:], now)
            raise
        try:
            _mark_sent(mail)
        except BaseException:
            _give_back(batch[position + 1:], now)
            raise
        result.sent += 1
    return mailer


def _mark_sent(mail: OutboxMail) -> None:
    """One committed UPDATE (with the kind's `mail_sent` in the same transaction).

    On PostgreSQL the commit does not wait for the disk (``synchronous_commit`` off for this
    transaction only): it is in the server at once and on disk within a fraction of a second
    (three times ``wal_writer_delay``, 0.6 s by default). Only a crash of the database server itself in
    that fraction loses the mark, and the mail is then sent once more when its lease has run out:
    the same at-least-once promise, at a quarter of the time per mail (docs/mail.md)."""
    kind = kind_for(mail.kind)
    sql, params = _mark_sent_sql(), [OutboxStatus.SENT, timezone.now(), mail.pk, OutboxStatus.PENDING]
    if database.vendor == "postgresql":
        sql = "SET LOCAL synchronous_commit TO OFF; " + sql
    with transaction.atomic(), database.cursor() as cursor:
        cursor.execute(sql, params)  # one round trip, then the commit
        if kind is not None and kind.mail_sent is not None:
            kind.mail_sent(mail)


@statement
def _mark_sent_sql(names: Names) -> str:
    """Mark one pending mail sent (parameters: sent status, sent at, id, pending status): the
    statement of every mail, written out (a queryset's compilation cost more than its execution)."""
    def column(field: str) -> str:
        return names.quote(OutboxMail._meta.get_field(field).column)

    table, status, attempts = names.table(OutboxMail), column("status"), column("attempts")
    # Only quoted names from the model are interpolated; the values are parameters.
    sent_at, pk = column("sent_at"), column("id")
    return f"UPDATE {table} SET {status} = %s, {sent_at} = %s, {attempts} = {attempts} + 1 WHERE {pk} = %s AND {status} = %s"  # noqa: S608, E501


def _closed(mailer) -> None:
    if mailer is not None:
        try:
            mailer.close()
        except Exception as exc:  # a broken connection cannot be closed politely
            logger.info("outbox: mail connection not closed cleanly (%s)", exc)


def _record_failure(mail: OutboxMail, exc: Exception, now: datetime, result: Delivery) -> None:
    mail.attempts += 1
    mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if mail.attempts >= MAX_ATTEMPTS or isinstance(exc, NoAddress):
        mail.status = OutboxStatus.FAILED
        mail.next_attempt_at = now
        result.gave_up += 1
        logger.error("outbox mail %s given up after %d attempts: %s", mail.key, mail.attempts, mail.last_error)
    else:
        mail.next_attempt_at = now + retry_delay(mail.attempts)
        result.failed += 1
        logger.warning("outbox mail %s failed (attempt %d), retry at %s: %s", mail.key, mail.attempts,
                       mail.next_attempt_at.isoformat(), mail.last_error)
    mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
