import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n% Pruefbericht\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded files go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "private-media"
    return settings.MEDIA_ROOT


def upload(name: str = "Prüfbericht.pdf", content: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def login_as(client, users, username="customer", language="en"):
    """Sign in a demo user, reading the portal in `language`."""
    user = users[username]
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return user


@pytest.fixture
def users(demo):
    return demo["users"]


@pytest.fixture
def orgs(demo):
    """Demo organisations by key (mueller, acme, retail, partner, baeckerei)."""
    by_number = demo["organisations"]
    return {
        "vendor": by_number["00001"],
        "mueller": by_number["10001"],
        "acme": by_number["20001"],
        "retail": by_number["30001"],
        "partner": by_number["40001"],
        "baeckerei": by_number["40101"],
    }


@pytest.fixture
def file_ticket(users):
    """File a fresh fault for a demo customer through the service."""
    from tickets.services import ticket_create

    def make(username: str = "customer", **overrides):
        requester = users[username]
        fields = {
            "organisation": requester.organisation,
            "requester": requester,
            "actor": requester,
            "subject": "Prüfstand meldet Fehler 42",
            "description": "Beim Übertragen der Messwerte erscheint „Fehler 42“.",
            "category": "fault",
            "severity": "minor",
            "affected_system": "Prüfstand Süd",
            "occurring_since": "heute früh",
            "impact": "Die Qualitätsprüfung steht.",
        }
        fields.update(overrides)
        return ticket_create(**fields).ticket

    return make
