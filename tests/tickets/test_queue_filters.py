"""Queue filters (from the URL) and who sees what: a reseller's agent only the organisations its
reseller supports, the vendor's agents everything else."""

import pytest
from django.utils import timezone

from tests.tickets.agent_helpers import set_deadlines
from tickets import services
from tickets.models import Ticket
from tickets.selectors_queue import QueueFilters, tickets_for_agent_queue

pytestmark = pytest.mark.django_db


def _refs(user, **filters):
    return {t.reference for t in tickets_for_agent_queue(user=user, filters=QueueFilters(**filters),
                                                         now=timezone.now())}


def test_vendor_agents_never_see_the_resellers_customers(users, orgs):
    seen = Ticket.objects.filter(reference__in=_refs(users["agent"], status="all"))
    assert seen.exists()
    assert not seen.filter(organisation=orgs["baeckerei"]).exists()
    assert set(seen.values_list("organisation__support_partner", flat=True)) == {None}


def test_a_resellers_agent_sees_only_the_organisations_it_supports(users, orgs):
    seen = Ticket.objects.filter(reference__in=_refs(users["partner-agent"], status="all"))
    assert seen.exists()
    assert set(seen.values_list("organisation", flat=True)) == {orgs["baeckerei"].pk}


def test_customers_get_an_empty_queue_from_the_selector(users):
    assert _refs(users["customer"], status="all") == set()


def test_status_filter_open_all_and_one_status(users):
    open_refs = _refs(users["agent"])
    all_refs = _refs(users["agent"], status="all")
    closed = set(Ticket.objects.filter(status="closed", reference__in=all_refs).values_list("reference", flat=True))
    assert closed and not (closed & open_refs)
    assert _refs(users["agent"], status="closed") == closed
    assert open_refs == set(Ticket.objects.filter(reference__in=all_refs).exclude(
        status__in=["resolved", "closed"]).values_list("reference", flat=True))


def test_assignee_filters_me_unassigned_and_a_person(users, file_ticket):
    mine = file_ticket()
    services.ticket_assign(ticket=mine, actor=users["agent"], assignee=users["agent"])
    theirs = file_ticket()
    services.ticket_assign(ticket=theirs, actor=users["agent"], assignee=users["manager"])
    nobody = file_ticket()
    assert mine.reference in _refs(users["agent"], assignee="me")
    assert theirs.reference not in _refs(users["agent"], assignee="me")
    assert nobody.reference in _refs(users["agent"], assignee="unassigned")
    assert mine.reference not in _refs(users["agent"], assignee="unassigned")
    assert _refs(users["agent"], assignee=str(users["manager"].pk)) >= {theirs.reference}
    assert mine.reference not in _refs(users["agent"], assignee=str(users["manager"].pk))


def test_team_severity_channel_and_organisation_filters(users, orgs, demo, file_ticket):
    severe = file_ticket(severity="severe")
    minor = file_ticket(severity="minor")
    services.ticket_assign(ticket=minor, actor=users["agent"], team=demo["teams"]["pos-hotline"])
    assert severe.reference in _refs(users["agent"], severity="severe")
    assert minor.reference not in _refs(users["agent"], severity="severe")
    pos = _refs(users["agent"], team=str(demo["teams"]["pos-hotline"].pk))
    assert minor.reference in pos and severe.reference not in pos
    assert severe.reference in _refs(users["agent"], organisation="Müller")
    assert severe.reference in _refs(users["agent"], organisation=orgs["mueller"].customer_number)
    assert severe.reference not in _refs(users["agent"], organisation="Acme")
    assert severe.reference in _refs(users["agent"], channel="portal")
    assert severe.reference not in _refs(users["agent"], channel="phone")


def test_no_team_filter(users, file_ticket):
    ticket = file_ticket()
    services.ticket_assign(ticket=ticket, actor=users["agent"], team=None)
    assert ticket.reference in _refs(users["agent"], team="none")


def test_the_organisation_filter_cannot_reach_foreign_organisations(users, orgs):
    # The reseller's customer, searched by the vendor's agent, stays invisible.
    assert _refs(users["agent"], status="all", organisation=orgs["baeckerei"].customer_number) == set()


def test_sla_state_breached_includes_a_deadline_the_scan_has_not_marked_yet(users, file_ticket):
    # Given a ticket whose reaction deadline passed, still stored as "on track"
    ticket = set_deadlines(file_ticket(), reaction_in=-1, sla_state="on_track")
    # Then it is breached for the filter, and no longer on track
    assert ticket.reference in _refs(users["agent"], sla_state="breached")
    assert ticket.reference not in _refs(users["agent"], sla_state="on_track")


def test_text_search_over_reference_subject_and_description(users, file_ticket):
    ticket = file_ticket(subject="Kühlhaus-Sensor meldet Übertemperatur", description="Der Fühler im Lager Süd spinnt.")
    other = file_ticket(subject="Drucker", description="Papierstau")
    assert ticket.reference in _refs(users["agent"], q="Kühlhaus")
    assert ticket.reference in _refs(users["agent"], q="fühler süd")
    assert other.reference not in _refs(users["agent"], q="fühler süd")
    assert _refs(users["agent"], q=ticket.reference) == {ticket.reference}
    assert ticket.reference in _refs(users["agent"], q=ticket.reference.lower())
    assert ticket.reference in _refs(users["agent"], q=ticket.reference[-6:])


def test_search_words_are_prefixes_and_punctuation_is_harmless(users, file_ticket):
    ticket = file_ticket(subject="Waagenschnittstelle fällt aus")
    assert ticket.reference in _refs(users["agent"], q="Waagen")
    assert _refs(users["agent"], q="'):* & !|") == _refs(users["agent"])  # no words: no text filter
