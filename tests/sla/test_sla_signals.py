"""A calendar change is announced (`sla.signals.calendar_changed`) once per calendar, after the
transaction commits; the tickets app hands it to its recompute task."""

import contextlib
from datetime import date
from unittest import mock

import pytest
from django.db import transaction

from sla import services, signals
from sla.models import Calendar
from tests.sla.factories import nrw_calendar, policy
from tickets.tasks import sla_recompute_for_calendar

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def announced():
    calls = []

    def receiver(sender, calendar_id, **kwargs):
        calls.append(calendar_id)

    signals.calendar_changed.connect(receiver)
    try:
        yield calls
    finally:
        signals.calendar_changed.disconnect(receiver)


def test_changes_are_announced_once_per_calendar_after_commit(django_capture_on_commit_callbacks):
    with announced() as calls:
        with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
            calendar = nrw_calendar()
            other = nrw_calendar(slug="bonn")
            services.closure_add(calendar=calendar, start_date=date(2027, 8, 2), end_date=date(2027, 8, 6),
                                 reason="Sommerpause")
            services.holiday_remove(holiday=calendar.holidays.first())
            services.holiday_remove(holiday=other.holidays.first())
        assert calls == []
        for callback in callbacks:
            callback()
    assert sorted(calls) == sorted([calendar.pk, other.pk])


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_announces_nothing_and_does_not_block_the_next():
    calendar = nrw_calendar()  # committed
    with announced() as calls:
        with contextlib.suppress(RuntimeError), transaction.atomic():
            services.holiday_remove(holiday=calendar.holidays.first())
            raise RuntimeError("rolled back")
        assert calls == []
        services.holiday_remove(holiday=calendar.holidays.last())
    assert calls == [calendar.pk]


def test_the_tickets_app_enqueues_its_recompute_for_the_announced_calendar():
    with mock.patch.object(sla_recompute_for_calendar, "delay") as delay:
        signals.calendar_changed.send(sender=Calendar, calendar_id=4711)
    delay.assert_called_once_with(4711)


def test_the_recompute_task_can_run_twice():
    calendar = nrw_calendar()
    policy(calendar, slug="standard")
    version = Calendar.objects.get(pk=calendar.pk).version
    first = sla_recompute_for_calendar(calendar.pk)
    second = sla_recompute_for_calendar(calendar.pk)
    assert first == second == {"calendar": calendar.pk, "version": version, "tickets": 0}


def test_a_deleted_calendar_is_skipped():
    assert sla_recompute_for_calendar(987654)["skipped"] == "deleted"
