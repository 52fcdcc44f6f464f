"""The demo tickets carry their SLA: one falls due minutes after seeding, one is breached, one met."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from sla.choices import SlaState, TargetState
from sla.models import Policy
from sla.services import support_status
from tests.tickets.sla_helpers import berlin, clock
from tickets.demo import DUE_SOON_MINUTES
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _demo(marker):
    return Ticket.objects.get(idempotency_key=f"demo:{marker}")


def test_a_demo_ticket_falls_due_a_few_minutes_after_seeding(demo):
    # Relative to the clock the demo was seeded with (once per test session), not to this test's
    # clock: by now the suite may have run for minutes.
    ticket = _demo("mueller-masterdata")
    seeded_at = demo["now"]
    assert ticket.reaction_state == TargetState.OPEN
    soon = seeded_at + timedelta(minutes=DUE_SOON_MINUTES)
    is_open, opening = support_status(calendar=Policy.objects.get(slug="standard-de").calendar, now=soon)
    expected = soon if is_open else opening + timedelta(minutes=DUE_SOON_MINUTES)
    assert expected - timedelta(seconds=1) < ticket.reaction_due_at <= expected  # whole seconds
    assert ticket.next_escalation_at is not None and ticket.next_escalation_at <= ticket.reaction_due_at


@pytest.mark.parametrize(("seeded_at", "due", "reported"), [
    # a weekday morning: due 5 minutes later, reported 6 business hours before
    (berlin(2026, 11, 24, 10, 0), berlin(2026, 11, 24, 10, DUE_SOON_MINUTES), berlin(2026, 11, 23, 12, 5)),
    # Friday after closing (16:00): due 5 minutes after Monday's opening (Fri 10:05-16:00 + Mon 09:00-09:05)
    (berlin(2026, 11, 27, 16, 30), berlin(2026, 11, 30, 9, DUE_SOON_MINUTES), berlin(2026, 11, 27, 10, 5)),
])
def test_seeding_gives_a_deadline_minutes_away_or_minutes_after_the_opening(db, seeded_at, due, reported):
    with clock(seeded_at):
        call_command("seed_demo", stdout=open("/dev/null", "w"), now=seeded_at)  # noqa: SIM115
    ticket = _demo("mueller-masterdata")
    assert ticket.reaction_due_at == due
    assert ticket.reported_at == reported


def test_demo_has_a_breached_and_a_met_reaction(demo):
    breached = _demo("mueller-datev")
    assert breached.reaction_state == TargetState.BREACHED and breached.sla_state == SlaState.BREACHED
    met = _demo("retail-till")
    assert met.reaction_state == TargetState.MET
    assert met.reaction_business_seconds is not None


def test_every_demo_fault_has_its_deadlines_and_questions_have_none(demo):
    for ticket in Ticket.objects.filter(severity__in=["severe", "minor"]):
        assert ticket.reaction_due_at is not None, ticket.subject
    for ticket in Ticket.objects.filter(category="question"):
        assert ticket.sla_state == SlaState.NONE


def test_seeding_again_keeps_the_deadlines(demo):
    before = list(Ticket.objects.order_by("pk").values_list("pk", "reaction_due_at", "reaction_state"))
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(Ticket.objects.order_by("pk").values_list("pk", "reaction_due_at", "reaction_state")) == before
