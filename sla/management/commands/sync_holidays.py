import re

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sla.models import Calendar
from sla.services import calendar_holidays_sync, command_origin


def _years(text: str) -> range:
    match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", text or "")
    if match is None:
        raise CommandError(f"--years must be YEAR or FIRST-LAST, e.g. 2026-2030, not {text!r}")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise CommandError(f"--years {text}: the last year is before the first")
    return range(first, last + 1)


class Command(BaseCommand):
    help = (
        "Create or refresh the public holidays (German and English names) of every calendar, or of one, "
        "from the `holidays` package. Idempotent: removed (deactivated) holidays stay removed and manual "
        "holidays are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--calendar", metavar="SLUG", help="only this calendar")
        parser.add_argument("--years", metavar="FIRST-LAST", help="only these years (default: the calendar's range)")

    def handle(self, *args, calendar=None, years=None, **options):
        year_range = _years(years) if years else None
        calendars = Calendar.objects.order_by("slug")
        if calendar:
            calendars = calendars.filter(slug=calendar)
            if not calendars.exists():
                raise CommandError(f"unknown calendar {calendar!r}")
        for row in calendars:
            try:
                result = calendar_holidays_sync(calendar=row, years=year_range, origin=command_origin("sync_holidays"))
            except ValidationError as exc:
                raise CommandError(f"{row.slug}: {' '.join(exc.messages)}") from None
            self.stdout.write(
                f"{row.slug}: {result.created} created, {result.updated} renamed, {result.removed} removed"
            )
