"""Browser tests: Playwright's Python package driving Debian's Chromium against the live server.

They run whenever /usr/bin/chromium exists (always in CI) and are skipped, with one visible
line, otherwise. Screenshots of failing tests land in test-results/."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Playwright's sync API runs an event loop in this thread; the live server's ORM calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--metrics-recording-only",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason="install chromium (apt-get install chromium)"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "headless": True,
            "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "de-DE", "timezone_id": "Europe/Berlin",
            "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def browser_demo(transactional_db):
    """seed_demo in a committed transaction, so the live server's thread sees it; without the three
    months of history (seeded for every browser test, it would cost each about 4 s)."""
    from django.core.management import call_command

    call_command("seed_demo", "--without-history", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from accounts.models import User

    return {"users": {u.username: u for u in User.objects.all()}}


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)
    return page
