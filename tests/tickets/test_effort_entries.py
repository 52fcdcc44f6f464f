"""Effort: time entries per ticket (minutes, note, work type, billable, out of hours) with the
ticket's total; a clean model the monthly report reads."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.tickets.conftest import login_as
from tests.tickets.sla_helpers import clock
from tickets import services
from tickets.models import TimeEntry
from tickets.selectors_workspace import effort_for_month, effort_total_minutes

pytestmark = pytest.mark.django_db


def test_an_agent_logs_time_and_the_total_adds_up(users, file_ticket):
    now = timezone.now()
    with clock(now):  # "today" of the entry and of the assertion are the same day, even at midnight
        ticket = file_ticket()
        services.time_entry_add(ticket=ticket, actor=users["agent"], minutes=30, work_type="remote",
                                note="Fernwartung", billable=True, out_of_hours=True)
        services.time_entry_add(ticket=ticket, actor=users["manager"], minutes=15, billable=False)
    assert effort_total_minutes(ticket=ticket) == 45
    entry = TimeEntry.objects.get(ticket=ticket, agent=users["agent"])
    assert (entry.work_type, entry.out_of_hours, entry.worked_on) == ("remote", True, timezone.localdate(now))


@pytest.mark.parametrize(("fields", "field"), [
    ({"minutes": 0}, "minutes"),
    ({"minutes": 24 * 60 + 1}, "minutes"),
    ({"minutes": 10, "work_type": "kaffee"}, "work_type"),
    ({"minutes": 10, "worked_on": 1}, "worked_on"),  # days from today: tomorrow
    ({"minutes": 10, "worked_on": -400}, "worked_on"),
])
def test_implausible_entries_are_refused(users, file_ticket, fields, field):
    now = timezone.now()  # not at collection: the suite may run past midnight
    if "worked_on" in fields:
        fields = {**fields, "worked_on": timezone.localdate(now) + timedelta(days=fields["worked_on"])}
    with clock(now), pytest.raises(ValidationError) as refused:
        services.time_entry_add(ticket=file_ticket(), actor=users["agent"], **fields)
    assert field in refused.value.message_dict


def test_customers_and_foreign_agents_log_no_effort(users, file_ticket):
    ticket = file_ticket()
    for username in ("customer", "partner-agent"):
        with pytest.raises(PermissionDenied):
            services.time_entry_add(ticket=ticket, actor=users[username], minutes=5)


def test_only_the_author_or_a_manager_removes_an_entry(users, file_ticket):
    ticket = file_ticket()
    entry = services.time_entry_add(ticket=ticket, actor=users["agent"], minutes=5)
    with pytest.raises(PermissionDenied):
        services.time_entry_delete(entry=entry, actor=users["us-agent"])
    services.time_entry_delete(entry=entry, actor=users["manager"])
    assert not TimeEntry.objects.filter(pk=entry.pk).exists()


def test_the_workspace_form_logs_time_and_shows_the_total(client, users, file_ticket):
    ticket = file_ticket()
    login_as(client, users, "agent")
    url = reverse("tickets:work_effort", kwargs={"reference": ticket.reference})
    client.post(url, {"minutes": "90", "work_type": "analysis", "worked_on": timezone.localdate().isoformat(),
                      "note": "Protokolle gelesen", "billable": "on"})
    page = client.get(reverse("tickets:workspace", kwargs={"reference": ticket.reference}))
    assert page.context["effort_minutes"] == 90
    assert page.context["effort_total"] == "1 h 30 min"
    assert "Protokolle gelesen" in page.content.decode()


def test_a_bad_effort_entry_keeps_what_was_typed(client, users, file_ticket):
    ticket = file_ticket()
    login_as(client, users, "agent")
    url = reverse("tickets:work_effort", kwargs={"reference": ticket.reference})
    response = client.post(url, {"minutes": "0", "work_type": "analysis", "worked_on": "2020-01-01",
                                 "note": "Tippfehler"})
    form = response.context["effort_form"]
    assert form.errors["minutes"] and form["note"].value() == "Tippfehler"
    assert not TimeEntry.objects.filter(ticket=ticket).exists()


def test_deleting_via_the_workspace(client, users, file_ticket):
    ticket = file_ticket()
    entry = services.time_entry_add(ticket=ticket, actor=users["agent"], minutes=5)
    login_as(client, users, "us-agent")
    client.post(reverse("tickets:work_effort_delete", kwargs={"reference": ticket.reference, "pk": entry.pk}))
    assert TimeEntry.objects.filter(pk=entry.pk).exists()
    login_as(client, users, "agent")
    client.post(reverse("tickets:work_effort_delete", kwargs={"reference": ticket.reference, "pk": entry.pk}))
    assert not TimeEntry.objects.filter(pk=entry.pk).exists()


def test_the_month_selector_feeds_the_monthly_report(users, orgs, file_ticket):
    now = timezone.now()
    with clock(now):
        ticket = file_ticket()
        services.time_entry_add(ticket=ticket, actor=users["agent"], minutes=20)
    today = timezone.localdate(now)
    entries = effort_for_month(year=today.year, month=today.month, organisation=orgs["mueller"])
    assert sum(e.minutes for e in entries if e.ticket_id == ticket.pk) == 20
    assert not effort_for_month(year=today.year, month=today.month, organisation=orgs["acme"]).filter(
        ticket=ticket).exists()
