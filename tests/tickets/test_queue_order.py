"""The queue's order: breached first (the longest overdue at the top), then the nearest SLA
deadline, then tickets without a running deadline, oldest first; resolved and closed last. Kept by
the database (generated columns), so every write path keeps it right."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.tickets.agent_helpers import no_deadline, set_deadlines
from tickets import services
from tickets.selectors_queue import QueueFilters, queue_page, tickets_for_agent_queue

pytestmark = pytest.mark.django_db


def _queue(user, **filters):
    tickets = tickets_for_agent_queue(user=user, filters=QueueFilters(**filters), now=timezone.now())
    return [t.pk for t in queue_page(tickets, size=1000).tickets]  # one page holds the demo's history too


@pytest.fixture
def fresh(file_ticket, demo):
    """Only the tickets a test files (the demo's own tickets are closed out of the way)."""
    from tickets.models import Ticket

    Ticket.objects.update(status="closed", closed_at=timezone.now())
    return file_ticket


def test_breached_come_first_longest_overdue_on_top_then_nearest_deadline_then_oldest(fresh, users):
    # Given tickets with deadlines passed long ago and just now, upcoming deadlines, and none
    far_future = set_deadlines(fresh(), reaction_in=30)
    no_sla_older = no_deadline(fresh(), reported_at=timezone.now() - timedelta(days=3))
    just_breached = set_deadlines(fresh(), reaction_in=-1)
    soon = set_deadlines(fresh(), reaction_in=2)
    long_breached = set_deadlines(fresh(), reaction_in=-50)
    no_sla_newer = no_deadline(fresh(), reported_at=timezone.now() - timedelta(days=1))
    # When the agent opens the queue
    order = _queue(users["agent"])
    # Then the order follows the promise
    assert order == [long_breached.pk, just_breached.pk, soon.pk, far_future.pk, no_sla_older.pk, no_sla_newer.pk]


def test_a_late_reaction_keeps_the_ticket_among_the_breached(fresh, users):
    # Given a ticket whose reaction came after its deadline, and one on track
    late = set_deadlines(fresh(), reaction_in=-5, reacted=True, reaction_state="breached")
    on_track = set_deadlines(fresh(), reaction_in=1)
    assert _queue(users["agent"]) == [late.pk, on_track.pk]


def test_after_the_reaction_the_resolution_deadline_counts(fresh, users):
    reacted = set_deadlines(fresh(), reaction_in=-1, reacted=True, reaction_state="met", resolution_in=10)
    waiting_reaction = set_deadlines(fresh(), reaction_in=5)
    assert _queue(users["agent"]) == [waiting_reaction.pk, reacted.pk]


def test_a_paused_resolution_clock_drops_out_of_the_deadline_group(fresh, users):
    paused = set_deadlines(fresh(), reaction_in=-1, reacted=True, reaction_state="met", resolution_in=1,
                           resolution_state="paused", resolution_paused_since=timezone.now())
    running = set_deadlines(fresh(), reaction_in=40)
    paused.refresh_from_db()
    assert paused.queue_bucket == 1
    assert _queue(users["agent"]) == [running.pk, paused.pk]


def test_resolving_a_ticket_moves_it_out_of_the_open_queue_by_itself(fresh, users):
    # Given a breached ticket at the top
    ticket = set_deadlines(fresh(), reaction_in=-3)
    # When an agent resolves it through the services (which know nothing of the queue)
    services.ticket_change_status(ticket=ticket, actor=users["agent"], status="resolved")
    ticket.refresh_from_db()
    # Then the database has moved it to the resolved group
    assert ticket.queue_bucket == 2
    assert ticket.pk not in _queue(users["agent"])
    assert ticket.pk in _queue(users["agent"], status="all")


def test_a_real_ticket_gets_its_queue_position_from_its_contract_deadline(file_ticket, users):
    # Given a severe fault filed by Müller (contract: reaction within 6 business hours)
    ticket = file_ticket(severity="severe")
    ticket.refresh_from_db()
    # Then its queue position is its reaction deadline
    assert ticket.reaction_due_at is not None
    assert ticket.queue_bucket == 0
    assert ticket.queue_sort_at == ticket.reaction_due_at
