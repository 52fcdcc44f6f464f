"""Retention: closed tickets past their organisation's period lose texts and attachments, in
batches, once; everything else stays."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from privacy.models import AnonymisedTicket, RetentionRule
from privacy.services import retention_apply
from privacy.tasks import retention_run
from sla.choices import Status
from tests.factories import ContactFactory, TicketFactory
from tests.privacy.conftest import NOW, ROLES_WITHOUT_PRIVACY, upload
from tickets.models import Attachment, Comment, Ticket, TimeEntry

pytestmark = pytest.mark.django_db
REMOVED = "[Removed for data protection]"


def _closed(ticket, days_ago: int):
    """Test setup: the ticket was closed `days_ago` days before the fixed clock."""
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.CLOSED, closed_at=NOW - timedelta(days=days_ago))
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def rule(people):
    return RetentionRule.objects.create(organisation=people["contact"].organisation, closed_ticket_days=30)


def test_without_a_rule_nothing_is_touched(people, filed):
    _closed(filed["ticket"], 3650)
    assert retention_apply(now=NOW).tickets == 0
    filed["ticket"].refresh_from_db()
    assert filed["ticket"].subject.startswith("Störung")


def test_closed_ticket_past_the_period_loses_texts_and_files(rule, people, filed):
    ticket = _closed(filed["ticket"], 31)
    before = {f: getattr(ticket, f) for f in (
        "reference", "requester_id", "assignee_id", "organisation_id", "reported_at", "closed_at",
        "reaction_due_at", "first_reaction_at", "sla_state", "reaction_state", "severity")}
    outcome = retention_apply(now=NOW)
    assert outcome.tickets == 1
    ticket.refresh_from_db()
    assert (ticket.subject, ticket.description, ticket.callback_phone) == (REMOVED, REMOVED, "")
    assert {f: getattr(ticket, f) for f in before} == before
    assert set(Comment.objects.filter(ticket=ticket).values_list("body", flat=True)) == {REMOVED}
    assert not Attachment.objects.filter(ticket=ticket).exists()
    entry = TimeEntry.objects.get(ticket=ticket)
    assert (entry.minutes, entry.note) == (45, "")
    assert AnonymisedTicket.objects.filter(ticket=ticket, anonymised_at=NOW).exists()
    # The people stay as they are: retention is about tickets, erasure about people.
    people["contact"].refresh_from_db()
    assert people["contact"].email == "erika@example.com"


@pytest.mark.parametrize(("status", "days_ago"), [(Status.CLOSED, 29), (Status.RESOLVED, 90), (Status.NEW, 90)])
def test_recent_or_not_closed_tickets_stay(rule, filed, status, days_ago):
    ticket = _closed(filed["ticket"], days_ago)
    Ticket.objects.filter(pk=ticket.pk).update(status=status)
    assert retention_apply(now=NOW).tickets == 0
    ticket.refresh_from_db()
    assert ticket.subject.startswith("Störung")


def test_other_organisations_follow_their_own_rule(rule, filed):
    other = TicketFactory(requester=ContactFactory())
    _closed(other, 400)
    _closed(filed["ticket"], 400)
    assert retention_apply(now=NOW).tickets == 1
    other.refresh_from_db()
    assert other.subject.startswith("Störung")


def test_a_second_run_does_nothing(rule, people, filed):
    _closed(filed["ticket"], 31)
    assert retention_apply(now=NOW).tickets == 1
    again = retention_apply(now=NOW + timedelta(days=1))
    assert (again.tickets, again.batches) == (0, 0)


def test_batches_in_id_order(rule, people):
    from tickets.services import attachment_add

    tickets = [TicketFactory(requester=people["contact"]) for _ in range(5)]
    attachment_add(ticket=tickets[0], actor=people["contact"], file=upload())
    for ticket in tickets:
        _closed(ticket, 60)
    outcome = retention_apply(now=NOW, batch_size=2)
    assert (outcome.tickets, outcome.batches, len(outcome.batch_seconds)) == (5, 3, 3)
    assert outcome.longest_batch_seconds == max(outcome.batch_seconds)
    assert set(Ticket.objects.values_list("subject", flat=True)) == {REMOVED}


def test_the_task_runs_the_retention_and_is_scheduled_daily(rule, filed):
    _closed(filed["ticket"], 3650)  # the task reads the real clock: ten years before the fixed one
    assert retention_run.delay().get()["tickets"] == 1
    assert retention_run.delay().get()["tickets"] == 0
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-retention"]
    assert entry["task"] == "privacy.tasks.retention_run"
    assert entry["schedule"].hour == {3}


def test_period_is_at_least_the_reopen_window(people):
    organisation = people["contact"].organisation
    rule = RetentionRule(organisation=organisation, closed_ticket_days=settings.TICKET_REOPEN_DAYS - 1)
    with pytest.raises(ValidationError):
        rule.full_clean()
    rule.closed_ticket_days = settings.TICKET_REOPEN_DAYS
    rule.full_clean()


def test_admin_sets_a_retention_rule(client, admin_user, people):
    client.force_login(admin_user)
    organisation = people["contact"].organisation
    response = client.post(reverse("admin:privacy_retentionrule_add"),
                           {"organisation": organisation.pk, "closed_ticket_days": 365})
    assert response.status_code == 302
    assert RetentionRule.objects.get().closed_ticket_days == 365


@pytest.mark.parametrize("role", ROLES_WITHOUT_PRIVACY)
def test_other_roles_cannot_set_retention(client, people, role):
    person = people[role]
    person.is_staff = True  # even with access to the admin
    person.save(update_fields=["is_staff"])
    client.force_login(person)
    response = client.post(reverse("admin:privacy_retentionrule_add"),
                           {"organisation": people["contact"].organisation.pk, "closed_ticket_days": 365})
    assert response.status_code == 403
    assert not RetentionRule.objects.exists()
