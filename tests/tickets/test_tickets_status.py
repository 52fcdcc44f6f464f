"""Status, severity, workaround, fix release and assignment through the services."""

import itertools
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sla.choices import Status
from tickets import services, transitions
from tickets.errors import TransitionNotAllowed
from tickets.models import EventCode, Ticket

pytestmark = pytest.mark.django_db


# --- the table -------------------------------------------------------------------------------

def test_every_status_has_a_row_in_the_table():
    assert set(transitions.ALLOWED_TRANSITIONS) == set(Status.values)


def test_main_path_is_allowed():
    path = [Status.NEW, Status.IN_PROGRESS, Status.WAITING_ON_CUSTOMER, Status.IN_PROGRESS, Status.WORKAROUND,
            Status.RESOLVED, Status.CLOSED, Status.IN_PROGRESS]
    for old, new in itertools.pairwise(path):
        assert transitions.is_allowed(old, new), (old, new)


def test_customer_transitions_are_a_subset_of_the_table():
    for old, new in transitions.CUSTOMER_TRANSITIONS:
        assert transitions.is_allowed(old, new)


def test_closed_only_reopens():
    assert transitions.ALLOWED_TRANSITIONS[Status.CLOSED] == {Status.IN_PROGRESS}


# --- changes ---------------------------------------------------------------------------------

def _codes(ticket):
    return list(ticket.events.values_list("code", flat=True))


def test_agent_takes_the_ticket_on_and_the_reaction_is_recorded(file_ticket, users):
    ticket = file_ticket()
    ticket = services.ticket_change_status(ticket=ticket, actor=users["agent"], status=Status.IN_PROGRESS)
    assert ticket.status == Status.IN_PROGRESS
    assert ticket.first_reaction_at is not None
    event = ticket.events.last()
    assert (event.code, event.payload, event.actor) == (
        EventCode.STATUS_CHANGED, {"old": "new", "new": "in_progress"}, users["agent"],
    )


def test_first_reaction_is_not_moved_by_a_later_change(file_ticket, users):
    ticket = services.ticket_change_status(ticket=file_ticket(), actor=users["agent"], status=Status.IN_PROGRESS)
    reacted = ticket.first_reaction_at
    services.ticket_change_status(ticket=ticket, actor=users["agent"], status=Status.WAITING_ON_CUSTOMER)
    ticket = services.ticket_change_status(ticket=ticket, actor=users["agent"], status=Status.IN_PROGRESS)
    assert ticket.first_reaction_at == reacted


def test_same_status_writes_nothing(file_ticket, users):
    ticket = file_ticket()
    services.ticket_change_status(ticket=ticket, actor=users["agent"], status=Status.NEW)
    assert _codes(ticket) == [EventCode.CREATED]


def test_disallowed_change_is_refused_and_writes_nothing(file_ticket, users):
    ticket = file_ticket()
    with pytest.raises(TransitionNotAllowed):
        services.ticket_change_status(ticket=ticket, actor=users["agent"], status=Status.WORKAROUND)
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW
    assert _codes(ticket) == [EventCode.CREATED]


def test_unknown_status_is_refused(file_ticket, users):
    with pytest.raises(TransitionNotAllowed):
        services.ticket_change_status(ticket=file_ticket(), actor=users["agent"], status="archived")


def test_customer_cannot_take_a_ticket_into_work(file_ticket, users):
    ticket = file_ticket()
    with pytest.raises(PermissionDenied):
        services.ticket_change_status(ticket=ticket, actor=users["customer"], status=Status.IN_PROGRESS)
    assert _codes(ticket) == [EventCode.CREATED]


def test_reader_cannot_close(file_ticket, users):
    with pytest.raises(PermissionDenied):
        services.ticket_close(ticket=file_ticket(), actor=users["reader"])


def test_other_organisation_cannot_change_the_ticket(file_ticket, users):
    with pytest.raises(PermissionDenied):
        services.ticket_close(ticket=file_ticket(), actor=users["us-customer"])
    with pytest.raises(PermissionDenied):
        services.ticket_change_status(ticket=file_ticket(), actor=users["partner-agent"], status=Status.IN_PROGRESS)


def _resolved(file_ticket, users):
    ticket = services.ticket_change_status(ticket=file_ticket(), actor=users["agent"], status=Status.IN_PROGRESS)
    return services.ticket_change_status(ticket=ticket, actor=users["agent"], status=Status.RESOLVED)


def test_resolving_sets_resolved_at_and_confirming_closes(file_ticket, users):
    ticket = _resolved(file_ticket, users)
    assert ticket.resolved_at is not None
    ticket = services.ticket_confirm_resolution(ticket=ticket, actor=users["customer"])
    assert ticket.status == Status.CLOSED and ticket.closed_at is not None
    assert ticket.events.last().payload == {"old": "resolved", "new": "closed", "reason": "confirmed"}


def test_only_a_resolved_ticket_can_be_confirmed(file_ticket, users):
    with pytest.raises(TransitionNotAllowed):
        services.ticket_confirm_resolution(ticket=file_ticket(), actor=users["customer"])


def test_customer_withdraws_an_open_ticket(file_ticket, users):
    ticket = services.ticket_close(ticket=file_ticket(), actor=users["customer"])
    assert ticket.status == Status.CLOSED
    assert ticket.events.last().payload["reason"] == "withdrawn"


def test_reopening_a_resolved_ticket_clears_the_resolution(file_ticket, users):
    ticket = services.ticket_reopen(ticket=_resolved(file_ticket, users), actor=users["customer"])
    assert ticket.status == Status.IN_PROGRESS
    assert ticket.resolved_at is None and ticket.closed_at is None
    assert ticket.events.last().payload["reason"] == "reopened"


def test_closed_ticket_reopens_within_the_window(file_ticket, users, settings):
    settings.TICKET_REOPEN_DAYS = 14
    ticket = services.ticket_close(ticket=file_ticket(), actor=users["customer"])
    Ticket.objects.filter(pk=ticket.pk).update(closed_at=timezone.now() - timedelta(days=13, hours=23))
    assert services.ticket_reopen(ticket=ticket, actor=users["customer"]).status == Status.IN_PROGRESS


def test_closed_ticket_does_not_reopen_after_the_window(file_ticket, users, settings):
    settings.TICKET_REOPEN_DAYS = 14
    ticket = services.ticket_close(ticket=file_ticket(), actor=users["customer"])
    Ticket.objects.filter(pk=ticket.pk).update(closed_at=timezone.now() - timedelta(days=14, minutes=1))
    with pytest.raises(TransitionNotAllowed) as error:
        services.ticket_reopen(ticket=ticket, actor=users["customer"])
    assert ticket.reference in error.value.messages[0]
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED


def test_reopen_window_follows_the_setting(file_ticket, users, settings):
    settings.TICKET_REOPEN_DAYS = 2
    ticket = services.ticket_close(ticket=file_ticket(), actor=users["customer"])
    Ticket.objects.filter(pk=ticket.pk).update(closed_at=timezone.now() - timedelta(days=3))
    with pytest.raises(TransitionNotAllowed):
        services.ticket_reopen(ticket=ticket, actor=users["agent"])


def test_an_open_ticket_cannot_be_reopened(file_ticket, users):
    with pytest.raises(TransitionNotAllowed):
        services.ticket_reopen(ticket=file_ticket(), actor=users["customer"])


# --- severity, workaround, release -----------------------------------------------------------

def test_agent_changes_the_severity_once(file_ticket, users):
    ticket = services.ticket_change_severity(ticket=file_ticket(), actor=users["agent"], severity="severe")
    services.ticket_change_severity(ticket=ticket, actor=users["agent"], severity="severe")
    assert ticket.severity == "severe"
    assert _codes(ticket).count(EventCode.SEVERITY_CHANGED) == 1
    payload = ticket.events.last().payload
    assert (payload["old"], payload["new"]) == ("minor", "severe")  # plus the moved deadlines (test_sla_severity)


def test_customer_cannot_change_the_severity(file_ticket, users):
    with pytest.raises(PermissionDenied):
        services.ticket_change_severity(ticket=file_ticket(), actor=users["customer"], severity="severe")


def test_question_has_no_severity_to_change(file_ticket, users):
    with pytest.raises(ValidationError):
        services.ticket_change_severity(
            ticket=file_ticket(category="question"), actor=users["agent"], severity="severe"
        )


def test_workaround_is_recorded_and_moves_the_status(file_ticket, users):
    ticket = services.ticket_change_status(ticket=file_ticket(), actor=users["agent"], status=Status.IN_PROGRESS)
    ticket = services.ticket_provide_workaround(ticket=ticket, actor=users["agent"], workaround="Export in Teilen.")
    assert (ticket.status, ticket.workaround) == (Status.WORKAROUND, "Export in Teilen.")
    assert _codes(ticket)[-2:] == [EventCode.WORKAROUND_CHANGED, EventCode.STATUS_CHANGED]


def test_workaround_on_a_new_ticket_is_refused_as_a_whole(file_ticket, users):
    ticket = file_ticket()
    with pytest.raises(TransitionNotAllowed):
        services.ticket_provide_workaround(ticket=ticket, actor=users["agent"], workaround="Neu starten.")
    ticket.refresh_from_db()
    assert ticket.workaround == "" and _codes(ticket) == [EventCode.CREATED]


def test_fix_release_is_recorded_once(file_ticket, users):
    ticket = services.ticket_set_fix_release(ticket=file_ticket(), actor=users["agent"], release="7.3")
    services.ticket_set_fix_release(ticket=ticket, actor=users["agent"], release=" 7.3 ")
    assert ticket.fixed_in_release == "7.3"
    assert _codes(ticket).count(EventCode.FIX_RELEASE_CHANGED) == 1


# --- assignment ------------------------------------------------------------------------------

def test_agent_assigns_and_the_event_is_internal(file_ticket, users):
    ticket = services.ticket_assign(ticket=file_ticket(), actor=users["manager"], assignee=users["agent"])
    assert ticket.assignee == users["agent"]
    event = ticket.events.last()
    assert event.code == EventCode.ASSIGNED and not event.is_public
    assert event.payload["new"]["assignee"] == {"id": users["agent"].pk, "name": "Anja Böhm"}
    assert event.payload["old"]["assignee"] is None


def test_assigning_the_same_person_writes_nothing(file_ticket, users):
    ticket = services.ticket_assign(ticket=file_ticket(), actor=users["agent"], assignee=users["agent"])
    services.ticket_assign(ticket=ticket, actor=users["agent"], assignee=users["agent"])
    assert _codes(ticket).count(EventCode.ASSIGNED) == 1


def test_team_change_keeps_the_assignee(file_ticket, users, demo):
    ticket = services.ticket_assign(ticket=file_ticket(), actor=users["agent"], assignee=users["agent"])
    ticket = services.ticket_assign(ticket=ticket, actor=users["agent"], team=demo["teams"]["pos-hotline"])
    assert ticket.assignee == users["agent"] and ticket.team.slug == "pos-hotline"


def test_reseller_agent_cannot_be_assigned_to_a_vendor_customer(file_ticket, users):
    with pytest.raises(ValidationError):
        services.ticket_assign(ticket=file_ticket(), actor=users["agent"], assignee=users["partner-agent"])


def test_customer_cannot_assign(file_ticket, users):
    with pytest.raises(PermissionDenied):
        services.ticket_assign(ticket=file_ticket(), actor=users["customer"], assignee=users["agent"])
