"""The SLA state of filed tickets: which target drives it, how it follows the clock
(`sla.engine.clock.sla_state`), and the stored state and escalation cursor
(`tickets.services.sla.sla_state_compute`)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from sla.choices import SlaState, Status
from sla.engine import clock as target_clock
from tests.tickets.conftest import login_as
from tests.tickets.sla_helpers import berlin, clock, file_at
from tickets import services
from tickets.services.sla import sla_state_compute

pytestmark = pytest.mark.django_db

MONDAY_10 = berlin(2026, 11, 23, 10, 0)  # severe: warning 14:30, due 16:00


@pytest.fixture
def severe(file_ticket):
    return file_at(file_ticket, MONDAY_10, severity="severe")


@pytest.mark.parametrize(
    ("at", "state"),
    [
        (berlin(2026, 11, 23, 14, 29, 59), SlaState.ON_TRACK),
        (berlin(2026, 11, 23, 14, 30), SlaState.AT_RISK),
        (berlin(2026, 11, 23, 15, 59, 59), SlaState.AT_RISK),
        (berlin(2026, 11, 23, 16, 0), SlaState.BREACHED),
    ],
)
def test_the_state_follows_the_clock(severe, at, state):
    assert target_clock.sla_state(severe, at) == state


def test_compute_sets_the_state_once_and_then_changes_nothing(severe):
    at = berlin(2026, 11, 23, 14, 31)
    assert sla_state_compute(ticket=severe, now=at) == ["sla_state"]
    assert severe.sla_state == SlaState.AT_RISK
    assert sla_state_compute(ticket=severe, now=at) == []


def test_compute_changes_nothing_on_a_ticket_that_is_up_to_date(severe):
    assert sla_state_compute(ticket=severe, now=MONDAY_10 + timedelta(minutes=1)) == []


def test_the_escalation_levels_are_the_open_targets_warning_and_due(severe):
    instants = [(i.target, i.level, i.at) for i in target_clock.levels(severe, None, ticket_open=True)]
    assert instants == [
        ("reaction", "warning", berlin(2026, 11, 23, 14, 30)),
        ("reaction", "breach", berlin(2026, 11, 23, 16, 0)),
    ]


def test_a_met_ticket_has_nothing_to_escalate(severe, users):
    with clock(berlin(2026, 11, 23, 11, 0)):
        services.comment_add(ticket=severe, author=users["agent"], body="Schon dabei.")
    severe.refresh_from_db()
    assert target_clock.levels(severe, None, ticket_open=True) == [] and severe.next_escalation_at is None
    assert target_clock.sla_state(severe, berlin(2026, 11, 30, 12, 0)) == SlaState.MET


def test_the_reaction_drives_the_state_before_the_resolution(file_ticket, users):
    # POS severe: reaction 6h (due Monday 16:00), resolution 3d (due Thursday 10:00)
    ticket = file_at(file_ticket, MONDAY_10, "pos-customer", severity="severe")
    assert target_clock.sla_state(ticket, berlin(2026, 11, 23, 16, 0)) == SlaState.BREACHED
    with clock(berlin(2026, 11, 23, 11, 0)):
        services.ticket_change_status(ticket=ticket, actor=users["agent"], status=Status.IN_PROGRESS)
    ticket.refresh_from_db()
    # reacted: now the resolution target drives it
    assert target_clock.sla_state(ticket, berlin(2026, 11, 23, 16, 0)) == SlaState.ON_TRACK
    assert target_clock.sla_state(ticket, berlin(2026, 11, 25, 13, 0)) == SlaState.AT_RISK
    assert target_clock.sla_state(ticket, berlin(2026, 11, 26, 10, 0)) == SlaState.BREACHED


def test_a_breached_reaction_keeps_the_ticket_breached(file_ticket, users):
    ticket = file_at(file_ticket, MONDAY_10, "pos-customer", severity="severe")
    with clock(berlin(2026, 11, 23, 17, 0)):
        services.comment_add(ticket=ticket, author=users["agent"], body="Entschuldigung, wir sind dran.")
    ticket.refresh_from_db()
    assert ticket.sla_state == SlaState.BREACHED
    assert target_clock.sla_state(ticket, berlin(2026, 11, 23, 17, 1)) == SlaState.BREACHED


def test_the_ticket_page_shows_an_overdue_reaction_even_before_the_scan_stored_it(severe, users, client):
    login_as(client, users)
    with clock(berlin(2026, 11, 23, 16, 5)):
        response = client.get(reverse("tickets:detail", kwargs={"reference": severe.reference}))
    assert severe.sla_state == SlaState.ON_TRACK  # stored state lags
    assert response.context["promise"]["kind"] == "overdue"
    assert "The reaction was due by Monday, 23 November 2026, 16:00 CET" in response.content.decode()
