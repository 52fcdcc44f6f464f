"""Shared pieces of the escalation tests: a settable clock and tickets filed at fixed instants.

The demo calendar "de-nrw-standard" is open Mon-Thu 09:00-17:00, Fri 09:00-16:00 (Berlin). A
severe fault filed on Monday 2 March 2026 at 09:00 has its reaction warning (75 % of 6 h) at
13:30 and its reaction deadline at 15:00; with a post-breach delay of 2h that level is at 17:00."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 3) -> datetime:
    """An instant in March 2026, Berlin wall clock (CET, UTC+1)."""
    return datetime(2026, month, day, hour, minute, second, tzinfo=BERLIN)


MONDAY_0900 = berlin(2, 9)
WARNING_AT, DUE_AT, POST_BREACH_AT = berlin(2, 13, 30), berlin(2, 15), berlin(2, 17)


class Clock:
    """`timezone.now()` for the services under test; None means the real time."""

    def __init__(self) -> None:
        self.now: datetime | None = None

    def set(self, instant: datetime) -> datetime:
        self.now = instant
        return instant


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fixed = Clock()
    real = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: fixed.now or real())
    return fixed


def file_fault(users, clock: Clock, *, username: str = "customer", severity: str = "severe",
               at: datetime = MONDAY_0900, **fields):
    """A fault filed through the service at `at` (the clock is left there)."""
    from tickets.services import ticket_create

    clock.set(at)
    requester = users[username]
    return ticket_create(
        organisation=requester.organisation, requester=requester, actor=requester,
        subject=fields.pop("subject", "Prüfstand meldet Fehler 42"),
        description="Beim Übertragen der Messwerte erscheint „Fehler 42“.",
        category=fields.pop("category", "fault"), severity=severity, reported_at=at, **fields,
    ).ticket
