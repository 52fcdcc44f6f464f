"""A new ticket gets its SLA snapshot, deadlines and state from the organisation's contract."""

import logging
from datetime import UTC

import pytest
from django.db.models import F

from sla.choices import SlaState, TargetState
from sla.models import Calendar, Contract
from tests.tickets.sla_helpers import berlin, file_at
from tickets.models import EventCode

pytestmark = pytest.mark.django_db


def test_severe_fault_before_the_company_holidays_is_due_after_them(file_ticket):
    # Given Müller's standard contract (de-nrw-standard, severe = 6h, warning at 75 %)
    # When a severe fault is filed on Wednesday 2026-12-23 at 15:30
    ticket = file_at(file_ticket, berlin(2026, 12, 23, 15, 30), severity="severe")
    # Then the reaction is due on Monday 4 January 2027 at 13:30 (SEMANTICS.md example 1)
    assert ticket.reaction_due_at == berlin(2027, 1, 4, 13, 30)
    assert ticket.reaction_due_at.tzinfo == UTC  # stored in UTC
    # 75 % of 6h = 4h30: 1h30 on Wednesday, 3h on Monday
    assert ticket.reaction_warning_at == berlin(2027, 1, 4, 12, 0)
    assert (ticket.sla_policy.slug, ticket.sla_calendar.slug) == ("standard-de", "de-nrw-standard")
    assert (ticket.reaction_target, ticket.resolution_target, ticket.warning_threshold_percent) == ("6h", "", 75)
    assert (ticket.reaction_state, ticket.resolution_state) == (TargetState.OPEN, "")
    assert ticket.resolution_due_at is None
    assert ticket.sla_state == SlaState.ON_TRACK
    assert ticket.next_escalation_at == ticket.reaction_warning_at


def test_minor_pos_fault_on_saturday_runs_on_the_pos_calendar(file_ticket):
    # Given Frischmarkt's contract, whose faults are overridden to the POS policy (Mon-Sat 09-20)
    # When a minor fault is filed on Saturday 2026-11-28 at 10:00
    ticket = file_at(file_ticket, berlin(2026, 11, 28, 10, 0), "pos-customer", severity="minor")
    # Then Saturday counts: 10/11 of a day, Monday supplies 13/22 of 11h = 6h30
    assert ticket.sla_calendar.slug == "pos-extended"
    assert ticket.reaction_due_at == berlin(2026, 11, 30, 15, 30)
    # and the POS policy promises a resolution in 10 working days too
    assert ticket.resolution_target == "10d"
    assert ticket.resolution_state == TargetState.OPEN
    assert ticket.resolution_due_at == berlin(2026, 12, 10, 10, 0)


def test_a_pos_customers_question_has_no_sla(file_ticket):
    ticket = file_at(file_ticket, berlin(2026, 11, 28, 10, 0), "pos-customer", category="question")
    assert ticket.sla_state == SlaState.NONE
    assert ticket.reaction_due_at is None and ticket.sla_policy is None
    assert (ticket.reaction_state, ticket.resolution_state, ticket.next_escalation_at) == ("", "", None)


def test_an_organisation_without_contract_files_without_sla(file_ticket, orgs):
    Contract.objects.filter(organisation=orgs["acme"]).delete()
    ticket = file_at(file_ticket, berlin(2026, 11, 24, 10, 0), "us-customer", severity="severe")
    assert ticket.pk and ticket.sla_state == SlaState.NONE and ticket.reaction_due_at is None
    assert not ticket.events.filter(code=EventCode.SLA_UNAVAILABLE).exists()


def test_a_deadline_beyond_the_holiday_years_files_the_ticket_without_deadlines(file_ticket, caplog):
    # Given a calendar whose holiday data ends in 2025
    Calendar.objects.filter(slug="de-nrw-standard").update(holidays_until_year=2025, version=F("version") + 1)
    # When a fault is filed in 2026
    with caplog.at_level(logging.WARNING, logger="tickets.services.sla"):
        ticket = file_at(file_ticket, berlin(2026, 11, 24, 10, 0), severity="severe")
    # Then the ticket exists, without deadlines, with a warning in the log and an internal event
    ticket.refresh_from_db()
    assert ticket.reference and ticket.reaction_due_at is None
    assert ticket.sla_state == SlaState.NONE and ticket.reaction_state == ""
    assert "no SLA deadlines" in caplog.text
    event = ticket.events.get(code=EventCode.SLA_UNAVAILABLE)
    assert not event.is_public
    assert event.payload == {"reason": "out_of_range", "calendar": "de-nrw-standard", "year": 2026}


def test_reported_at_is_kept_in_whole_seconds(file_ticket):
    ticket = file_at(file_ticket, berlin(2026, 11, 24, 10, 0, 5, 123456))
    ticket.refresh_from_db()
    assert ticket.reported_at == berlin(2026, 11, 24, 10, 0, 5)


def test_a_phone_call_reported_earlier_counts_from_when_it_came_in(file_ticket, users):
    # An agent logs at 11:00 a call that came in at 09:30: the clock started at 09:30
    ticket = file_at(file_ticket, berlin(2026, 11, 24, 11, 0), severity="severe", actor=users["agent"],
                     channel="phone", reported_at=berlin(2026, 11, 24, 9, 30))
    assert ticket.reaction_due_at == berlin(2026, 11, 24, 15, 30)


def test_agents_read_why_a_ticket_has_no_deadlines(file_ticket):
    from tickets.timeline import describe

    Calendar.objects.filter(slug="de-nrw-standard").update(holidays_until_year=2025, version=F("version") + 1)
    ticket = file_at(file_ticket, berlin(2026, 11, 24, 10, 0), severity="severe")
    event = ticket.events.get(code=EventCode.SLA_UNAVAILABLE)
    assert describe(event, "Helpdesk") == (
        "No service-level deadlines: the business calendar has no holiday data for 2026."
    )
