from django.core.management.base import BaseCommand, no_translations

from sla import engine

from ._cli import InputError, Resolver, command_error


class Command(BaseCommand):
    help = (
        "Print the business minutes (open time of the calendar) in [START, END). The number is exact: an "
        "integer when whole (e.g. 90), otherwise a reduced fraction of minutes (e.g. 181/2 for 90 min 30 s, "
        "61/3 for 20 min 20 s)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--calendar", metavar="SLUG", required=True, help="calendar slug, e.g. de-nrw-standard")
        parser.add_argument("--start", metavar="ISO8601", required=True, help="start instant with UTC offset")
        parser.add_argument("--end", metavar="ISO8601", required=True, help="end instant with UTC offset")

    @no_translations
    def handle(self, *args, calendar, start, end, **options):
        resolver = Resolver()
        try:
            business = resolver.calendar(calendar)
            measured = engine.elapsed(business, resolver.instant(start, "start"), resolver.instant(end, "end"))
        except (InputError, engine.EngineError) as exc:
            raise command_error(exc) from None
        self.stdout.write(str(measured.minutes))
