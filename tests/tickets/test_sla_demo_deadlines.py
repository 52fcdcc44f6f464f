"""The demo tickets carry their SLA: one falls due minutes after seeding, one is breached, one met."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

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
    ticket = _demo("mueller-masterdata")
    now = timezone.now()
    assert ticket.reaction_state == TargetState.OPEN
    soon = now + timedelta(minutes=DUE_SOON_MINUTES)
    is_open, opening = support_status(calendar=Policy.objects.get(slug="standard-de").calendar, now=soon)
    expected = soon if is_open else opening + timedelta(minutes=DUE_SOON_MINUTES)
    assert abs(ticket.reaction_due_at - expected) < timedelta(minutes=1)
    assert ticket.next_escalation_at is not None and ticket.next_escalation_at <= ticket.reaction_due_at


def test_seeding_on_a_weekday_morning_gives_a_deadline_minutes_away(db):
    with clock(berlin(2026, 11, 24, 10, 0)):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    ticket = _demo("mueller-masterdata")
    assert ticket.reaction_due_at == berlin(2026, 11, 24, 10, DUE_SOON_MINUTES)
    assert ticket.reported_at == berlin(2026, 11, 23, 12, DUE_SOON_MINUTES)  # 6 business hours before


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
