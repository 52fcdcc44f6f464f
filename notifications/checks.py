"""System checks of outgoing mail."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@checks.register(checks.Tags.compatibility, deploy=True)
def site_url_check(app_configs, **kwargs):
    """In production every link in a mail starts with SITE_URL: it must name the public site."""
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme in ("http", "https") and parts.hostname and parts.hostname not in LOOPBACK:
        return []
    return [checks.Warning(
        f"SITE_URL is {settings.SITE_URL!r}: links in mails would not reach the site.",
        hint="Set SITE_URL to the address people use, e.g. https://helpdesk.example.com (see .env.example).",
        id="notifications.W001",
    )]
