import shutil
from pathlib import Path

import pytest
from rest_framework.test import APIClient

ROLES = ["customer", "reader", "us-customer", "partner-agent", "agent", "manager", "admin"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploads go to a temporary MEDIA_ROOT, which starts with the demo data's files."""
    seeded = Path(settings.MEDIA_ROOT)
    settings.MEDIA_ROOT = tmp_path / "private-media"
    if seeded.is_dir():
        shutil.copytree(seeded, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    """Throttling has its own test; everything else runs without it."""
    settings.API_THROTTLE_RATES = {"user": None, "anon": None, "device": None}


@pytest.fixture
def users(demo):
    return demo["users"]


@pytest.fixture
def orgs(demo):
    by_number = demo["organisations"]
    return {
        "vendor": by_number["00001"], "mueller": by_number["10001"], "acme": by_number["20001"],
        "retail": by_number["30001"], "partner": by_number["40001"], "baeckerei": by_number["40101"],
    }


def token_for(user, name="Skript") -> str:
    from api.services import api_token_create

    return api_token_create(user=user, name=name)[1]


@pytest.fixture
def make_token():
    return token_for


@pytest.fixture
def api(users):
    """api("customer") → an APIClient sending that demo user's fresh API token ("anonymous": none)."""

    def make(username: str = "customer", *, language: str = "en") -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        if username != "anonymous":
            client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(users[username])}")
        return client

    return make


@pytest.fixture
def file_ticket(users):
    """File a fault for a demo customer through the service (like the portal)."""
    from tickets.services import ticket_create

    def make(username: str = "customer", **overrides):
        requester = users[username]
        fields = {
            "organisation": requester.organisation, "requester": requester, "actor": requester,
            "subject": "Prüfstand meldet Fehler 42", "description": "Beim Übertragen erscheint „Fehler 42“.",
            "category": "fault", "severity": "minor",
        }
        fields.update(overrides)
        return ticket_create(**fields).ticket

    return make
