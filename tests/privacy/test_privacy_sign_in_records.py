"""Sign-in records (user name, IP address, browser) are kept SIGN_IN_RECORD_DAYS, then deleted."""

from datetime import UTC, datetime, timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog

from privacy.services import sign_in_records_prune
from privacy.tasks import sign_in_records_run

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 7, 3, 45, tzinfo=UTC)


def _records(age: timedelta, name: str) -> None:
    """One access log, failure log and attempt counter row, attempted ``age`` before NOW."""
    common = {"username": name, "ip_address": "203.0.113.7", "user_agent": "Firefox", "path_info": "/login/"}
    rows = [AccessLog.objects.create(**common), AccessFailureLog.objects.create(**common),
            AccessAttempt.objects.create(**common, failures_since_start=3)]
    for row in rows:  # attempt_time is set on creation: move it back
        type(row).objects.filter(pk=row.pk).update(attempt_time=NOW - age)


def _names(model) -> set[str]:
    return set(model.objects.values_list("username", flat=True))


def test_records_older_than_the_period_are_deleted_younger_ones_kept():
    _records(timedelta(days=90, seconds=1), "alt")
    _records(timedelta(days=89, hours=23), "jung")
    assert sign_in_records_prune(now=NOW, days=90) == 3
    assert _names(AccessLog) == _names(AccessFailureLog) == _names(AccessAttempt) == {"jung"}
    assert sign_in_records_prune(now=NOW, days=90) == 0  # idempotent


def test_zero_days_keeps_everything():
    _records(timedelta(days=4000), "uralt")
    assert sign_in_records_prune(now=NOW, days=0) == 0
    assert _names(AccessLog) == {"uralt"}


def test_the_daily_task_uses_the_configured_period(settings, monkeypatch):
    settings.SIGN_IN_RECORD_DAYS = 10
    monkeypatch.setattr("privacy.tasks.timezone.now", lambda: NOW)
    _records(timedelta(days=11), "elf")
    _records(timedelta(days=9), "neun")
    assert sign_in_records_run() == 3
    assert _names(AccessLog) == {"neun"}
