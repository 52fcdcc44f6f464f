"""Human-friendly ticket references: HD-<year of reported_at>-<per-year counter>.

The number comes from one `UPDATE … SET last_number = last_number + 1 … RETURNING` on the year's
counter row. The update locks the row until the caller's transaction ends (PostgreSQL; SQLite's
write transaction, taken at BEGIN IMMEDIATE, serialises the same code), so two tickets filed at
the same moment never get the same number, and a transaction that rolls back gives its number
back: the numbers have no gaps. Callers allocate as late as they can, just before the insert, so
the row stays locked for a few statements only. Must be called inside a transaction."""

from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from tickets.models import TicketCounter

PREFIX = "HD"


def reference_year(reported_at: datetime) -> int:
    """The year in the installation's time zone (Europe/Berlin): a call at 00:30 on 1 January
    counts for the new year."""
    return timezone.localtime(reported_at).year


def format_reference(year: int, number: int) -> str:
    return f"{PREFIX}-{year}-{number:06d}"


# Identifiers in double quotes work on PostgreSQL and SQLite; a test checks them against the model.
INCREMENT_SQL = (
    'UPDATE "tickets_ticketcounter" SET "last_number" = "last_number" + 1 WHERE "year" = %s RETURNING "last_number"'
)


def _increment(year: int) -> int | None:
    """The year's next number, or None when the year has no counter row yet."""
    with connection.cursor() as cursor:
        cursor.execute(INCREMENT_SQL, [year])
        row = cursor.fetchone()
    return row[0] if row else None


def reference_allocate(*, reported_at: datetime) -> str:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reference_allocate must run inside transaction.atomic()")
    year = reference_year(reported_at)
    number = _increment(year)
    if number is None:
        # First ticket of the year: create the row; ON CONFLICT DO NOTHING waits for a concurrent
        # creator and then leaves its row alone, so both end up incrementing the same row.
        TicketCounter.objects.bulk_create([TicketCounter(year=year)], ignore_conflicts=True)
        number = _increment(year)
    return format_reference(year, number)
