"""Keyset pagination of the queue: pages continue after (or end before) a row's sort key, so a
deep page costs what the first costs, nothing is shown twice or skipped, and a cursor that is not
one shows the first page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.tickets.agent_helpers import set_deadlines
from tickets.models import Ticket
from tickets.selectors_queue import QueueCursor, QueueFilters, queue_page, tickets_for_agent_queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(demo, file_ticket):
    """23 open Müller tickets: deadlines spread, some without, some sharing the same deadline."""
    Ticket.objects.update(status="closed", closed_at=timezone.now())
    tickets = []
    for index in range(23):
        ticket = file_ticket(subject=f"Störung {index}")
        if index % 4 == 0:
            Ticket.objects.filter(pk=ticket.pk).update(reaction_due_at=None, reaction_state="",
                                                       reported_at=timezone.now() - timedelta(hours=index))
        else:
            set_deadlines(ticket, reaction_in=(index % 7) - 3)  # several share a deadline hour
        tickets.append(ticket)
    return tickets


def _all(user):
    return tickets_for_agent_queue(user=user, filters=QueueFilters(), now=timezone.now())


def test_walking_forward_shows_every_ticket_once_in_queue_order(many, users):
    expected = [t.pk for t in _all(users["agent"]).order_by("queue_bucket", "queue_sort_at", "id")]
    seen, cursor, pages = [], None, 0
    while True:
        page = queue_page(_all(users["agent"]), after=cursor, size=5)
        seen += [t.pk for t in page.tickets]
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == expected
    assert pages == 5


def test_walking_back_from_the_last_page_returns_the_same_pages(many, users):
    forward, cursor = [], None
    while True:
        page = queue_page(_all(users["agent"]), after=cursor, size=5)
        forward.append([t.pk for t in page.tickets])
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    backward, before = [], page.previous_cursor
    while before:
        page = queue_page(_all(users["agent"]), before=before, size=5)
        backward.insert(0, [t.pk for t in page.tickets])
        before = page.previous_cursor
    assert backward == forward[:-1]
    assert page.is_first


def test_a_page_continues_after_the_key_even_when_that_ticket_moved(many, users):
    # Given the cursor after the first page
    first = queue_page(_all(users["agent"]), size=5)
    # When the last ticket of that page is resolved meanwhile
    Ticket.objects.filter(pk=first.tickets[-1].pk).update(status="resolved")
    # Then the next page still starts right after its old position
    second = queue_page(_all(users["agent"]), after=first.next_cursor, size=5)
    expected = [t.pk for t in _all(users["agent"]).order_by("queue_bucket", "queue_sort_at", "id")][4:9]
    assert [t.pk for t in second.tickets] == expected


@pytest.mark.parametrize("junk", ["", "abc", "3.1.2", "0.99999999999999999999.1", "1.-5.x", "0.1.2.3"])
def test_a_cursor_that_is_not_one_shows_the_first_page(many, users, junk):
    assert QueueCursor.decode(junk) is None
    page = queue_page(_all(users["agent"]), after=junk, size=5)
    assert page.is_first
    assert [t.pk for t in page.tickets] == [t.pk for t in queue_page(_all(users["agent"]), size=5).tickets]


def test_a_cursor_survives_the_round_trip(many):
    ticket = Ticket.objects.order_by("pk").first()
    cursor = QueueCursor.of(ticket)
    assert QueueCursor.decode(cursor.encode()) == cursor


def test_going_back_before_the_first_ticket_shows_the_first_page(many, users):
    first = queue_page(_all(users["agent"]), size=5)
    page = queue_page(_all(users["agent"]), before=QueueCursor.of(first.tickets[0]).encode(), size=5)
    assert page.is_first and [t.pk for t in page.tickets] == [t.pk for t in first.tickets]
