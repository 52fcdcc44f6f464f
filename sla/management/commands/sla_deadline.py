import sys

from django.core.management.base import BaseCommand, CommandError, no_translations

from sla import engine

from ._cli import InputError, Resolver, command_error, reason


class Command(BaseCommand):
    help = (
        "Print the SLA deadline of a target from a start instant on a business calendar, as ISO-8601 with "
        "the calendar's offset, e.g. 2027-01-04T13:30:00+01:00. With --batch, read lines 'SLUG START TARGET' "
        "from stdin and print one deadline, or 'error: <reason>', per input line in order (a blank line gets an "
        "error line too, so output line n answers input line n; exit status 0)."
    )

    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--calendar", metavar="SLUG", help="calendar slug, e.g. de-nrw-standard")
        parser.add_argument(
            "--start", metavar="ISO8601", help="start instant with UTC offset, e.g. 2026-12-23T15:30+01:00"
        )
        parser.add_argument("--target", metavar="TARGET", help="6h, 90m, 3600s (business time) or 1.5d (working days)")
        parser.add_argument("--batch", action="store_true", help="read 'SLUG START TARGET' lines from stdin")

    @no_translations
    def handle(self, *args, calendar=None, start=None, target=None, batch=False, **options):
        resolver = Resolver()
        if batch:
            if calendar or start or target:
                raise CommandError("--batch reads every input from stdin; do not combine it with other options")
            self._batch(resolver, options.get("stdin") or sys.stdin)
            return
        missing = [name for name, value in (("--calendar", calendar), ("--start", start), ("--target", target))
                   if not value]
        if missing:
            raise CommandError(f"missing {', '.join(missing)} (or use --batch)")
        try:
            self.stdout.write(self._one(resolver, calendar, start, target))
        except (InputError, engine.EngineError) as exc:
            raise command_error(exc) from None

    @staticmethod
    def _one(resolver: Resolver, slug: str, start: str, target: str) -> str:
        business = resolver.calendar(slug)
        begin = resolver.instant(start, "start")
        due = engine.deadline(business, begin, resolver.target(target))
        return engine.format_instant(due, business)

    def _batch(self, resolver: Resolver, stream) -> None:
        out = []
        for line in stream:
            parts = line.split()
            if len(parts) != 3:
                out.append(f"error: expected 'SLUG START TARGET', got {line.strip()!r}")
                continue
            try:
                out.append(self._one(resolver, *parts))
            except (InputError, engine.EngineError) as exc:
                out.append(f"error: {reason(exc)}")
            if len(out) >= 1000:
                self.stdout.write("\n".join(out))
                out.clear()
        if out:
            self.stdout.write("\n".join(out))
