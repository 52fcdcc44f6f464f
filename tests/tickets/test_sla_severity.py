"""A severity change recomputes the open targets from reported_at and records old and new
deadlines in the history event; met and overdue targets stay."""

import pytest
from django.urls import reverse

from sla.choices import SlaState, TargetState
from tests.tickets.conftest import login_as
from tests.tickets.sla_helpers import berlin, clock, file_at
from tickets import services
from tickets.models import EventCode

pytestmark = pytest.mark.django_db

MONDAY_10 = berlin(2026, 11, 23, 10, 0)


def _change(ticket, actor, severity, at):
    with clock(at):
        services.ticket_change_severity(ticket=ticket, actor=actor, severity=severity)
    ticket.refresh_from_db()
    return ticket


def test_minor_to_severe_brings_the_reaction_forward_and_records_both_deadlines(file_ticket, users):
    # Given a minor fault filed Monday 10:00 (1.5d: due Tuesday 14:00)
    ticket = file_at(file_ticket, MONDAY_10, severity="minor")
    assert ticket.reaction_due_at == berlin(2026, 11, 24, 14, 0)
    # When an agent makes it severe at 10:30
    ticket = _change(ticket, users["agent"], "severe", berlin(2026, 11, 23, 10, 30))
    # Then the reaction is due 6h after the report, not after the change
    assert ticket.reaction_due_at == berlin(2026, 11, 23, 16, 0)
    assert ticket.reaction_warning_at == berlin(2026, 11, 23, 14, 30)
    assert ticket.reaction_target == "6h"
    assert ticket.next_escalation_at == ticket.reaction_warning_at
    event = ticket.events.get(code=EventCode.SEVERITY_CHANGED)
    assert event.payload["deadlines"] == {
        "reaction_due_at": {"old": "2026-11-24T13:00:00Z", "new": "2026-11-23T15:00:00Z"},
    }


def test_the_history_shows_the_moved_deadline_in_the_readers_language(file_ticket, users, client):
    ticket = file_at(file_ticket, MONDAY_10, severity="minor")
    _change(ticket, users["agent"], "severe", berlin(2026, 11, 23, 10, 30))
    login_as(client, users, language="de")
    content = client.get(reverse("tickets:detail", kwargs={"reference": ticket.reference})).content.decode()
    assert "Reaktionsfrist: Dienstag, 24. November 2026, 14:00" in content
    assert "Montag, 23. November 2026, 16:00" in content


def test_severe_to_minor_after_the_severe_deadline_passed_keeps_the_overdue_reaction(file_ticket, users):
    ticket = file_at(file_ticket, MONDAY_10, severity="severe")
    ticket = _change(ticket, users["agent"], "minor", berlin(2026, 11, 23, 16, 30))
    assert ticket.reaction_due_at == berlin(2026, 11, 23, 16, 0)
    assert ticket.reaction_target == "6h"
    assert ticket.sla_state == SlaState.BREACHED
    assert "deadlines" not in ticket.events.get(code=EventCode.SEVERITY_CHANGED).payload


def test_a_met_reaction_stays_met(file_ticket, users):
    ticket = file_at(file_ticket, MONDAY_10, severity="minor")
    with clock(berlin(2026, 11, 23, 15, 0)):
        services.comment_add(ticket=ticket, author=users["agent"], body="Wir sehen uns das an.")
    ticket = _change(ticket, users["agent"], "severe", berlin(2026, 11, 23, 16, 30))
    # 15:00 would have been in time for the severe 16:00 too, but the reaction is history either way
    assert (ticket.reaction_state, ticket.reaction_target) == (TargetState.MET, "1.5d")
    assert ticket.reaction_due_at == berlin(2026, 11, 24, 14, 0)
    assert "deadlines" not in ticket.events.get(code=EventCode.SEVERITY_CHANGED).payload


def test_a_pos_severity_change_moves_reaction_and_resolution(file_ticket, users):
    ticket = file_at(file_ticket, MONDAY_10, "pos-customer", severity="minor")
    assert ticket.resolution_target == "10d"
    ticket = _change(ticket, users["agent"], "severe", berlin(2026, 11, 23, 11, 0))
    assert ticket.resolution_target == "3d"
    # 3d on the 11h POS days: Monday 10/11, Tuesday, Wednesday, 1/11 of Thursday = 10:00
    assert ticket.resolution_due_at == berlin(2026, 11, 26, 10, 0)
    payload = ticket.events.get(code=EventCode.SEVERITY_CHANGED).payload
    assert set(payload["deadlines"]) == {"reaction_due_at", "resolution_due_at"}


def test_a_warning_that_already_passed_is_not_moved(file_ticket, users):
    # severe: warning 14:30, due 16:00; at 15:00 the ticket is made minor (due Tuesday 14:00)
    ticket = file_at(file_ticket, MONDAY_10, severity="severe")
    ticket = _change(ticket, users["agent"], "minor", berlin(2026, 11, 23, 15, 0))
    assert ticket.reaction_due_at == berlin(2026, 11, 24, 14, 0)
    assert ticket.reaction_warning_at == berlin(2026, 11, 23, 14, 30)
