"""Collision hints: an agent sees who else has the ticket open and who is writing a reply; the
hints expire on their own."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.tickets.conftest import login_as
from tests.tickets.sla_helpers import clock
from tickets import services
from tickets.models import TicketPresence
from tickets.selectors_workspace import presence_others

pytestmark = pytest.mark.django_db


def test_another_agent_with_the_ticket_open_is_shown(users, file_ticket):
    ticket, now = file_ticket(), timezone.now()
    services.presence_touch(ticket=ticket, user=users["manager"], typing=False, now=now)
    services.presence_touch(ticket=ticket, user=users["agent"], typing=False, now=now)
    others = presence_others(ticket=ticket, user=users["agent"], now=now)
    assert [(o.name, o.typing) for o in others] == [("Martin Groß", False)]


def test_typing_shows_for_a_while_then_only_the_presence_then_nothing(users, file_ticket):
    ticket, now = file_ticket(), timezone.now()
    services.presence_touch(ticket=ticket, user=users["manager"], typing=True, now=now)
    assert presence_others(ticket=ticket, user=users["agent"], now=now)[0].typing
    assert not presence_others(ticket=ticket, user=users["agent"], now=now + timedelta(seconds=30))[0].typing
    assert presence_others(ticket=ticket, user=users["agent"], now=now + timedelta(seconds=60)) == []


def test_leaving_removes_the_hint_and_old_rows_are_forgotten(users, file_ticket):
    ticket, now = file_ticket(), timezone.now()
    services.presence_touch(ticket=ticket, user=users["manager"], typing=False, now=now - timedelta(hours=2))
    services.presence_touch(ticket=ticket, user=users["agent"], typing=False, now=now)
    assert not TicketPresence.objects.filter(user=users["manager"]).exists()
    services.presence_leave(ticket=ticket, user=users["agent"])
    assert not TicketPresence.objects.filter(ticket=ticket).exists()


def test_the_poll_records_the_agent_and_answers_with_the_others(client, users, file_ticket):
    ticket, now = file_ticket(), timezone.now()
    login_as(client, users, "agent")
    with clock(now):  # the poll reads the same clock: "writing" lasts only TYPING_SECONDS
        services.presence_touch(ticket=ticket, user=users["manager"], typing=True, now=now)
        response = client.post(reverse("tickets:work_presence", kwargs={"reference": ticket.reference}),
                               {"typing": "1"})
    html = response.content.decode()
    assert "Martin Groß is writing a reply." in html
    assert TicketPresence.objects.get(ticket=ticket, user=users["agent"]).typing_at is not None


def test_a_foreign_agent_cannot_announce_itself_on_the_ticket(client, users, file_ticket):
    ticket = file_ticket()
    login_as(client, users, "partner-agent")
    response = client.post(reverse("tickets:work_presence", kwargs={"reference": ticket.reference}))
    assert response.status_code == 404
    assert not TicketPresence.objects.exists()


def test_leaving_the_page_removes_the_hint_at_once(client, users, file_ticket):
    ticket = file_ticket()
    login_as(client, users, "agent")
    url = reverse("tickets:work_presence", kwargs={"reference": ticket.reference})
    client.post(url)
    assert TicketPresence.objects.filter(ticket=ticket, user=users["agent"]).exists()
    client.post(url, {"leave": "1"})
    assert not TicketPresence.objects.filter(ticket=ticket).exists()


def test_a_reloaded_pages_late_leave_does_not_remove_the_new_pages_hint(client, users, file_ticket):
    # Given the agent's workspace reloads: the new page touches first, the old page's leave beacon
    # arrives after it (both POST to the same URL)
    ticket = file_ticket()
    login_as(client, users, "agent")
    url = reverse("tickets:work_presence", kwargs={"reference": ticket.reference})
    client.post(url, {"page": "old"})
    client.post(url, {"page": "new"})
    client.post(url, {"leave": "1", "page": "old"})
    # Then the agent still counts as present; the new page's own leave removes it
    assert TicketPresence.objects.filter(ticket=ticket, user=users["agent"]).exists()
    client.post(url, {"leave": "1", "page": "new"})
    assert not TicketPresence.objects.filter(ticket=ticket).exists()
