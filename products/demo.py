"""Demo products and releases for `manage.py seed_demo`: a published release and the next one,
which carries a permanent fix (not yet published). Idempotent."""

from __future__ import annotations

from datetime import timedelta

from .models import Product, Release
from .services import release_create, release_publish

PRODUCTS = [("kasse", "Kassensystem"), ("planer", "ProduktionsPlaner"), ("zaehler", "Zählerstände-App")]

# product, version, security, published (days before seeding, None: not yet), German notes, English notes
RELEASES = [
    ("kasse", "4.8", False, 30,
     "Neue Druckerkonfiguration für Bondrucker\nSchnellerer Tagesabschluss",
     "New printer configuration for receipt printers\nFaster end-of-day closing"),
    ("kasse", "4.8.1", True, 10,
     "Sicherheitsupdate: Anmeldung an der Kasse gegen Brute-Force geschützt",
     "Security update: register sign-in protected against brute force"),
    ("kasse", "4.9", False, None,
     "Behoben: Kasse startet nach dem Update auf 4.8 nicht\nNeue Fehlercodes im Protokoll",
     "Fixed: register does not start after the update to 4.8\nNew error codes in the log"),
    ("planer", "7.3", False, 14,
     "Behoben: Druckaufträge blieben nach dem Update in der Warteschlange hängen",
     "Fixed: print jobs stuck in the queue after the update"),
]


def seed(context: dict) -> dict:
    now, manager = context["now"], context["users"]["manager"]
    products = {}
    for slug, name in PRODUCTS:
        products[slug], _ = Product.objects.update_or_create(slug=slug, defaults={"name": name})
    releases = {}
    for product, version, security, days, notes_de, notes_en in RELEASES:
        release = Release.objects.filter(product=products[product], version=version).first()
        if release is None:
            created = now - timedelta(days=(days or 0) + 5)
            release = release_create(actor=manager, now=created, product=products[product], version=version,
                                     notes_de=notes_de, notes_en=notes_en, is_security=security)
            if days is not None:
                release, _ = release_publish(release=release, actor=manager, now=now - timedelta(days=days))
        releases[f"{product} {version}"] = release
    return {"products": products, "releases": releases}
