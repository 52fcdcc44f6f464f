"""The reaction: met at the first public agent reply or an agent's move to in progress, whichever
comes first; the business time it took is stored; internal notes and customer replies do not count."""

import pytest

from sla.choices import SlaState, Status, TargetState
from tests.tickets.sla_helpers import berlin, clock, file_at
from tickets import services

pytestmark = pytest.mark.django_db

MONDAY_10 = berlin(2026, 11, 23, 10, 0)  # severe: due 16:00, warning (4h30) at 14:30


@pytest.fixture
def severe(file_ticket):
    return file_at(file_ticket, MONDAY_10, severity="severe")


def _reply(ticket, author, at, **kwargs):
    with clock(at):
        services.comment_add(ticket=ticket, author=author, body="Wir kümmern uns darum.", **kwargs)
    ticket.refresh_from_db()
    return ticket


def _status(ticket, actor, status, at):
    with clock(at):
        services.ticket_change_status(ticket=ticket, actor=actor, status=status)
    ticket.refresh_from_db()
    return ticket


def test_first_public_agent_reply_meets_the_reaction_and_stores_the_business_time(severe, users):
    ticket = _reply(severe, users["agent"], berlin(2026, 11, 23, 11, 30))
    assert ticket.first_reaction_at == berlin(2026, 11, 23, 11, 30)
    assert ticket.reaction_state == TargetState.MET
    assert ticket.reaction_business_seconds == 90 * 60
    assert ticket.sla_state == SlaState.MET  # no resolution target: met
    assert ticket.next_escalation_at is None


def test_business_time_skips_closed_hours(file_ticket, users):
    # Filed Friday 15:00 (desk closes 16:00), answered Monday 10:00: 1h + 1h of business time
    ticket = file_at(file_ticket, berlin(2026, 11, 27, 15, 0), severity="severe")
    ticket = _reply(ticket, users["agent"], berlin(2026, 11, 30, 10, 0))
    assert ticket.reaction_business_seconds == 2 * 3600
    assert ticket.reaction_state == TargetState.MET


def test_moving_to_in_progress_first_is_the_reaction(severe, users):
    ticket = _status(severe, users["agent"], Status.IN_PROGRESS, berlin(2026, 11, 23, 10, 20))
    ticket = _reply(ticket, users["agent"], berlin(2026, 11, 23, 17, 0))  # after the deadline: does not count
    assert ticket.first_reaction_at == berlin(2026, 11, 23, 10, 20)
    assert ticket.reaction_business_seconds == 20 * 60
    assert ticket.reaction_state == TargetState.MET


def test_a_reply_before_the_move_to_in_progress_is_the_reaction(severe, users):
    ticket = _reply(severe, users["agent"], berlin(2026, 11, 23, 10, 5))
    ticket = _status(ticket, users["agent"], Status.IN_PROGRESS, berlin(2026, 11, 23, 17, 0))
    assert ticket.first_reaction_at == berlin(2026, 11, 23, 10, 5)
    assert ticket.reaction_business_seconds == 5 * 60


def test_an_internal_note_is_not_a_reaction(severe, users):
    ticket = _reply(severe, users["agent"], berlin(2026, 11, 23, 10, 30), is_internal=True)
    assert ticket.first_reaction_at is None
    assert ticket.reaction_state == TargetState.OPEN
    assert ticket.sla_state == SlaState.ON_TRACK


def test_a_customer_reply_is_not_a_reaction(severe, users):
    ticket = _reply(severe, users["customer"], berlin(2026, 11, 23, 10, 30))
    assert ticket.first_reaction_at is None and ticket.reaction_state == TargetState.OPEN


def test_a_late_reaction_is_breached(severe, users):
    ticket = _reply(severe, users["agent"], berlin(2026, 11, 24, 9, 30))
    assert ticket.reaction_state == TargetState.BREACHED
    assert ticket.reaction_business_seconds == 7 * 3600 + 30 * 60  # Mon 10-17 + Tue 9-9:30
    assert ticket.sla_state == SlaState.BREACHED


def test_a_reaction_exactly_at_the_deadline_is_met(severe, users):
    ticket = _reply(severe, users["agent"], berlin(2026, 11, 23, 16, 0))
    assert ticket.reaction_state == TargetState.MET


def test_resolving_without_any_reaction_decides_the_reaction_too(file_ticket, users):
    ticket = file_at(file_ticket, MONDAY_10, category="question")  # no SLA: nothing to decide
    ticket = _status(ticket, users["agent"], Status.RESOLVED, berlin(2026, 11, 23, 10, 30))
    assert ticket.reaction_state == ""
    severe = file_at(file_ticket, MONDAY_10, severity="severe", idempotency_key="")
    severe = _status(severe, users["agent"], Status.RESOLVED, berlin(2026, 11, 23, 10, 30))
    assert severe.reaction_state == TargetState.MET and severe.next_escalation_at is None
