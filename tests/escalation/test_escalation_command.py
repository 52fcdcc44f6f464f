"""`manage.py escalate --once` and the post-breach setting of a policy."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from sla import services
from sla.forms import PolicyForm
from sla.models import Policy
from tests.escalation.escalation_support import berlin, file_fault
from tests.sla.factories import nrw_calendar

pytestmark = pytest.mark.django_db


def run_once() -> str:
    out = StringIO()
    call_command("escalate", "--once", stdout=out)
    return out.getvalue()


def test_escalate_once_prints_each_escalation_with_its_real_due_time(demo, clock):
    ticket = file_fault(demo["users"], clock)
    clock.set(berlin(2, 15, 1))
    assert run_once().splitlines() == [
        f"{ticket.reference} reaction warning due 2026-03-02T13:30:00+01:00 (2 notified)",
        f"{ticket.reference} reaction breach due 2026-03-02T15:00:00+01:00 (1 notified)",
        "2 escalated at 2026-03-02T15:01:00+01:00",
    ]
    assert run_once().splitlines() == ["0 escalated at 2026-03-02T15:01:00+01:00"]


def test_the_post_breach_delay_is_stored_in_the_engines_notation():
    calendar = nrw_calendar()
    policy = services.policy_create(name="Gold", slug="gold", calendar=calendar, post_breach_after="120m")
    assert policy.post_breach_after == "2h"
    services.policy_update(policy=policy, data={"post_breach_after": ""})
    assert Policy.objects.get(pk=policy.pk).post_breach_after == ""


@pytest.mark.parametrize("text", ["2x", "0h", "-1h", "1.5s"])
def test_an_unreadable_post_breach_delay_is_refused(text):
    calendar = nrw_calendar()
    policy = services.policy_create(name="Gold", slug="gold", calendar=calendar)
    with pytest.raises(ValidationError) as error:
        services.policy_update(policy=policy, data={"post_breach_after": text})
    assert "post_breach_after" in error.value.message_dict


def test_the_policy_form_reports_a_bad_delay_next_to_the_field():
    calendar = nrw_calendar()
    form = PolicyForm(data={
        "name": "Gold", "slug": "gold", "calendar": calendar.pk, "warning_threshold_percent": 75,
        "pause_statuses": ["waiting"], "post_breach_after": "zwei Stunden",
    })
    assert not form.is_valid()
    assert list(form.errors) == ["post_breach_after"]
