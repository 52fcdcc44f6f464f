"""Read one RFC 822 message from standard input (or --file) and handle it like the IMAP poll.

For a mail server's pipe transport: exit 0 when the mail was handled (or deliberately
ignored), 75 (EX_TEMPFAIL: "try again later") when it could not be handled now, e.g. while the
database is down, 65 (EX_DATAERR) for an empty message."""

import sys

from django.core.management.base import BaseCommand, CommandError

from api import inbound

EX_DATAERR, EX_TEMPFAIL = 65, 75


class Command(BaseCommand):
    help = "Handle one e-mail (RFC 822) from standard input: open a ticket, add a reply, or answer automatically."

    def add_arguments(self, parser):
        parser.add_argument("--file", help="Read the message from this file instead of standard input.")

    def handle(self, *args, **options):
        if options.get("file"):
            with open(options["file"], "rb") as handle:
                raw = handle.read()
        else:
            raw = sys.stdin.buffer.read()
        if not raw.strip():
            raise CommandError("no message on standard input", returncode=EX_DATAERR)
        try:
            result = inbound.mail_ingest(raw=raw)
        except Exception as error:
            raise CommandError(f"the message could not be handled now: {error}", returncode=EX_TEMPFAIL) from error
        ticket = result.ticket.reference if result.ticket else "-"
        note = " (seen before)" if result.duplicate else ""
        self.stdout.write(f"{result.outcome} {result.reason or '-'} {ticket}{note}")
