"""Beat's scheduler waits for the database instead of dying when it takes over during an outage."""

import pytest
from django.db import OperationalError

from helpdesk.beat import LockLost, with_database


class Lock:
    def __init__(self, answers):
        self.answers = list(answers)

    def renew(self):
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def failing(times):
    calls = []

    def step():
        calls.append(1)
        if len(calls) <= times:
            raise OperationalError("connection refused")
        return "schedule"
    return step, calls


@pytest.fixture(autouse=True)
def heartbeat_file(tmp_path, monkeypatch):
    monkeypatch.setenv("BEAT_HEARTBEAT_FILE", str(tmp_path / "heartbeat"))


def test_the_schedule_is_read_once_the_database_is_back_with_growing_pauses():
    step, calls = failing(5)
    pauses = []
    assert with_database(step, Lock([True] * 5), sleep=pauses.append, most=4) == "schedule"
    assert len(calls) == 6
    assert pauses == [1, 2, 4, 4, 4]


def test_redis_away_too_does_not_stop_the_wait():
    step, _calls = failing(2)
    assert with_database(step, Lock([ConnectionError("redis away"), True]), sleep=lambda _s: None) == "schedule"


def test_a_beat_whose_lock_another_took_meanwhile_stands_down():
    step, calls = failing(3)
    with pytest.raises(LockLost):
        with_database(step, Lock([True, False]), sleep=lambda _s: None)
    assert len(calls) == 2


def test_other_errors_are_not_swallowed():
    def step():
        raise ValueError("a bug, not an outage")
    with pytest.raises(ValueError):
        with_database(step, Lock([]), sleep=lambda _s: None)


@pytest.fixture
def scheduler_parts(monkeypatch):
    """Beat's scheduler without pauses and without sending its start entries."""
    from helpdesk.beat import Scheduler

    monkeypatch.setattr(Scheduler, "pause", staticmethod(lambda _seconds: None))
    monkeypatch.setattr(Scheduler, "_send_start_entries", lambda self: None)
    return Scheduler


def failing_first(monkeypatch, owner, name: str, times: int = 1) -> list:
    """``owner.name`` raises an OperationalError on its first ``times`` calls."""
    real, calls = getattr(owner, name), []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) <= times:
            raise OperationalError("connection refused")
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, classmethod(lambda cls, *a, **kw: flaky(*a, **kw)) if isinstance(
        owner.__dict__.get(name), classmethod) else flaky)
    return calls


def test_a_beat_whose_first_read_of_the_schedule_failed_reads_it_again(transactional_db, monkeypatch,
                                                                        scheduler_parts, settings):
    """django-celery-beat spends its one initial read on the failed attempt; the second used to
    find no schedule and the beat died ("'NoneType' object has no attribute 'update'")."""
    from django_celery_beat.schedulers import DatabaseScheduler

    from helpdesk.celery import app

    calls = failing_first(monkeypatch, DatabaseScheduler, "enabled_models")
    scheduler = scheduler_parts(app=app)
    assert len(calls) >= 2  # the failed read, then good ones
    assert set(settings.CELERY_BEAT_SCHEDULE) <= set(scheduler.schedule)


def test_entries_lost_to_an_outage_while_storing_them_are_stored_on_the_next_attempt(
        transactional_db, monkeypatch, scheduler_parts, settings):
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import ModelEntry

    from helpdesk.celery import app

    calls = failing_first(monkeypatch, ModelEntry, "from_entry", times=2)
    scheduler = scheduler_parts(app=app)
    assert len(calls) > len(settings.CELERY_BEAT_SCHEDULE) + 2  # a second round
    assert set(settings.CELERY_BEAT_SCHEDULE) <= set(scheduler.schedule)
    assert set(settings.CELERY_BEAT_SCHEDULE) <= set(PeriodicTask.objects.values_list("name", flat=True))


def test_an_entry_disabled_in_the_admin_does_not_keep_the_beat_waiting(transactional_db, scheduler_parts, settings):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from helpdesk.celery import app

    every_day = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.DAYS)
    PeriodicTask.objects.create(name="privacy-retention", task="privacy.tasks.retention_run",
                                interval=every_day, enabled=False)
    scheduler = scheduler_parts(app=app)
    assert "privacy-retention" not in scheduler.schedule
    assert "sla-escalation-scan" in scheduler.schedule


def test_a_short_lock_is_renewed_often_enough_not_to_lapse_between_ticks(transactional_db, scheduler_parts,
                                                                          settings):
    from helpdesk.celery import app

    settings.BEAT_LOCK_TTL = 4
    assert scheduler_parts(app=app).max_interval <= 4 / 3
    settings.BEAT_LOCK_TTL = 60
    assert scheduler_parts(app=app).max_interval == 5  # django-celery-beat's own loop interval
