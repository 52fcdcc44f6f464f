"""The resolution clock (POS policy: severe 6h / 3d): paused while waiting on the customer, met or
breached at the resolution, open again after a reopen with the resolved time counted as paused."""

import pytest

from sla.choices import SlaState, Status, TargetState
from tests.tickets.sla_helpers import berlin, clock, file_at
from tickets import services

pytestmark = pytest.mark.django_db

MONDAY_10 = berlin(2026, 11, 23, 10, 0)
# 3d from Monday 10:00 on the POS calendar (Mon-Sat 09-20): due Thursday 10:00; warning at 2.25d
# = Wednesday 12:45.
DUE = berlin(2026, 11, 26, 10, 0)
WARNING = berlin(2026, 11, 25, 12, 45)


@pytest.fixture
def pos_fault(file_ticket, users):
    ticket = file_at(file_ticket, MONDAY_10, "pos-customer", severity="severe")
    assert (ticket.resolution_due_at, ticket.resolution_warning_at) == (DUE, WARNING)
    return _status(ticket, users["agent"], Status.IN_PROGRESS, berlin(2026, 11, 23, 10, 30))


def _status(ticket, actor, status, at):
    with clock(at):
        services.ticket_change_status(ticket=ticket, actor=actor, status=status)
    ticket.refresh_from_db()
    return ticket


def test_waiting_on_the_customer_pauses_the_resolution_clock(pos_fault, users):
    ticket = _status(pos_fault, users["agent"], Status.WAITING_ON_CUSTOMER, berlin(2026, 11, 23, 12, 0))
    assert ticket.resolution_state == TargetState.PAUSED
    assert ticket.resolution_paused_since == berlin(2026, 11, 23, 12, 0)
    assert ticket.sla_state == SlaState.PAUSED
    assert ticket.next_escalation_at is None  # nothing runs: nothing to escalate


def test_the_customers_answer_resumes_the_clock_and_moves_the_deadline_by_the_paused_time(pos_fault, users):
    ticket = _status(pos_fault, users["agent"], Status.WAITING_ON_CUSTOMER, berlin(2026, 11, 23, 12, 0))
    with clock(berlin(2026, 11, 24, 12, 0)):
        services.comment_add(ticket=ticket, author=users["pos-customer"], body="Hier die Seriennummer.")
    ticket.refresh_from_db()
    # Paused Monday 12-20 (8h) and Tuesday 9-12 (3h): 11h of business time
    assert ticket.status == Status.IN_PROGRESS
    assert ticket.resolution_state == TargetState.OPEN and ticket.resolution_paused_since is None
    assert ticket.resolution_paused_seconds == 11 * 3600
    # Thursday 10:00 + 11h = Friday 10:00; the warning moves the same way
    assert ticket.resolution_due_at == berlin(2026, 11, 27, 10, 0)
    assert ticket.resolution_warning_at == berlin(2026, 11, 26, 12, 45)
    assert ticket.sla_state == SlaState.ON_TRACK
    assert ticket.next_escalation_at == ticket.resolution_warning_at


def test_resolved_in_time_is_met(pos_fault, users):
    ticket = _status(pos_fault, users["agent"], Status.RESOLVED, berlin(2026, 11, 25, 15, 0))
    assert ticket.resolution_state == TargetState.MET
    assert ticket.sla_state == SlaState.MET
    assert ticket.next_escalation_at is None


def test_resolved_late_is_breached(pos_fault, users):
    ticket = _status(pos_fault, users["agent"], Status.RESOLVED, berlin(2026, 11, 26, 11, 0))
    assert ticket.resolution_state == TargetState.BREACHED
    assert ticket.sla_state == SlaState.BREACHED


def test_resolving_while_paused_counts_the_pause(pos_fault, users):
    ticket = _status(pos_fault, users["agent"], Status.WAITING_ON_CUSTOMER, berlin(2026, 11, 23, 12, 0))
    # Thursday 11:00 is after the original deadline but the clock stood still since Monday 12:00
    ticket = _status(ticket, users["agent"], Status.RESOLVED, berlin(2026, 11, 26, 11, 0))
    assert ticket.resolution_state == TargetState.MET


def test_a_reopen_opens_the_resolution_again_with_the_time_left(pos_fault, users):
    ticket = _status(pos_fault, users["agent"], Status.RESOLVED, berlin(2026, 11, 25, 12, 0))
    assert ticket.resolution_paused_since == berlin(2026, 11, 25, 12, 0)
    with clock(berlin(2026, 11, 26, 9, 30)):
        services.ticket_reopen(ticket=ticket, actor=users["pos-customer"])
    ticket.refresh_from_db()
    # Resolved Wednesday 12-20 (8h) and Thursday 9-9:30: 8h30 more; Thursday 10:00 + 8h30 = 18:30
    assert ticket.resolution_state == TargetState.OPEN
    assert ticket.resolution_due_at == berlin(2026, 11, 26, 18, 30)
    assert ticket.reaction_state == TargetState.MET  # the reaction is never reopened
    assert ticket.resolution_warning_at == berlin(2026, 11, 26, 10, 15)  # Wednesday 12:45 + 8h30
    assert ticket.sla_state == SlaState.ON_TRACK


def test_a_reopen_of_a_breached_resolution_stays_breached(pos_fault, users):
    ticket = _status(pos_fault, users["agent"], Status.RESOLVED, berlin(2026, 11, 26, 11, 0))
    with clock(berlin(2026, 11, 26, 12, 0)):
        services.ticket_reopen(ticket=ticket, actor=users["pos-customer"])
    ticket.refresh_from_db()
    assert ticket.resolution_due_at == DUE  # history: not moved
    assert ticket.sla_state == SlaState.BREACHED


def test_a_pause_after_the_deadline_does_not_stop_the_overdue_clock(pos_fault, users):
    ticket = _status(pos_fault, users["agent"], Status.WAITING_ON_CUSTOMER, berlin(2026, 11, 26, 11, 0))
    assert ticket.resolution_state == TargetState.OPEN
    assert ticket.sla_state == SlaState.BREACHED


def test_a_withdrawn_ticket_decides_its_open_targets(file_ticket, users):
    ticket = file_at(file_ticket, MONDAY_10, "pos-customer", severity="severe")
    with clock(berlin(2026, 11, 23, 11, 0)):
        services.ticket_close(ticket=ticket, actor=users["pos-customer"])
    ticket.refresh_from_db()
    assert (ticket.reaction_state, ticket.resolution_state) == (TargetState.MET, TargetState.MET)
    assert ticket.next_escalation_at is None
