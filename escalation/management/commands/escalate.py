"""Run the escalation scan in the foreground: `manage.py escalate --once` (one scan, then exit)
or without `--once` every `--interval` seconds until interrupted (a stand-in for beat)."""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from escalation.services import escalation_scan


class Command(BaseCommand):
    help = "Escalate SLA warnings, breaches and post-breach levels that fell due; print each one."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one scan and exit.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between scans without --once.")

    def handle(self, *args, once: bool, interval: int, **options):
        while True:
            self._scan()
            if once:
                return
            time.sleep(max(interval, 1))

    def _scan(self) -> None:
        now = timezone.now()
        fired = escalation_scan(now=now)
        for item in fired:
            escalation = item.escalation
            due = timezone.localtime(escalation.due_at).isoformat()
            self.stdout.write(
                f"{item.reference} {escalation.target} {escalation.level} due {due} ({item.recipients} notified)"
            )
        self.stdout.write(f"{len(fired)} escalated at {timezone.localtime(now).isoformat(timespec='seconds')}")
