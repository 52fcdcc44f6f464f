"""Benchmark of the retention task: anonymise the closed tickets of a ~1M-ticket database.

Run on a PostgreSQL database of its own (it is changed for good; never a real one), e.g. a copy
of the load generator's database:

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE helpdesk_privacy_bench TEMPLATE helpdesk_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_privacy_bench \\
        .venv/bin/python bench/retention.py [--days 30] [--batch 500] [--limit-rules N]

It migrates, gives every customer organisation a retention rule of `--days` days and runs
`privacy.services.retention_apply` once, as the daily task does: batches of `--batch` tickets, one
transaction each. Printed: tickets anonymised, tickets/s, batches, the longest and the 99th
percentile transaction (the longest time any ticket row is locked), and what a concurrent writer
saw: a second connection updates one not-yet-anonymised closed ticket every 50 ms and records
how long each update waited. A second run follows to show that nothing is done twice.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

import django

django.setup()

import psycopg2  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Organisation  # noqa: E402
from privacy.models import AnonymisedTicket, RetentionRule  # noqa: E402
from privacy.services import retention_apply  # noqa: E402
from tickets.models import Ticket  # noqa: E402


class Prober(threading.Thread):
    """Another writer: touches a closed, not-yet-anonymised ticket every `interval` seconds and
    records how long each single-row UPDATE took (waiting for a lock included)."""

    def __init__(self, dsn: str, ids: list[int], interval: float = 0.05):
        super().__init__(daemon=True)
        self.dsn, self.ids, self.interval = dsn, ids, interval
        self.waits: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        conn = psycopg2.connect(self.dsn)
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                i = 0
                while not self.stop.is_set():
                    pk = self.ids[i % len(self.ids)]
                    i += 1
                    started = time.monotonic()
                    cursor.execute("UPDATE tickets_ticket SET updated_at = updated_at WHERE id = %s", [pk])
                    self.waits.append(time.monotonic() - started)
                    time.sleep(self.interval)
        finally:
            conn.close()


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--limit-rules", type=int, default=0, help="Only this many organisations (0: all).")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("Run against PostgreSQL (DATABASE_URL).", file=sys.stderr)
        return 2

    call_command("migrate", verbosity=0)
    customers = Organisation.objects.filter(kind=Organisation.Kind.CUSTOMER).order_by("pk")
    if args.limit_rules:
        customers = customers[: args.limit_rules]
    for organisation in customers:
        RetentionRule.objects.update_or_create(organisation=organisation, defaults={"closed_ticket_days": args.days})
    now = timezone.now()
    total = Ticket.objects.count()
    print(f"{total} tickets, {RetentionRule.objects.count()} rules of {args.days} days, "
          f"{AnonymisedTicket.objects.count()} tickets anonymised before")

    settings_dict = connection.settings_dict
    dsn = " ".join(f"{key}={value}" for key, value in {
        "host": settings_dict["HOST"], "port": settings_dict["PORT"] or 5432, "dbname": settings_dict["NAME"],
        "user": settings_dict["USER"], "password": settings_dict["PASSWORD"],
    }.items() if value)
    probe_ids = list(
        Ticket.objects.filter(status="closed", closed_at__lt=now - timezone.timedelta(days=args.days + 1))
        .order_by("?").values_list("pk", flat=True)[:2000]
    )
    prober = Prober(dsn, probe_ids)
    prober.start()
    started = time.monotonic()
    outcome = retention_apply(now=now, batch_size=args.batch)
    elapsed = time.monotonic() - started
    prober.stop.set()
    prober.join()

    seconds = outcome.batch_seconds
    print(f"run 1: {outcome.tickets} tickets in {elapsed:.1f} s = {outcome.tickets / elapsed:.0f} tickets/s; "
          f"{outcome.batches} batches of up to {args.batch}")
    if seconds:
        print(f"  transaction (lock held): longest {max(seconds) * 1000:.0f} ms, "
              f"p99 {_pct(seconds, .99) * 1000:.0f} ms, median {statistics.median(seconds) * 1000:.0f} ms")
    print(f"  concurrent single-row writer: {len(prober.waits)} updates, "
          f"longest {max(prober.waits, default=0) * 1000:.0f} ms, p99 {_pct(prober.waits, .99) * 1000:.0f} ms")

    started = time.monotonic()
    again = retention_apply(now=now, batch_size=args.batch)
    print(f"run 2 (nothing left): {again.tickets} tickets, {again.batches} batches "
          f"in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
