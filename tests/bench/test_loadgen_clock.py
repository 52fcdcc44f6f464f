"""A ticket the load generator writes is a ticket the services would have written: its history
(the status events it wrote), replayed through the ticket services' SLA bookkeeping and the
escalation scan's rules, gives the same SLA fields, the same fired levels and the same escalation
rows. So benchmark data is production data."""

import io
from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from escalation.models import Escalation
from escalation.schedule import due_levels, mark_fired
from sla.choices import Status
from sla.engine import clock as target_clock
from tests.tickets.sla_helpers import clock
from tickets.models import EventCode, Ticket
from tickets.services.sla import SLA_FIELDS, sla_state_compute, sla_status_changed, sla_ticket_prepare

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2026, 11, 25, 11, 0, 7, tzinfo=UTC)
COMPARED = (*SLA_FIELDS, "escalations_fired")


def _replayed(loaded: Ticket) -> tuple[Ticket, list[tuple]]:
    """The loaded ticket as the services make it from its filing and its status events, with the
    levels a punctual scan fires before each event and by NOW."""
    ticket = Ticket(organisation=loaded.organisation, category=loaded.category, severity=loaded.severity,
                    reported_at=loaded.reported_at, status=Status.NEW, reference=loaded.reference)
    sla_ticket_prepare(ticket=ticket, now=loaded.reported_at)
    fired = []

    def scan(at):
        levels = due_levels(ticket, now=at)
        mark_fired(ticket, levels)
        fired.extend((level.target, level.level, level.at) for level in levels)

    for event in loaded.events.filter(code=EventCode.STATUS_CHANGED).order_by("created_at", "pk"):
        at, old, new = event.created_at, event.payload["old"], event.payload["new"]
        scan(at)
        ticket.status = new
        if new == Status.IN_PROGRESS and ticket.first_reaction_at is None:
            ticket.first_reaction_at = at
        ticket.resolved_at = at if new == Status.RESOLVED else ticket.resolved_at
        ticket.closed_at = at if new == Status.CLOSED else ticket.closed_at
        sla_status_changed(ticket=ticket, old=old, now=at)
    scan(NOW)
    sla_state_compute(ticket=ticket, now=NOW)
    return ticket, fired


def test_generated_tickets_equal_their_history_replayed_through_the_services(demo):
    with clock(NOW):
        call_command("generate_load", tickets=400, seed=9, batch=400, bench_events=0, workers=1,
                     stdout=io.StringIO(), stderr=io.StringIO())
    loaded = list(Ticket.objects.filter(organisation__customer_number__startswith="L009")
                  .select_related("organisation", "sla_policy", "sla_calendar").order_by("pk"))
    assert len(loaded) == 400
    escalations = {}
    for row in Escalation.objects.filter(ticket__in=loaded).values_list("ticket_id", "target", "level", "due_at"):
        escalations.setdefault(row[0], []).append(row[1:])
    states = set()
    for ticket in loaded:
        replayed, fired = _replayed(ticket)
        expected = {name: getattr(replayed, name) for name in COMPARED}
        assert {name: getattr(ticket, name) for name in COMPARED} == expected, ticket.reference
        assert sorted(escalations.get(ticket.pk, [])) == sorted(fired), ticket.reference
        states.add(target_clock.sla_state(ticket, NOW))
    # the load spans three years: mostly settled history, with breaches that escalated
    assert {"breached", "met", "none"} <= states
    assert {level for rows in escalations.values() for _target, level, _at in rows} >= {"warning", "breach"}
