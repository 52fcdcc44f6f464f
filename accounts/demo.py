"""Demo organisations, teams and people for `manage.py seed_demo`. Idempotent: running it again
updates the rows in place and creates nothing twice. Every demo user's password is `demo`."""

from django.contrib.auth.hashers import make_password
from django.db import transaction

from .models import Organisation, Role, Team, User

DEMO_PASSWORD = "demo"

ORGANISATIONS = [
    # key, name, customer number, kind, country, language, support partner key
    ("vendor", "Nordlicht Software GmbH", "00001", Organisation.Kind.VENDOR, "DE", "de", None),
    ("mueller", "Müller Maschinenbau GmbH", "10001", Organisation.Kind.CUSTOMER, "DE", "de", None),
    ("acme", "Acme Tooling Inc.", "20001", Organisation.Kind.CUSTOMER, "US", "en", None),
    ("retail", "Frischmarkt Handels GmbH & Co. KG", "30001", Organisation.Kind.CUSTOMER, "DE", "de", None),
    ("partner", "PartnerSoft GmbH", "40001", Organisation.Kind.RESELLER, "DE", "de", None),
    ("baeckerei", "Bäckerei Schröder", "40101", Organisation.Kind.CUSTOMER, "DE", "de", "partner"),
]

USERS = [
    # username, first, last, organisation key, role, language, superuser
    ("customer", "Jürgen", "Müller", "mueller", Role.CONTACT, "de", False),
    ("reader", "Käthe", "Weiß", "mueller", Role.READER, "de", False),
    ("us-customer", "Jennifer", "Miller", "acme", Role.CONTACT, "en", False),
    ("pos-customer", "Özlem", "Yıldız", "retail", Role.CONTACT, "de", False),
    ("partner-customer", "Grete", "Schröder", "baeckerei", Role.CONTACT, "de", False),
    ("partner-agent", "Paul", "Strauß", "partner", Role.AGENT, "de", False),
    ("agent", "Anja", "Böhm", "vendor", Role.AGENT, "de", False),
    ("us-agent", "Tom", "Baker", "vendor", Role.AGENT, "en", False),
    ("manager", "Martin", "Groß", "vendor", Role.MANAGER, "de", False),
    ("admin", "Ada", "Admin", "vendor", Role.ADMIN, "de", True),
]

TEAMS = [
    # slug, name, organisation key, lead username, member usernames
    ("de-1st-level", "1st level DE", "vendor", "manager", ["agent", "manager"]),
    ("us-desk", "US desk", "vendor", "manager", ["us-agent", "manager"]),
    ("pos-hotline", "POS hotline", "vendor", "manager", ["agent"]),
    ("partnersoft", "PartnerSoft Support", "partner", "partner-agent", ["partner-agent"]),
]


@transaction.atomic
def seed(context: dict[str, object]) -> dict[str, object]:
    organisations: dict[str, Organisation] = {}
    for key, name, number, kind, country, language, partner in ORGANISATIONS:
        organisations[key], _ = Organisation.objects.update_or_create(
            customer_number=number,
            defaults={
                "name": name,
                "kind": kind,
                "country": country,
                "language": language,
                "support_partner": organisations[partner] if partner else None,
            },
        )
    users: dict[str, User] = {}
    hashed = None  # one hash of the public demo password for all: hashing costs half a second each
    for username, first, last, org_key, role, language, superuser in USERS:
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.example",
                "organisation": organisations[org_key],
                "role": role,
                "language": language,
                "is_staff": superuser,
                "is_superuser": superuser,
                "is_active": True,
            },
        )
        if created or not user.check_password(DEMO_PASSWORD):
            hashed = hashed or make_password(DEMO_PASSWORD)
            user.password = hashed
            user.save(update_fields=["password"])
        users[username] = user
    teams: dict[str, Team] = {}
    for slug, name, org_key, lead, members in TEAMS:
        team, _ = Team.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "organisation": organisations[org_key], "lead": users[lead]},
        )
        team.members.set([users[m] for m in members])
        teams[slug] = team
    return {"organisations": organisations, "users": users, "teams": teams}


# The demo steps of the apps above: each app registers its idempotent `seed(context)` in its
# `AppConfig.ready()`, so they run in the order of INSTALLED_APPS (the layers, bottom first). A
# step receives what the earlier steps returned (organisations, users, ...) and returns what it
# adds; the context starts with `now`, the one clock of the whole seeding.
_STEPS: list = []


def demo_step_register(step) -> None:
    if step not in _STEPS:
        _STEPS.append(step)


def demo_steps() -> list:
    """This app's step, then the registered ones."""
    return [seed, *_STEPS]
