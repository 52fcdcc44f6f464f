from email.utils import format_datetime
from pathlib import Path

import pytest
from django.utils import timezone

MAILS = Path(__file__).parent / "mails"
TRUSTED_SERVER = "mx.helpdesk.example"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"
    settings.SITE_URL = "https://helpdesk.example.com"
    settings.DEFAULT_FROM_EMAIL = "Helpdesk <helpdesk@localhost>"
    settings.REPLY_TO_ADDRESS = ""
    # The fixture mails from customers carry this server's DMARC pass (docs/mail-trust.md).
    settings.INBOUND_TRUSTED_AUTHSERV_IDS = [TRUSTED_SERVER]


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


def without_authentication(raw: bytes) -> bytes:
    """The mail as a forger sends it: without our server's Authentication-Results (and its
    folded continuation lines)."""
    kept, skipping = [], False
    for line in raw.split(b"\n"):
        if line.lower().startswith(b"authentication-results:"):
            skipping = True
            continue
        if skipping and line[:1] in (b" ", b"\t"):
            continue
        skipping = False
        kept.append(line)
    return b"\n".join(kept)


def with_headers(raw: bytes, *lines: str) -> bytes:
    """The mail with header lines added on top (as a receiving server adds them)."""
    return "".join(f"{line}\n" for line in lines).encode() + raw


@pytest.fixture
def ingest(demo, django_capture_on_commit_callbacks):
    """Ingest a mail as a committed transaction would (mail tasks run)."""
    from api.inbound import mail_ingest

    def run(raw: bytes):
        with django_capture_on_commit_callbacks(execute=True):
            return mail_ingest(raw=raw)

    return run
