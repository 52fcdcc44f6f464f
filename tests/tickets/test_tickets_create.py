"""Filing a ticket through `ticket_create`: validation, routing, events, idempotency."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sla.choices import SlaState, Status
from tickets.choices import Channel
from tickets.models import EventCode, Ticket, TicketEvent
from tickets.services import ticket_create

pytestmark = pytest.mark.django_db


def test_filed_ticket_is_new_with_reference_event_and_activity(file_ticket, users):
    ticket = file_ticket()
    assert ticket.reference.startswith(f"HD-{timezone.localtime(ticket.reported_at).year}-")  # its own clock
    assert ticket.status == Status.NEW
    assert ticket.sla_state == SlaState.ON_TRACK  # Müller has a contract: the deadlines are set at once
    assert ticket.reaction_due_at is not None and ticket.first_reaction_at is None
    event = ticket.events.get()
    assert event.code == EventCode.CREATED
    assert event.actor == users["customer"]
    assert event.is_public
    assert event.payload["category"] == "fault"
    assert ticket.last_activity_at == event.created_at


def _counts():
    return Ticket.objects.count(), TicketEvent.objects.count()


def test_fault_without_severity_is_refused_and_nothing_is_written(file_ticket):
    before = _counts()
    with pytest.raises(ValidationError) as error:
        file_ticket(severity="")
    assert "severity" in error.value.message_dict
    assert _counts() == before


def test_data_loss_needs_a_severity_too(file_ticket):
    with pytest.raises(ValidationError):
        file_ticket(category="data_loss", severity="")


def test_question_drops_a_severity(file_ticket):
    ticket = file_ticket(category="question", severity="severe")
    assert ticket.severity == ""


@pytest.mark.parametrize("field", ["subject", "description"])
def test_blank_subject_or_description_is_refused(file_ticket, field):
    with pytest.raises(ValidationError) as error:
        file_ticket(**{field: "   "})
    assert field in error.value.message_dict


def test_unknown_category_is_refused(file_ticket):
    with pytest.raises(ValidationError) as error:
        file_ticket(category="complaint")
    assert "category" in error.value.message_dict


@pytest.mark.parametrize(
    ("username", "category", "team"),
    [
        ("customer", "fault", "de-1st-level"),
        ("customer", "question", "de-1st-level"),
        ("us-customer", "fault", "us-desk"),
        ("pos-customer", "fault", "pos-hotline"),
        ("pos-customer", "data_loss", "pos-hotline"),
        ("pos-customer", "question", "de-1st-level"),
        ("partner-customer", "fault", "partnersoft"),
        ("partner-customer", "order", "partnersoft"),
    ],
)
def test_ticket_goes_to_the_routed_team(file_ticket, username, category, team):
    ticket = file_ticket(username, category=category, severity="minor")
    assert ticket.team.slug == team


def test_reseller_customer_ignores_a_route_to_the_vendor(file_ticket, orgs, demo):
    from tickets.models import TeamRoute

    TeamRoute.objects.create(organisation=orgs["baeckerei"], category="", team=demo["teams"]["de-1st-level"])
    assert file_ticket("partner-customer").team.slug == "partnersoft"


def test_organisation_without_route_leaves_the_team_empty(file_ticket, orgs):
    orgs["mueller"].team_routes.all().delete()
    assert file_ticket().team is None


def test_same_idempotency_key_returns_the_first_ticket(file_ticket):
    first = file_ticket(idempotency_key="a" * 32)
    after_first = _counts()
    second = file_ticket(idempotency_key="a" * 32, subject="Nochmal abgeschickt")
    assert second.pk == first.pk
    assert _counts() == after_first


def test_idempotency_key_is_per_requester(file_ticket, orgs, users):
    from tests.factories import ContactFactory

    colleague = ContactFactory(organisation=orgs["mueller"])
    mine = file_ticket(idempotency_key="b" * 32)
    theirs = ticket_create(
        organisation=orgs["mueller"], requester=colleague, actor=colleague, subject="Auch kaputt",
        description="Bei mir auch.", category="question", idempotency_key="b" * 32,
    ).ticket
    assert theirs.pk != mine.pk


def test_reader_cannot_file(file_ticket, users):
    with pytest.raises(ValidationError):
        # a reader is no registered contact: refused as requester
        file_ticket("reader")
    with pytest.raises(PermissionDenied):
        file_ticket(requester=users["customer"], actor=users["reader"])


def test_customer_cannot_file_for_another_organisation(file_ticket, users, orgs):
    with pytest.raises(PermissionDenied):
        file_ticket(requester=users["us-customer"], organisation=orgs["acme"], actor=users["customer"])


def test_agent_logs_a_phone_call_with_the_time_it_came_in(file_ticket, users):
    rang_at = timezone.now() - timedelta(minutes=20)
    ticket = file_ticket(actor=users["agent"], channel=Channel.PHONE, reported_at=rang_at)
    assert ticket.channel == Channel.PHONE
    assert ticket.reported_at == rang_at.replace(microsecond=0)  # the SLA engine works to the second
    assert ticket.requester == users["customer"]
    assert ticket.events.get().actor == users["agent"]


def test_reseller_agent_cannot_file_for_a_vendor_customer(file_ticket, users):
    with pytest.raises(PermissionDenied):
        file_ticket(actor=users["partner-agent"])


def test_report_time_in_the_future_is_refused(file_ticket, users):
    with pytest.raises(ValidationError) as error:
        file_ticket(actor=users["agent"], reported_at=timezone.now() + timedelta(hours=1))
    assert "reported_at" in error.value.message_dict


def test_device_ticket_has_no_requester(orgs):
    ticket = ticket_create(
        organisation=orgs["retail"], requester=None, subject="Kasse 2 meldet Druckerfehler",
        description="Automatische Meldung", category="fault", severity="minor", channel=Channel.DEVICE,
    ).ticket
    assert ticket.requester is None
    assert ticket.events.get().actor is None


def test_ticket_for_a_reseller_or_vendor_organisation_is_refused(orgs):
    with pytest.raises(ValidationError) as error:
        ticket_create(organisation=orgs["partner"], requester=None, subject="x", description="y", category="question")
    assert "organisation" in error.value.message_dict


def test_accepted_out_of_hours_notice_is_stored_with_person_and_time(file_ticket, users):
    notice = "Unser Support ist gerade geschlossen. … kostenpflichtig …"
    ticket = file_ticket(severity="severe", out_of_hours_notice=notice)
    assert ticket.out_of_hours_notice == notice
    assert ticket.out_of_hours_accepted_by == users["customer"]
    assert ticket.out_of_hours_accepted_at is not None
    assert list(ticket.events.values_list("code", flat=True)) == [
        EventCode.CREATED, EventCode.OUT_OF_HOURS_ACCEPTED,
    ]


def test_without_notice_nothing_is_accepted(file_ticket):
    ticket = file_ticket(severity="severe")
    assert ticket.out_of_hours_accepted_at is None and ticket.out_of_hours_notice == ""


def test_double_submit_that_races_past_the_check_returns_the_winner(file_ticket, monkeypatch):
    """The other submit committed after our check: the unique constraint catches our insert,
    our half-made ticket is rolled back, and the winner is returned."""
    from tickets.services import creation

    winner = file_ticket(subject="Gewinner", idempotency_key="e" * 32)
    real_check = creation._already_filed
    checks = []

    def check_misses_the_first_time(requester, key):
        checks.append(key)
        return None if len(checks) == 1 else real_check(requester, key)

    monkeypatch.setattr(creation, "_already_filed", check_misses_the_first_time)
    before = _counts()
    returned = file_ticket(idempotency_key="e" * 32, subject="Verlierer")
    assert returned.pk == winner.pk
    assert len(checks) == 2  # the insert failed and the constraint path looked again
    assert _counts() == before
