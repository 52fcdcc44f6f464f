"""`ticket_create` owns the filing rules of every entry point (portal, API, e-mail, phone form,
devices) and decides once whether a filing is new or a repeat of an earlier one."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from tests.factories import AgentFactory, ContactFactory, OrganisationFactory, ResellerFactory, UserFactory
from tests.tickets.sla_helpers import clock
from tickets.choices import Channel
from tickets.models import Ticket, TicketEvent
from tickets.services import Filed, IdempotencyConflict, ticket_change_severity, ticket_create

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # a Wednesday morning
FAULT = {"subject": "Waage wiegt falsch", "description": "Anzeige springt um 3 g.", "category": "fault",
         "severity": "minor"}


@pytest.fixture
def people():
    """A customer with a contact and a reader, another customer, the vendor's agent (who supports
    both) and a reseller's agent (who supports neither)."""
    customer, other = OrganisationFactory(), OrganisationFactory()
    return {
        "customer": customer,
        "other": other,
        "contact": ContactFactory(organisation=customer),
        "colleague": ContactFactory(organisation=customer),
        "reader": UserFactory(organisation=customer, role=Role.READER),
        "other-contact": ContactFactory(organisation=other),
        "agent": AgentFactory(),
        "second-agent": AgentFactory(),
        "reseller-agent": AgentFactory(organisation=ResellerFactory()),
    }


def _file(**fields) -> Filed:
    with clock(NOW):
        return ticket_create(**{**FAULT, **fields})


def _written():
    return Ticket.objects.count(), TicketEvent.objects.count()


# Customers: their own organisation, in their own name.

def test_a_contact_files_for_its_own_organisation_in_its_own_name_by_default(people):
    filed = _file(actor=people["contact"], via=Channel.API)
    assert filed.created
    ticket = filed.ticket
    assert (ticket.organisation, ticket.requester, ticket.channel) == (people["customer"], people["contact"], "api")
    assert ticket.reported_at == NOW


@pytest.mark.parametrize("via", [Channel.PORTAL, Channel.EMAIL, None])
@pytest.mark.parametrize("party", ["organisation", "requester"])
def test_a_contact_cannot_file_for_another_organisation_or_person(people, via, party):
    # Given a choice the portal and e-mail never offer (a valid filing, but not the contact's own)
    parties = {
        "organisation": {"organisation": people["other"], "requester": people["other-contact"]},
        "requester": {"organisation": people["customer"], "requester": people["colleague"]},
    }[party]
    before = _written()
    # Then it is refused outright
    with pytest.raises(PermissionDenied, match="cannot file tickets for this organisation"):
        _file(actor=people["contact"], via=via, **parties)
    assert _written() == before


def test_through_the_api_a_contacts_foreign_choices_are_field_errors(people):
    with pytest.raises(ValidationError) as refused:
        _file(actor=people["contact"], via=Channel.API, organisation=people["other"].pk,
              requester=people["colleague"].pk)
    assert refused.value.message_dict == {
        "organisation": ["You file tickets for your own organisation."],
        "requester": ["You file tickets in your own name."],
    }


@pytest.mark.parametrize("via", [Channel.API, Channel.PORTAL, Channel.EMAIL, None])
def test_a_reader_never_files(people, via):
    before = _written()
    with pytest.raises(PermissionDenied, match="can read your organisation's tickets but cannot file them"):
        _file(actor=people["reader"], via=via)
    assert _written() == before


# Agents: organisations they support, a contact of it or nobody as requester.

def test_an_agent_files_for_a_supported_organisation_with_or_without_requester(people):
    for_contact = _file(actor=people["agent"], via=Channel.API, organisation=people["customer"].pk,
                        requester=people["contact"].pk).ticket
    for_nobody = _file(actor=people["agent"], via=Channel.API, organisation=people["customer"].pk).ticket
    assert (for_contact.requester, for_nobody.requester) == (people["contact"], None)
    assert for_contact.events.get().actor == people["agent"]


@pytest.mark.parametrize(("via", "refusal", "field", "message"), [
    (Channel.API, ValidationError, "organisation", "Choose a customer organisation whose tickets you work on."),
    (Channel.PHONE, ValidationError, "requester", "You cannot file tickets for this organisation."),
    (None, PermissionDenied, None, "You cannot file tickets for this organisation."),
])
def test_an_agent_cannot_file_for_an_organisation_it_does_not_support(people, via, refusal, field, message):
    organisation = people["customer"].pk if via == Channel.API else people["customer"]
    with pytest.raises(refusal) as refused:
        _file(actor=people["reseller-agent"], via=via, organisation=organisation, requester=people["contact"],
              reported_at=NOW - timedelta(hours=1) if via == Channel.PHONE else None)
    if field:
        assert refused.value.message_dict[field] == [message]
    else:
        assert str(refused.value) == message


def test_an_agents_requester_must_be_a_contact_of_the_organisation(people):
    with pytest.raises(ValidationError) as refused:
        _file(actor=people["agent"], via=Channel.API, organisation=people["customer"].pk,
              requester=people["other-contact"].pk)
    assert refused.value.message_dict == {
        "requester": ["The requester must be a registered contact of the organisation."]
    }


def test_only_agents_log_phone_calls(people):
    with pytest.raises(PermissionDenied, match="Only agents log phone calls"):
        _file(actor=people["contact"], via=Channel.PHONE, requester=people["contact"],
              reported_at=NOW - timedelta(hours=1))


def test_devices_file_as_the_system_only(people):
    filed = _file(actor=None, via=Channel.DEVICE, organisation=people["customer"])
    assert (filed.ticket.channel, filed.ticket.requester) == ("device", None)
    with pytest.raises(PermissionDenied, match="does not allow filing"):
        _file(actor=people["agent"], via=Channel.DEVICE, organisation=people["customer"])


# The channel and the time of the report.

@pytest.mark.parametrize(("actor", "via", "channel", "message"), [
    ("contact", Channel.API, Channel.PHONE, "Only agents choose the channel."),
    ("contact", Channel.PORTAL, Channel.EMAIL, "Only agents choose the channel."),
    ("agent", Channel.API, Channel.PORTAL, "Choose api, phone or email."),
    ("agent", Channel.PHONE, Channel.API, "Choose api, phone or email."),
])
def test_who_may_choose_the_channel(people, actor, via, channel, message):
    with pytest.raises(ValidationError) as refused:
        _file(actor=people[actor], via=via, organisation=people["customer"], requester=people["contact"],
              channel=channel)
    assert refused.value.message_dict["channel"] == [message]


@pytest.mark.parametrize("channel", [Channel.PHONE, Channel.EMAIL])
def test_an_agent_records_a_call_or_mail_through_the_api_with_the_time_it_came_in(people, channel):
    came_in = NOW - timedelta(hours=2)
    ticket = _file(actor=people["agent"], via=Channel.API, organisation=people["customer"].pk,
                   requester=people["contact"].pk, channel=channel, reported_at=came_in).ticket
    assert (ticket.channel, ticket.reported_at) == (channel, came_in)


@pytest.mark.parametrize(("actor", "via", "channel", "message"), [
    ("contact", Channel.API, None, "Only agents set the time of the report, for phone and e-mail tickets."),
    ("contact", Channel.PORTAL, None, "Only agents set the time of the report, for phone and e-mail tickets."),
    ("agent", Channel.API, Channel.API, "The time of the report can be set for phone and e-mail tickets only."),
])
def test_who_may_set_the_time_of_the_report(people, actor, via, channel, message):
    with pytest.raises(ValidationError) as refused:
        _file(actor=people[actor], via=via, organisation=people["customer"].pk, channel=channel,
              reported_at=NOW - timedelta(hours=2))
    assert refused.value.message_dict["reported_at"] == [message]


def test_the_mail_gateway_files_at_the_mails_date(people):
    sent = NOW - timedelta(hours=3)
    ticket = _file(actor=people["contact"], via=Channel.EMAIL, organisation=people["customer"],
                   requester=people["contact"], reported_at=sent).ticket
    assert (ticket.channel, ticket.reported_at) == ("email", sent)


@pytest.mark.parametrize(("channel", "message"), [
    (Channel.PHONE, "The time of the call cannot be in the future."),
    (Channel.EMAIL, "The time of the report cannot be in the future."),
])
def test_a_report_time_in_the_future_is_refused(people, channel, message):
    with pytest.raises(ValidationError) as refused:
        _file(actor=people["agent"], via=Channel.API, organisation=people["customer"].pk, channel=channel,
              reported_at=NOW + timedelta(minutes=6))
    assert refused.value.message_dict["reported_at"] == [message]


# New or repeated: decided once, by the key, scoped to who files.

def test_the_same_key_again_is_a_repeat_and_writes_nothing(people):
    first = _file(actor=people["contact"], via=Channel.API, idempotency_key="erp-4711")
    before = _written()
    again = _file(actor=people["contact"], via=Channel.API, idempotency_key="erp-4711")
    assert (first.created, again.created) == (True, False)
    assert again.ticket.pk == first.ticket.pk
    assert _written() == before


def test_an_agent_filing_without_requester_twice_with_one_key_files_once(people):
    fields = {"actor": people["agent"], "via": Channel.API, "organisation": people["customer"].pk,
              "idempotency_key": "leitstand-1"}
    first, again = _file(**fields), _file(**fields)
    assert (first.created, again.created) == (True, False)
    assert again.ticket.pk == first.ticket.pk
    assert Ticket.objects.filter(subject=FAULT["subject"]).count() == 1


def test_keys_are_per_person_who_files_not_per_requester(people):
    # Two agents and the contact herself use the same key for the same requester: three tickets
    tickets = {
        _file(actor=people[who], via=Channel.API, organisation=people["customer"].pk,
              requester=people["contact"].pk, idempotency_key="k-1").ticket.pk
        for who in ("agent", "second-agent", "contact")
    }
    assert len(tickets) == 3


@pytest.mark.parametrize("change", [
    {"subject": "Etwas anderes"},
    {"severity": "severe"},
    {"requester": "colleague"},
    {"requester": None},
    {"channel": Channel.PHONE},
])
def test_through_the_api_the_same_key_with_another_filing_is_a_conflict(people, change):
    fields = {"actor": people["agent"], "via": Channel.API, "organisation": people["customer"].pk,
              "requester": people["contact"].pk, "idempotency_key": "k-2"}
    first = _file(**fields).ticket
    if change.get("requester"):
        change = {"requester": people[change["requester"]].pk}
    before = _written()
    with pytest.raises(IdempotencyConflict) as conflict:
        _file(**{**fields, **change})
    assert conflict.value.ticket.pk == first.pk
    assert first.reference in str(conflict.value)
    assert _written() == before


def test_a_repeat_after_an_agent_changed_the_severity_is_still_the_same_filing(people):
    fields = {"actor": people["contact"], "via": Channel.API, "idempotency_key": "k-3"}
    first = _file(**fields).ticket
    with clock(NOW):
        ticket_change_severity(ticket=first, actor=people["agent"], severity="severe")
    again = _file(**fields)
    assert (again.created, again.ticket.pk, again.ticket.severity) == (False, first.pk, "severe")


def test_the_forms_keys_return_the_first_ticket_whatever_changed(people):
    # A double submit of the portal form after going back and editing it
    fields = {"actor": people["contact"], "via": Channel.PORTAL, "organisation": people["customer"],
              "requester": people["contact"], "idempotency_key": "f" * 32}
    first = _file(**fields)
    again = _file(**{**fields, "subject": "Nochmal, anders"})
    assert (again.created, again.ticket.pk) == (False, first.ticket.pk)


def test_agents_racing_with_one_key_and_no_requester_file_once(people, monkeypatch):
    """The other request committed after our check: the database refuses our insert (a ticket
    without requester is unique by its key), ours is rolled back and the winner returned."""
    from tickets.services import creation

    fields = {"actor": people["agent"], "via": Channel.API, "organisation": people["customer"].pk,
              "idempotency_key": "k-4"}
    winner = _file(**fields).ticket
    real_check, checks = creation._already_filed, []

    def misses_the_first_time(owner, key):
        checks.append(key)
        return None if len(checks) == 1 else real_check(owner, key)

    monkeypatch.setattr(creation, "_already_filed", misses_the_first_time)
    before = _written()
    again = _file(**fields)
    assert (again.created, again.ticket.pk, len(checks)) == (False, winner.pk, 2)
    assert _written() == before
