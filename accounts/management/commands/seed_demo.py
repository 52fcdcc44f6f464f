from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_steps


class Command(BaseCommand):
    help = "Create or update the demo organisations, people and data (idempotent). Password: demo."
    # call_command("seed_demo", now=instant): seed as of `instant` (tests; the services still
    # read the real clock, so it must not lie ahead of it). Default: the current time.
    stealth_options = ("now",)

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-history", action="store_false", dest="history",
            help="Only today's demo desk, without the three months of history before it (faster).",
        )

    def handle(self, *args, **options):
        context: dict[str, object] = {"now": options.get("now") or timezone.now(),
                                      "history": options.get("history", True)}
        with transaction.atomic():
            for step in demo_steps():  # accounts first, then each app's, bottom layer first
                context.update(step(context) or {})
        users = context.get("users", {})
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(users)} demo users, password 'demo'."))
