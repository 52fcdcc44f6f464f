"""Demo articles for `manage.py seed_demo`: German and English, some in one language only, one
reseller's private article, one draft. Written and published through the services; idempotent
(an article whose address exists is left alone)."""

from __future__ import annotations

import base64
import uuid

from django.core.files.base import ContentFile
from django.utils.text import slugify

from . import services
from .choices import Kind, Visibility
from .models import Article, ArticleImage, Category

# The demo image (tests/routes.py checks its route): a screenshot of the register's start screen.
DEMO_IMAGE_ID = uuid.uuid5(uuid.NAMESPACE_URL, "https://helpdesk.example/demo/kb/kasse-startbild")
DEMO_ARTICLE_SLUG = "kasse-startet-nicht-nach-dem-update"
_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

CATEGORIES = [
    # slug, German, English
    ("kasse", "Kassensystem", "Point of sale"),
    ("zaehler", "Zählerstände-App", "Meter reading app"),
    ("planer", "ProduktionsPlaner", "ProductionPlanner"),
    ("allgemein", "Allgemein", "General"),
]

# category, kind, visibility, author, published, organisations, German (title, text), English (title, text)
ARTICLES = [
    ("kasse", Kind.KNOWN_PROBLEM, Visibility.CUSTOMERS, "agent", True, (), (
        "Kasse startet nicht nach dem Update",
        "Nach dem Update auf Kassenversion 4.8 startet die Kasse nicht mehr; der Bildschirm bleibt "
        "beim Logo stehen.\n\n**Umgehung:**\n\n1. Kasse ausschalten und 30 Sekunden warten.\n"
        "2. Beim Einschalten die Taste `F8` gedrückt halten und „Letzte funktionierende Konfiguration“ wählen.\n"
        "3. Die Kasse startet mit der alten Druckerkonfiguration.\n\n"
        "Die dauerhafte Lösung kommt mit dem nächsten Release.",
    ), (
        "Cash register does not start after the update",
        "After updating to version 4.8 the cash register does not start; the screen stays on the logo.\n\n"
        "**Workaround:**\n\n1. Switch the register off and wait 30 seconds.\n"
        "2. Hold `F8` while switching it on and choose “Last known good configuration”.\n"
        "3. The register starts with the previous printer configuration.\n\n"
        "The permanent fix comes with the next release.",
    )),
    ("zaehler", Kind.HOWTO, Visibility.PUBLIC, "agent", True, (), (
        "Zählerstände in der App erfassen",
        "So erfassen Sie Zählerstände mit der App:\n\n1. App öffnen und anmelden.\n2. Gerät auswählen "
        "oder den QR-Code am Gerät scannen.\n3. Zählerstand eingeben und mit „Senden“ bestätigen.\n\n"
        "Ohne Netz speichert die App den Stand und sendet ihn später.",
    ), (
        "Recording meter readings in the app",
        "To record meter readings with the app:\n\n1. Open the app and sign in.\n2. Choose the device or scan "
        "the QR code on it.\n3. Enter the reading and confirm with “Send”.\n\n"
        "Without a network the app keeps the reading and sends it later.",
    )),
    ("planer", Kind.KNOWN_PROBLEM, Visibility.CUSTOMERS, "agent", True, (), (
        "Druckaufträge bleiben in der Warteschlange hängen",
        "Wenn Arbeitskarten nach einem Update nicht mehr gedruckt werden, hilft meist ein Neustart "
        "des Druckspoolers auf dem Druckserver:\n\n```\nnet stop spooler\nnet start spooler\n```\n\n"
        "Bleibt der Fehler, melden Sie ihn bitte mit dem Spooler-Protokoll.",
    ), ("", "")),
    ("allgemein", Kind.HOWTO, Visibility.PUBLIC, "us-agent", True, (), (
        "Fernwartung starten",
        "Starten Sie das Fernwartungsprogramm **vor** Ihrem Anruf und nennen Sie uns die angezeigte "
        "Sitzungs-ID. Im Ticketformular gibt es dafür ein eigenes Feld.",
    ), (
        "Starting a remote maintenance session",
        "Start the remote maintenance tool **before** you call us and tell us the session id it shows. "
        "The ticket form has a field for it.",
    )),
    ("kasse", Kind.TRAINING, Visibility.CUSTOMERS, "agent", True, (), (
        "Online-Schulung: Tagesabschluss an der Kasse",
        "In dieser Schulung lernen Sie den Tagesabschluss: Kassensturz, Z-Bon, Übergabe an die "
        "Buchhaltung. Dauer etwa 20 Minuten.",
    ), ("", "")),
    ("allgemein", Kind.FAQ, Visibility.CUSTOMERS, "us-agent", True, (), ("", ""), (
        "How do I export a monthly report as CSV?",
        "Open the monthly report of your organisation and choose “Download CSV”. The file uses "
        "semicolons and UTF-8, so spreadsheet programs open umlauts correctly.",
    )),
    ("kasse", Kind.HOWTO, Visibility.ORGANISATIONS, "partner-agent", True, ("partner", "baeckerei"), (
        "Bäckerei-Kasse: Bondrucker neu verbinden",
        "Nur für Kunden der PartnerSoft: Bondrucker ausschalten, USB-Kabel ziehen, 10 Sekunden warten, "
        "wieder verbinden und an der Kasse „Drucker suchen“ wählen.",
    ), ("", "")),
    ("kasse", Kind.FAQ, Visibility.AGENTS, "agent", False, (), (
        "Kassenversion 5.0: was sich für den Support ändert",
        "Entwurf: Neue Protokollpfade, neue Fehlercodes (K-5xx), Fernwartung über das Kassenmenü.",
    ), ("", "")),
]


def seed(context: dict) -> dict:
    now, users, organisations = context["now"], context["users"], context["organisations"]
    categories = {}
    for position, (slug, name_de, name_en) in enumerate(CATEGORIES):
        categories[slug], _ = Category.objects.update_or_create(
            slug=slug, defaults={"name_de": name_de, "name_en": name_en, "position": position}
        )
    articles = {}
    for category, kind, visibility, author, published, orgs, (title_de, body_de), (title_en, body_en) in ARTICLES:
        slug = slugify(title_de or title_en)
        article = Article.objects.filter(slug=slug).first()
        if article is None:
            article = services.article_create(
                actor=users[author], now=now, kind=kind, visibility=visibility, category=categories[category],
                organisations=[organisations[key] for key in orgs],
                title_de=title_de, body_de=body_de, title_en=title_en, body_en=body_en,
            )
            if published:
                services.article_publish(article=article, actor=users["manager"], now=now)
        articles[slug] = article
    _seed_image(articles[DEMO_ARTICLE_SLUG], users["agent"], now)
    return {"articles": articles}


def _seed_image(article, author, now) -> None:
    image = ArticleImage.objects.filter(public_id=DEMO_IMAGE_ID).first()
    if image is None:
        image = ArticleImage(article=article, public_id=DEMO_IMAGE_ID, original_name="kasse-startbild.png",
                             content_type="image/png", size=len(_PNG), uploaded_by=author, uploaded_at=now)
    image.file.save("kasse-startbild.png", ContentFile(_PNG), save=False)  # the same name: overwritten in place
    image.save()
