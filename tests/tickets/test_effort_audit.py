"""The audit trail of effort: logging, changing and deleting a time entry each write one internal
ticket event with who, when and the old and new values; deleting is a soft delete that every total,
the monthly report and the workspace honour, and the workspace history shows."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from reports.monthly import monthly_report
from tests.tickets.conftest import login_as
from tests.tickets.sla_helpers import berlin, clock
from tickets import selectors, services
from tickets.models import EventCode, TicketEvent, TimeEntry
from tickets.selectors_workspace import effort_for_month, effort_total_minutes, time_entries_for
from tickets.timeline import timeline_for

pytestmark = pytest.mark.django_db

NOW = berlin(2026, 11, 18, 10, 30)
EFFORT_CODES = (EventCode.EFFORT_LOGGED, EventCode.EFFORT_CHANGED, EventCode.EFFORT_DELETED)


@pytest.fixture
def ticket(file_ticket):
    with clock(NOW - timedelta(days=3)):
        return file_ticket()


def _log(ticket, actor, minutes=30, **fields):
    with clock(NOW):
        return services.time_entry_add(ticket=ticket, actor=actor, minutes=minutes, **fields)


def _events(ticket):
    return list(TicketEvent.objects.filter(ticket=ticket, code__in=EFFORT_CODES).order_by("pk"))


def test_logging_time_writes_an_internal_event_with_the_new_values(users, ticket):
    entry = _log(ticket, users["agent"], minutes=45, work_type="remote", note="Fernwartung", out_of_hours=True)
    [event] = _events(ticket)
    assert (event.code, event.actor, event.is_public, event.created_at) == (
        EventCode.EFFORT_LOGGED, users["agent"], False, NOW)
    assert event.payload["entry_id"] == entry.pk
    assert event.payload["old"] == {}
    assert event.payload["new"] == {"worked_on": "2026-11-18", "minutes": 45, "work_type": "remote",
                                    "note": "Fernwartung", "billable": True, "out_of_hours": True}


def test_changing_an_entry_records_only_the_changed_fields(users, ticket):
    entry = _log(ticket, users["agent"], minutes=30)
    later = NOW + timedelta(hours=1)
    with clock(later):
        services.time_entry_change(entry=entry, actor=users["agent"],
                                   data={"minutes": 50, "billable": False, "work_type": "analysis"})
    entry.refresh_from_db()
    assert (entry.minutes, entry.billable) == (50, False)
    event = _events(ticket)[-1]
    assert (event.code, event.actor, event.created_at, event.is_public) == (
        EventCode.EFFORT_CHANGED, users["agent"], later, False)
    assert event.payload["old"] == {"minutes": 30, "billable": True}
    assert event.payload["new"] == {"minutes": 50, "billable": False}


def test_a_change_to_the_current_values_writes_nothing(users, ticket):
    entry = _log(ticket, users["agent"], minutes=30, note="Logs")
    with clock(NOW):
        services.time_entry_change(entry=entry, actor=users["agent"], data={"minutes": 30, "note": " Logs "})
    assert [e.code for e in _events(ticket)] == [EventCode.EFFORT_LOGGED]


@pytest.mark.parametrize(("data", "field"), [
    ({"minutes": 0}, "minutes"),
    ({"work_type": "kaffee"}, "work_type"),
    ({"worked_on": date(2026, 11, 19)}, "worked_on"),  # tomorrow
    ({"worked_on": date(2026, 11, 1)}, "worked_on"),  # before the ticket was reported
])
def test_a_change_follows_the_rules_of_logging(users, ticket, data, field):
    entry = _log(ticket, users["agent"])
    with clock(NOW), pytest.raises(ValidationError) as refused:
        services.time_entry_change(entry=entry, actor=users["agent"], data=data)
    assert field in refused.value.message_dict
    assert len(_events(ticket)) == 1


@pytest.mark.parametrize(("username", "allowed"), [
    ("agent", True),  # the author
    ("manager", True),
    ("admin", True),
    ("us-agent", False),  # another agent of the vendor sees the ticket, but not this entry to change
    ("partner-agent", False),  # a reseller's agent does not even see Müller's ticket
    ("customer", False),
    ("reader", False),
])
def test_who_may_change_and_delete_an_entry(users, ticket, username, allowed):
    entry = _log(ticket, users["agent"], minutes=30)
    actor = users[username]
    with clock(NOW):
        if allowed:
            services.time_entry_change(entry=entry, actor=actor, data={"minutes": 40})
            services.time_entry_delete(entry=entry, actor=actor)
            assert [e.actor for e in _events(ticket)][1:] == [actor, actor]
        else:
            with pytest.raises(PermissionDenied):
                services.time_entry_change(entry=entry, actor=actor, data={"minutes": 40})
            with pytest.raises(PermissionDenied):
                services.time_entry_delete(entry=entry, actor=actor)
            assert len(_events(ticket)) == 1
            assert TimeEntry.objects.get(pk=entry.pk).minutes == 30


def test_deleting_is_a_soft_delete_with_who_and_when(users, ticket):
    entry = _log(ticket, users["agent"], minutes=30, note="Doppelt erfasst")
    later = NOW + timedelta(minutes=5)
    with clock(later):
        services.time_entry_delete(entry=entry, actor=users["manager"])
        services.time_entry_delete(entry=entry, actor=users["manager"])  # again: nothing more
    stored = TimeEntry.all_objects.get(pk=entry.pk)
    assert (stored.deleted_at, stored.deleted_by) == (later, users["manager"])
    assert not TimeEntry.objects.filter(pk=entry.pk).exists()
    events = _events(ticket)
    assert [e.code for e in events] == [EventCode.EFFORT_LOGGED, EventCode.EFFORT_DELETED]
    assert events[-1].payload["old"]["minutes"] == 30 and events[-1].payload["new"] == {}
    with clock(later), pytest.raises(ValidationError):
        services.time_entry_change(entry=stored, actor=users["agent"], data={"minutes": 10})


def test_deleted_entries_count_nowhere(users, orgs, ticket):
    kept = _log(ticket, users["agent"], minutes=30)
    gone = _log(ticket, users["agent"], minutes=90)
    with clock(NOW):
        services.time_entry_delete(entry=gone, actor=users["agent"])
    assert effort_total_minutes(ticket=ticket) == 30
    assert [e.pk for e in time_entries_for(ticket=ticket)] == [kept.pk]
    month = effort_for_month(year=2026, month=11, organisation=orgs["mueller"]).filter(ticket=ticket)
    assert [e.pk for e in month] == [kept.pk]
    report = monthly_report(organisation=orgs["mueller"], year=2026, month=11, now=NOW)
    lines = [line for line in report.entries if line.reference == ticket.reference]
    assert [line.minutes for line in lines] == [30]


def test_the_workspace_history_shows_log_change_and_deletion_in_the_readers_language(users, ticket):
    entry = _log(ticket, users["agent"], minutes=30, work_type="remote")
    with clock(NOW):
        services.time_entry_change(entry=entry, actor=users["agent"], data={"minutes": 45})
        services.time_entry_delete(entry=entry, actor=users["manager"])
    events = selectors.ticket_events_for_user(ticket=ticket, user=users["agent"])
    for language, expected in (
        ("en", ["logged 30 min (Remote maintenance)", "minutes: 30 min → 45 min",
                "deleted the time entry of", "45 min (Remote maintenance)"]),
        ("de", ["30 Min. (Fernwartung)", "Minuten: 30 Min. → 45 Min.", "hat den Zeiteintrag von Anja Böhm gelöscht",
                "am 18.11.2026 erfasst"]),
    ):
        with translation.override(language):
            texts = " | ".join(item.text for item in timeline_for(ticket=ticket, events=events, attachments={}))
        for part in expected:
            assert part in texts, (language, part, texts)


def test_customers_never_see_effort_events(users, ticket):
    _log(ticket, users["agent"])
    for username in ("customer", "reader"):
        codes = {e.code for e in selectors.ticket_events_for_user(ticket=ticket, user=users[username])}
        assert not codes & set(EFFORT_CODES)


def test_the_workspace_changes_an_entry_of_the_author(client, users, ticket):
    entry = _log(ticket, users["agent"], minutes=30)
    url = reverse("tickets:work_effort_change", kwargs={"reference": ticket.reference, "pk": entry.pk})
    form = {f"entry{entry.pk}-{k}": v for k, v in {
        "minutes": "60", "work_type": "analysis", "worked_on": "2026-11-18", "note": "korrigiert", "billable": "on",
    }.items()}
    login_as(client, users, "us-agent")
    with clock(NOW):
        client.post(url, form)
    assert TimeEntry.objects.get(pk=entry.pk).minutes == 30
    login_as(client, users, "agent")
    with clock(NOW):
        client.post(url, form)
        page = client.get(reverse("tickets:workspace", kwargs={"reference": ticket.reference}))
    assert TimeEntry.objects.get(pk=entry.pk).minutes == 60
    assert page.context["effort_minutes"] == 60
    assert "minutes: 30 min → 60 min" in page.content.decode()


def test_a_manager_sees_the_change_form_of_every_entry_an_agent_only_of_their_own(client, users, ticket):
    _log(ticket, users["agent"])
    url = reverse("tickets:workspace", kwargs={"reference": ticket.reference})
    for username, shown in (("agent", True), ("manager", True), ("us-agent", False)):
        login_as(client, users, username)
        with clock(NOW):
            html = client.get(url).content.decode()
        assert ('data-testid="change-time-entry"' in html) is shown, username
        assert ('data-testid="delete-time-entry"' in html) is shown, username


def test_the_workspace_deletion_leaves_the_entry_in_the_history(client, users, ticket):
    entry = _log(ticket, users["agent"], minutes=25)
    login_as(client, users, "manager")
    with clock(NOW):
        client.post(reverse("tickets:work_effort_delete", kwargs={"reference": ticket.reference, "pk": entry.pk}))
        page = client.get(reverse("tickets:workspace", kwargs={"reference": ticket.reference}))
    assert page.context["effort_minutes"] == 0
    assert "deleted the time entry of" in page.content.decode()
    assert TimeEntry.all_objects.filter(pk=entry.pk, deleted_by=users["manager"]).exists()
