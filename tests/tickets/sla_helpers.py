"""Helpers for the SLA bookkeeping tests: a frozen clock and Berlin/New York instants."""

from contextlib import contextmanager
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@contextmanager
def clock(at: datetime):
    """`django.utils.timezone.now()` answers `at` (services, auto_now fields and views read it)."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


def file_at(file_ticket, at: datetime, username: str = "customer", **fields):
    """File a ticket through the service with the clock at `at` (reported at that instant)."""
    with clock(at):
        return file_ticket(username, **fields)
