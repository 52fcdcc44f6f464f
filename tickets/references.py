"""Human-friendly ticket references: HD-<year of reported_at>-<per-year counter>.

The counter row of the year is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite's write
transaction, taken at BEGIN IMMEDIATE, serialises the same code), so two tickets filed at the
same moment never get the same number. Must be called inside a transaction."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from tickets.models import TicketCounter

PREFIX = "HD"


def reference_year(reported_at: datetime) -> int:
    """The year in the installation's time zone (Europe/Berlin): a call at 00:30 on 1 January
    counts for the new year."""
    return timezone.localtime(reported_at).year


def format_reference(year: int, number: int) -> str:
    return f"{PREFIX}-{year}-{number:06d}"


def reference_allocate(*, reported_at: datetime) -> str:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reference_allocate must run inside transaction.atomic()")
    year = reference_year(reported_at)
    counter = TicketCounter.objects.select_for_update().filter(year=year).first()
    if counter is None:
        # First ticket of the year: create the row; ON CONFLICT DO NOTHING waits for a concurrent
        # creator and then leaves its row alone, so both end up locking the same row.
        TicketCounter.objects.bulk_create([TicketCounter(year=year)], ignore_conflicts=True)
        counter = TicketCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return format_reference(year, counter.last_number)
