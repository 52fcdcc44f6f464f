"""Benchmark of the SLA escalation scan: one scan over a million tickets of which 10,000 are due.

Run on a PostgreSQL database of its own (it is filled and changed; never a real one):

    createdb helpdesk_bench_escalation
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_bench_escalation \\
        .venv/bin/python bench/escalation_scan.py [--tickets 1000000] [--due 10000] [--repeat 3]

It migrates, seeds the demo (calendars, policies, teams, people), and streams the tickets in
with COPY: most of them closed, some open with their next escalation in the future, and `--due`
open severe faults of Müller (team "1st level DE") whose reaction deadline passed ten minutes
ago (their warning fired earlier), in a team whose lead is the demo agent. Loading is done once;
later runs reuse the rows.

One scan, as beat runs it (every `ESCALATION_SCAN_INTERVAL`, 10 s by default), is then timed: it
finds the due tickets through the index on `next_escalation_at`, locks them in batches, records
10,000 breach escalations, writes
20,000 notifications and 20,000 outbox mails (the team lead and the manager), marks the tickets
breached and moves their `next_escalation_at` to the post-breach
instant (the tickets' snapshot has `post_breach_after` = 2h, so every ticket also costs two engine
deadline computations). Sending the mails is a separate task and not part of the scan. After
each run the due tickets are reset, so `--repeat` times the same work again. Target: < 2 s.
Each run also prints the CPU time of this process and of its PostgreSQL backend (when the server
is local): on a busy machine the wall time includes waiting for a CPU, the CPU times do not.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from bench.escalation_data import (  # noqa: E402
    OTHER_PREFIX,
    Loader,
    backend_cpu,
    bench_team,
    copy_tickets,
    others_keep_ahead,
    prepare_database,
    vacuum_analyze,
)
from escalation.models import Escalation  # noqa: E402
from escalation.services import escalation_scan  # noqa: E402
from notifications.models import Notification, OutboxMail  # noqa: E402
from sla.engine import clock  # noqa: E402
from tickets.models import Ticket  # noqa: E402

DUE_PREFIX = "BD"  # references of the due tickets: BD000000001

# The due tickets' warning fired earlier (its escalation row exists, and its bit is set).
WARNED = clock.level_bit(clock.REACTION, clock.WARNING)


def due_row(loader: Loader, pk: int, number: int) -> str:
    now = loader.now
    return loader.row(
        pk, f"{DUE_PREFIX}{number:09d}", status="new", reported_at=now - timedelta(hours=30),
        last_activity_at=now - timedelta(hours=30), reaction_state="open", sla_state="at_risk",
        reaction_warning_at=now - timedelta(hours=2), reaction_due_at=now - timedelta(minutes=10),
        next_escalation_at=now - timedelta(minutes=10), escalations_fired=WARNED,
    )


def load(total: int, due: int, now: datetime) -> tuple[int, int]:
    """Fill the table once; returns the id range of the due tickets."""
    loader = Loader(now)
    others = total - due
    start = copy_tickets(
        loader, total, lambda pk, n: loader.other_row(pk, n) if n < others else due_row(loader, pk, n - others)
    )
    first_due = start + others
    Escalation.objects.bulk_create(
        [Escalation(ticket_id=pk, target="reaction", level="warning", due_at=now - timedelta(hours=2), fired_at=now)
         for pk in range(first_due, first_due + due)], batch_size=5000,
    )
    return first_due, first_due + due - 1


def due_range() -> tuple[int, int] | None:
    found = Ticket.objects.filter(reference__startswith=DUE_PREFIX).order_by("pk").values_list("pk", flat=True)
    first, last = found.first(), found.last()
    return (first, last) if first else None


def reset(first: int, last: int, now: datetime) -> None:
    """Put the due tickets back as they were before a scan."""
    with transaction.atomic():
        OutboxMail.objects.filter(ticket_id__gte=first, ticket_id__lte=last).delete()
        Notification.objects.filter(ticket_id__gte=first, ticket_id__lte=last).delete()
        Escalation.objects.filter(ticket_id__gte=first, ticket_id__lte=last).exclude(level="warning").delete()
        Ticket.objects.filter(pk__range=(first, last)).update(
            next_escalation_at=now - timedelta(minutes=10), reaction_due_at=now - timedelta(minutes=10),
            reaction_warning_at=now - timedelta(hours=2), sla_state="at_risk", team=bench_team(),
            escalations_fired=WARNED,
        )
        others_keep_ahead(now)
    vacuum_analyze(Ticket, Escalation, Notification, OutboxMail)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=None, help="tickets per transaction (default: the scan's)")
    args = parser.parse_args()
    prepare_database(post_breach_after="2h")
    now = datetime.now(UTC).replace(microsecond=0)
    existing = due_range()
    if existing is None:
        Ticket.objects.filter(reference__startswith=OTHER_PREFIX).delete()
        first, last = load(args.tickets, args.due, now)
    else:
        first, last = existing
    total = Ticket.objects.count()
    print(f"{total:,} tickets, {last - first + 1:,} due; PostgreSQL {connection.pg_version // 10000}")
    timings = []
    kwargs = {"batch_size": args.batch} if args.batch else {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    for run in range(args.repeat):
        reset(first, last, now)
        scan_now = datetime.now(UTC)
        with mock.patch("notifications.tasks.outbox_deliver.delay"):  # sending is the delivery task's work
            server_cpu, started, cpu = backend_cpu(backend), time.perf_counter(), time.process_time()
            fired = escalation_scan(now=scan_now, **kwargs)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            server_cpu = backend_cpu(backend) - server_cpu if server_cpu is not None else float("nan")
        timings.append(elapsed)
        mails = OutboxMail.objects.filter(ticket_id__gte=first, ticket_id__lte=last).count()
        print(f"run {run + 1}: {elapsed:.2f} s ({cpu:.2f} s Python CPU, {server_cpu:.2f} s PostgreSQL CPU), "
              f"{len(fired):,} escalations, {mails:,} outbox mails; load average {os.getloadavg()[0]:.1f}")
    if timings:
        print(f"one scan: best {min(timings):.2f} s, median {statistics.median(timings):.2f} s (target < 2 s)")
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT id FROM tickets_ticket WHERE next_escalation_at <= now() ORDER BY next_escalation_at "
            "LIMIT 100000"
        )
        print("selection:", " / ".join(line for (line,) in cursor.fetchall()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
