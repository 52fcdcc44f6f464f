from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

# Each app contributes one idempotent `seed(context)` step, in dependency order: it receives
# what the earlier steps returned (organisations, users, ...) and returns what it adds. The context
# starts with `now`, the one clock of the whole seeding (demo deadlines are relative to it).
DEMO_STEPS = [
    "accounts.demo",
    "sla.demo",
    "tickets.demo",
    "tickets.demo_workspace",
]


class Command(BaseCommand):
    help = "Create or update the demo organisations, people and data (idempotent). Password: demo."
    # call_command("seed_demo", now=instant): seed as of `instant` (tests; the services still
    # read the real clock, so it must not lie ahead of it). Default: the current time.
    stealth_options = ("now",)

    def handle(self, *args, **options):
        context: dict[str, object] = {"now": options.get("now") or timezone.now()}
        with transaction.atomic():
            for dotted in DEMO_STEPS:
                context.update(import_module(dotted).seed(context) or {})
        users = context.get("users", {})
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(users)} demo users, password 'demo'."))
