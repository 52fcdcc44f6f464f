"""`sla_recompute_for_calendar` after a calendar change: open targets of open tickets move, met,
breached and overdue ones do not, one history event per changed ticket, and a second run changes
nothing."""

from datetime import date

import pytest

from sla import services
from sla.choices import Status, TargetState
from sla.models import Calendar
from tests.tickets.sla_helpers import berlin, clock, file_at
from tickets import services as ticket_services
from tickets.models import EventCode, Ticket, TicketEvent
from tickets.tasks import sla_recompute_for_calendar

pytestmark = pytest.mark.django_db

MONDAY_10 = berlin(2026, 11, 30, 10, 0)
NOON = berlin(2026, 11, 30, 12, 0)


def _close_tuesday():
    calendar = Calendar.objects.get(slug="de-nrw-standard")
    services.closure_add(calendar=calendar, start_date=date(2026, 12, 1), end_date=date(2026, 12, 1),
                         reason="Umzug des Büros")
    return Calendar.objects.get(pk=calendar.pk)


def _run(calendar):
    with clock(NOON):
        return sla_recompute_for_calendar(calendar.pk)


def test_a_new_closure_moves_open_deadlines_once(file_ticket, users):
    # Given an open minor fault (1.5d: due Tuesday 14:00) and one whose reaction was already met
    waiting = file_at(file_ticket, MONDAY_10, severity="minor")
    answered = file_at(file_ticket, MONDAY_10, severity="minor", idempotency_key="")
    with clock(berlin(2026, 11, 30, 11, 0)):
        ticket_services.comment_add(ticket=answered, author=users["agent"], body="Wir prüfen das.")
    assert waiting.reaction_due_at == berlin(2026, 12, 1, 14, 0)
    # When the desk closes on Tuesday and the task runs (twice)
    calendar = _close_tuesday()
    first = _run(calendar)
    events_after_first = TicketEvent.objects.filter(code=EventCode.SLA_RECOMPUTED).count()
    second = _run(calendar)
    # Then the open deadline moves to Wednesday 14:00 and the warning with it
    waiting.refresh_from_db()
    assert waiting.reaction_due_at == berlin(2026, 12, 2, 14, 0)
    assert waiting.reaction_warning_at == berlin(2026, 12, 2, 11, 0)  # 1.125d: Mon 7/8, Wed 1/4 = 2h
    assert waiting.next_escalation_at == waiting.reaction_warning_at
    # the met one does not
    answered.refresh_from_db()
    assert answered.reaction_due_at == berlin(2026, 12, 1, 14, 0)
    assert answered.reaction_state == TargetState.MET
    # one event, with old and new deadline; nothing the second time
    event = waiting.events.get(code=EventCode.SLA_RECOMPUTED)
    assert event.payload["deadlines"] == {
        "reaction_due_at": {"old": "2026-12-01T13:00:00Z", "new": "2026-12-02T13:00:00Z"},
    }
    assert event.payload["calendar"] == "de-nrw-standard" and event.is_public
    assert (first["tickets"], second["tickets"]) == (1, 0)
    assert TicketEvent.objects.filter(code=EventCode.SLA_RECOMPUTED).count() == events_after_first == 1


def test_an_overdue_deadline_is_history(file_ticket):
    # A severe fault filed Friday 27 November 10:00 was due at 16:00 and nobody reacted
    overdue = file_at(file_ticket, berlin(2026, 11, 27, 10, 0), severity="severe")
    calendar = Calendar.objects.get(slug="de-nrw-standard")
    services.closure_add(calendar=calendar, start_date=date(2026, 11, 27), end_date=date(2026, 11, 27),
                         reason="Nachträglich eingetragen")
    _run(Calendar.objects.get(pk=calendar.pk))
    overdue.refresh_from_db()
    assert overdue.reaction_due_at == berlin(2026, 11, 27, 16, 0)
    assert not overdue.events.filter(code=EventCode.SLA_RECOMPUTED).exists()


def test_resolved_tickets_and_other_calendars_are_left_alone(file_ticket, users):
    resolved = file_at(file_ticket, MONDAY_10, severity="minor")
    with clock(berlin(2026, 11, 30, 10, 30)):
        ticket_services.ticket_change_status(ticket=resolved, actor=users["agent"], status=Status.RESOLVED)
    us = file_at(file_ticket, MONDAY_10, "us-customer", severity="minor")
    before = Ticket.objects.get(pk=us.pk).reaction_due_at
    _run(_close_tuesday())
    resolved.refresh_from_db()
    assert resolved.reaction_due_at == berlin(2026, 12, 1, 14, 0)
    assert Ticket.objects.get(pk=us.pk).reaction_due_at == before


def test_the_task_works_in_batches(file_ticket):
    from tickets.services import sla_recompute as sla

    tickets = [file_at(file_ticket, MONDAY_10, severity="minor", idempotency_key="") for _ in range(5)]
    calendar = _close_tuesday()
    with clock(NOON):
        changed = sla.tickets_sla_recompute_for_calendar(calendar=calendar, now=NOON, batch_size=2)
    assert changed == 5
    assert {Ticket.objects.get(pk=t.pk).reaction_due_at for t in tickets} == {berlin(2026, 12, 2, 14, 0)}


def test_a_paused_resolution_moves_its_deadline_but_keeps_its_pause(file_ticket, users):
    # POS calendar, severe: resolution 3d, paused since Monday 12:00
    ticket = file_at(file_ticket, MONDAY_10, "pos-customer", severity="severe")
    with clock(berlin(2026, 11, 30, 10, 30)):
        ticket_services.ticket_change_status(ticket=ticket, actor=users["agent"], status=Status.IN_PROGRESS)
    with clock(NOON):
        ticket_services.ticket_change_status(ticket=ticket, actor=users["agent"], status=Status.WAITING_ON_CUSTOMER)
    ticket.refresh_from_db()
    assert ticket.resolution_due_at == berlin(2026, 12, 3, 10, 0)
    pos = Calendar.objects.get(slug="pos-extended")
    services.closure_add(calendar=pos, start_date=date(2026, 12, 2), end_date=date(2026, 12, 2), reason="Inventur")
    _run(Calendar.objects.get(pk=pos.pk))
    ticket.refresh_from_db()
    assert ticket.resolution_due_at == berlin(2026, 12, 4, 10, 0)
    assert ticket.resolution_state == TargetState.PAUSED


def test_the_history_says_why_the_deadline_moved(file_ticket):
    from django.utils import timezone

    from tickets.timeline import describe

    ticket = file_at(file_ticket, MONDAY_10, severity="minor")
    _run(_close_tuesday())
    event = ticket.events.get(code=EventCode.SLA_RECOMPUTED)
    with timezone.override("Europe/Berlin"):
        text = describe(event, "Helpdesk")
    assert text == ("The support hours changed. Reaction deadline: Tuesday, 1 December 2026, 14:00 CET → "
                    "Wednesday, 2 December 2026, 14:00 CET.")
