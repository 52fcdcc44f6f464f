"""Export a person's data to a ZIP archive: `manage.py privacy_export <username> <path>`. The export
is recorded (without an actor: the command line)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User
from privacy.services import person_export


class Command(BaseCommand):
    help = "Export a person's personal data (profile, tickets, comments, attachments, ...) as a ZIP archive."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("path", help="Where to write the archive (an existing file is not overwritten).")

    def handle(self, *args, username: str, path: str, **options):
        person = User.objects.filter(username=username).first()
        if person is None:
            raise CommandError(f"No user named {username!r}.")
        try:
            out = open(path, "xb")  # noqa: SIM115 (closed below; removed again on failure)
        except FileExistsError as error:
            raise CommandError(f"{path} exists; choose another path.") from error
        try:
            with out:
                export = person_export(person=person, actor=None, out=out, now=timezone.now())
        except BaseException:
            Path(path).unlink(missing_ok=True)
            raise
        self.stdout.write(f"Exported the data of user {person.pk} to {path} (export {export.pk}).")
