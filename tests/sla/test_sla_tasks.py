"""A calendar change is detected and handed to the recompute task once the transaction commits."""

import contextlib
from datetime import date
from unittest import mock

import pytest
from django.db import transaction

from sla import services
from sla.models import Calendar
from sla.tasks import recompute_open_deadlines
from tests.sla.factories import nrw_calendar, policy

pytestmark = pytest.mark.django_db


def test_changes_enqueue_one_task_per_calendar_after_commit(django_capture_on_commit_callbacks):
    with mock.patch.object(recompute_open_deadlines, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
            calendar = nrw_calendar()
            other = nrw_calendar(slug="bonn")
            services.closure_add(calendar=calendar, start_date=date(2027, 8, 2), end_date=date(2027, 8, 6),
                                 reason="Sommerpause")
            services.holiday_remove(holiday=calendar.holidays.first())
            services.holiday_remove(holiday=other.holidays.first())
        delay.assert_not_called()
        for callback in callbacks:
            callback()
    assert sorted(delay.call_args_list) == sorted([mock.call(calendar.pk), mock.call(other.pk)])


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_enqueues_nothing_and_does_not_block_the_next():
    calendar = nrw_calendar()  # committed
    with mock.patch.object(recompute_open_deadlines, "delay") as delay:
        with contextlib.suppress(RuntimeError), transaction.atomic():
            services.holiday_remove(holiday=calendar.holidays.first())
            raise RuntimeError("rolled back")
        delay.assert_not_called()
        services.holiday_remove(holiday=calendar.holidays.last())
    delay.assert_called_once_with(calendar.pk)


def test_the_task_names_the_affected_policies_and_can_run_twice():
    calendar = nrw_calendar()
    policy(calendar, slug="standard")
    version = Calendar.objects.get(pk=calendar.pk).version
    first = recompute_open_deadlines(calendar.pk, version=version)
    second = recompute_open_deadlines(calendar.pk, version=version)
    assert first == second == {"calendar": calendar.pk, "version": version, "policies": ["standard"], "tickets": 0}


def test_a_superseded_version_does_nothing():
    calendar = nrw_calendar()
    old = Calendar.objects.get(pk=calendar.pk).version
    services.closure_add(calendar=calendar, start_date=date(2027, 8, 2), end_date=date(2027, 8, 6), reason="Pause")
    assert recompute_open_deadlines(calendar.pk, version=old)["skipped"] == "superseded"


def test_a_deleted_calendar_is_skipped():
    assert recompute_open_deadlines(987654)["skipped"] == "deleted"
