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
import io
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

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from accounts.models import Organisation, Team, User  # noqa: E402
from escalation.models import Escalation  # noqa: E402
from escalation.services import escalation_scan  # noqa: E402
from notifications.models import Notification, OutboxMail  # noqa: E402
from sla.engine import clock  # noqa: E402
from sla.models import Policy  # noqa: E402
from tickets.models import Ticket  # noqa: E402

DUE_PREFIX, OTHER_PREFIX = "BD", "BX"  # references of the bench's tickets: BD000000001, BX000000001
CHUNK = 50_000


def _copy_text(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def bench_team() -> Team:
    """The due tickets' team: its lead is the demo agent, so a breach tells two people (the lead and
    the manager), as in a desk whose lead is not its manager."""
    vendor = Organisation.objects.get(customer_number="00001")
    team, _created = Team.objects.update_or_create(
        slug="bench-2nd-level",
        defaults={"name": "Bench 2nd level", "organisation": vendor, "lead": User.objects.get(username="agent")},
    )
    return team


class Loader:
    """Tickets as COPY rows: a template row with every column's default, a few columns varied."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.mueller = Organisation.objects.get(customer_number="10001")
        self.requester = User.objects.get(username="customer")
        self.team = bench_team()
        self.policy = Policy.objects.get(slug="standard-de")
        self.fields = [f for f in Ticket._meta.concrete_fields if not getattr(f, "generated", False)]
        template = Ticket(
            reference="", subject="Prüfstand meldet Fehler 42", description="Die Anlage steht.",
            category="fault", severity="severe", organisation=self.mueller, requester=self.requester,
            team=self.team, sla_policy=self.policy, sla_calendar_id=self.policy.calendar_id,
            reaction_target="6h", warning_threshold_percent=75, post_breach_after="2h", created_at=now,
            updated_at=now,
        )
        self.template = {f.column: f.get_db_prep_save(getattr(template, f.attname), connection) for f in self.fields}
        self.columns = [f.column for f in self.fields]

    def row(self, pk: int, reference: str, **values) -> str:
        data = {**self.template, "id": pk, "reference": reference, **values}
        return "\t".join(_copy_text(data[column]) for column in self.columns) + "\n"

    def due_row(self, pk: int, number: int) -> str:
        now = self.now
        return self.row(
            pk, f"{DUE_PREFIX}{number:09d}", status="new", reported_at=now - timedelta(hours=30),
            last_activity_at=now - timedelta(hours=30), reaction_state="open", sla_state="at_risk",
            reaction_warning_at=now - timedelta(hours=2), reaction_due_at=now - timedelta(minutes=10),
            next_escalation_at=now - timedelta(minutes=10), escalations_fired=WARNED,
        )

    def other_row(self, pk: int, number: int) -> str:
        now = self.now
        reported = now - timedelta(minutes=number % 500_000)
        if number % 7 == 0:  # open, its next escalation still ahead
            later = now + timedelta(minutes=5 + number % 20_000)
            return self.row(
                pk, f"{OTHER_PREFIX}{number:09d}", status="in_progress", reported_at=reported,
                last_activity_at=reported, reaction_state="open", sla_state="on_track",
                reaction_warning_at=later, reaction_due_at=later + timedelta(hours=2), next_escalation_at=later,
            )
        return self.row(  # closed long ago: met reaction, no escalation pending
            pk, f"{OTHER_PREFIX}{number:09d}", status="closed", reported_at=reported, last_activity_at=reported,
            closed_at=reported + timedelta(days=2), resolved_at=reported + timedelta(days=1),
            first_reaction_at=reported + timedelta(hours=1), reaction_state="met", sla_state="met",
            reaction_due_at=reported + timedelta(hours=6), reaction_warning_at=reported + timedelta(hours=4),
        )


def load(total: int, due: int, now: datetime) -> tuple[int, int]:
    """Fill the table once; returns the id range of the due tickets."""
    loader = Loader(now)
    start = (Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    others = total - due
    table = connection.ops.quote_name(Ticket._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in loader.columns)
    started = time.monotonic()
    with connection.cursor() as cursor:
        for first in range(0, total, CHUNK):
            buffer = io.StringIO()
            for n in range(first, min(first + CHUNK, total)):
                pk = start + n
                buffer.write(loader.other_row(pk, n) if n < others else loader.due_row(pk, n - others))
            buffer.seek(0)
            with transaction.atomic():
                cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
            sys.stderr.write(f"\rloaded {min(first + CHUNK, total):,}/{total:,} tickets "
                             f"({time.monotonic() - started:.0f} s)")
        sys.stderr.write("\n")
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM " + table + "))",  # noqa: S608
            [Ticket._meta.db_table],
        )
    first_due = start + others
    Escalation.objects.bulk_create(
        [Escalation(ticket_id=pk, target="reaction", level="warning", due_at=now - timedelta(hours=2), fired_at=now)
         for pk in range(first_due, first_due + due)], batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
    return first_due, first_due + due - 1


def due_range() -> tuple[int, int] | None:
    found = Ticket.objects.filter(reference__startswith=DUE_PREFIX).order_by("pk").values_list("pk", flat=True)
    first, last = found.first(), found.last()
    return (first, last) if first else None


# The due tickets' warning fired earlier (its escalation row exists, and its bit is set).
WARNED = clock.level_bit(clock.REACTION, clock.WARNING)


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
        # The other open tickets' instants lie ahead; keep them there however long ago the load was.
        Ticket.objects.filter(
            reference__startswith=OTHER_PREFIX, next_escalation_at__lte=now + timedelta(hours=1)
        ).update(next_escalation_at=now + timedelta(days=30))
    with connection.cursor() as cursor:
        for model in (Ticket, Escalation, Notification, OutboxMail):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def backend_cpu(pid: int) -> float | None:
    """CPU seconds used so far by the PostgreSQL backend `pid` (when the server runs on this machine)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=None, help="tickets per transaction (default: the scan's)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL: DATABASE_URL=postgres://.../helpdesk_bench_escalation")
    call_command("migrate", verbosity=0)
    if not Policy.objects.filter(slug="standard-de").exists():
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    Policy.objects.filter(slug="standard-de").update(post_breach_after="2h")
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
