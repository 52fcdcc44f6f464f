"""What the escalation benchmarks share: preparing their PostgreSQL database (migrate, demo data),
the bench team, and streaming a million tickets in with COPY.

`bench/escalation_scan.py` times one scan in-process; `bench/escalation_latency.py` runs the whole
pipeline (workers, beat, outbox) against the same kind of data. Both fill a database of their own.
The caller sets up Django before importing this module."""

from __future__ import annotations

import io
import os
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from django.core.management import call_command
from django.db import connection, transaction

from accounts.models import Organisation, Team, User
from sla.models import Policy
from tickets.models import Ticket

OTHER_PREFIX = "BX"  # references of the background tickets: BX000000001 (closed, or open with a later escalation)
CHUNK = 50_000  # rows per COPY transaction


def prepare_database(*, post_breach_after: str = "2h") -> None:
    """Migrate, seed the demo once, and give the standard policy a post-breach level."""
    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL: DATABASE_URL=postgres://.../helpdesk_bench_<name>")
    call_command("migrate", verbosity=0)
    if not Policy.objects.filter(slug="standard-de").exists():
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    Policy.objects.filter(slug="standard-de").update(post_breach_after=post_breach_after)


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


def copy_tickets(loader: Loader, total: int, row_for: Callable[[int, int], str]) -> int:
    """Stream `total` tickets in with COPY, `row_for(pk, n)` giving the n-th row; returns the first
    id. Sets the id sequence and analyses the table afterwards."""
    start = (Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    table = connection.ops.quote_name(Ticket._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in loader.columns)
    started = time.monotonic()
    with connection.cursor() as cursor:
        for first in range(0, total, CHUNK):
            buffer = io.StringIO()
            for n in range(first, min(first + CHUNK, total)):
                buffer.write(row_for(start + n, n))
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
        cursor.execute(f"ANALYZE {table}")
    return start


def others_keep_ahead(now: datetime) -> None:
    """The background tickets' instants lie ahead; keep them there however long ago the load was."""
    Ticket.objects.filter(
        reference__startswith=OTHER_PREFIX, next_escalation_at__lte=now + timedelta(hours=1)
    ).update(next_escalation_at=now + timedelta(days=30))


def vacuum_analyze(*models) -> None:
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def backend_cpu(pid: int) -> float | None:
    """CPU seconds used so far by the process `pid` of this machine (e.g. a PostgreSQL backend)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
