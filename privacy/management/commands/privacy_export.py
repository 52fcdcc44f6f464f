"""Export a person's data to a ZIP archive: `manage.py privacy_export <username> <path>`. The export
is recorded (without an actor: the command line)."""

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
            with open(path, "xb") as out:
                export = person_export(person=person, actor=None, out=out, now=timezone.now())
        except FileExistsError as error:
            raise CommandError(f"{path} exists; choose another path.") from error
        self.stdout.write(f"Exported the data of user {person.pk} to {path} (export {export.pk}).")
