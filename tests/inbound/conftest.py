from email.utils import format_datetime
from pathlib import Path

import pytest
from django.utils import timezone

MAILS = Path(__file__).parent / "mails"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"
    settings.SITE_URL = "https://helpdesk.example.com"
    settings.DEFAULT_FROM_EMAIL = "Helpdesk <helpdesk@localhost>"


@pytest.fixture
def users(demo):
    return demo["users"]


def mail(name: str, **values) -> bytes:
    """A fixture mail with {placeholders} filled in (date defaults to now)."""
    values.setdefault("date", format_datetime(timezone.now().replace(microsecond=0)))
    text = (MAILS / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{" + key + "}", str(value))
    return text.encode("utf-8")


@pytest.fixture
def ingest(demo, django_capture_on_commit_callbacks):
    """Ingest a mail as a committed transaction would (mail tasks run)."""
    from api.inbound import mail_ingest

    def run(raw: bytes):
        with django_capture_on_commit_callbacks(execute=True):
            return mail_ingest(raw=raw)

    return run
