"""Fair auto-assignment (`tickets.services.auto_assignment`): least weighted open load, absences
skipped, round robin among equals, never someone who cannot see the ticket, explained in the
history in both languages."""

import threading
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections
from django.utils import translation

from accounts.models import Absence, AssignmentTurn, Organisation
from tests.factories import (
    AgentFactory,
    ContactFactory,
    OrganisationFactory,
    ResellerFactory,
    TeamFactory,
    TeamRouteFactory,
    TicketFactory,
    VendorFactory,
)
from tickets.models import EventCode, Ticket
from tickets.services import auto_assignment
from tickets.timeline import describe

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 8, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))
TODAY = date(2026, 12, 8)


@pytest.fixture
def desk():
    """A vendor team of three agents that assigns automatically, routed for one customer."""
    vendor = VendorFactory()
    agents = [AgentFactory(organisation=vendor, first_name=name, last_name="Agent") for name in ("Anna", "Ben", "Cem")]
    team = TeamFactory(organisation=vendor, auto_assign=True)
    team.members.set(agents)
    customer = OrganisationFactory()
    TeamRouteFactory(organisation=customer, team=team)
    contact = ContactFactory(organisation=customer)
    return {"vendor": vendor, "agents": agents, "team": team, "customer": customer, "contact": contact}


def _open_ticket(desk, assignee, severity="minor", n=[0]):  # noqa: B006 (a counter for unique references)
    n[0] += 1
    return Ticket.objects.create(
        reference=f"T-{n[0]:06d}", subject="Störung", description="Fehler 42", category="fault", severity=severity,
        organisation=desk["customer"], requester=desk["contact"], team=desk["team"], assignee=assignee,
        reported_at=NOW, last_activity_at=NOW,
    )


def _pick(desk, **kwargs):
    return auto_assignment.pick(team=desk["team"], organisation_id=desk["customer"].pk, now=NOW, **kwargs)


def test_a_thousand_tickets_spread_within_one_of_equal_load_skipping_the_absent(desk):
    anna, ben, cem = desk["agents"]
    Absence.objects.create(agent=cem, starts_on=TODAY - timedelta(days=1), ends_on=TODAY + timedelta(days=3))
    for _ in range(1000):
        choice = _pick(desk)
        _open_ticket(desk, choice.agent)
    counts = Counter(Ticket.objects.values_list("assignee_id", flat=True))
    assert counts[cem.pk] == 0
    assert counts[anna.pk] + counts[ben.pk] == 1000
    assert abs(counts[anna.pk] - counts[ben.pk]) <= 1


def test_the_lowest_weighted_load_wins_and_severe_weighs_more(desk):
    anna, ben, cem = desk["agents"]
    _open_ticket(desk, anna, "severe")  # 3
    for _ in range(2):
        _open_ticket(desk, ben, "minor")  # 2
    for _ in range(3):
        _open_ticket(desk, cem, "minor")  # 3
    choice = _pick(desk)
    assert (choice.agent, choice.load) == (ben, 2 * auto_assignment.MINOR_WEIGHT)
    assert auto_assignment.loads_for([anna.pk, cem.pk]) == {anna.pk: auto_assignment.SEVERE_WEIGHT, cem.pk: 3}


def test_closed_tickets_do_not_count(desk):
    anna, ben, cem = desk["agents"]
    for agent in (anna, ben):
        _open_ticket(desk, agent)
    for _ in range(5):
        Ticket.objects.filter(pk=_open_ticket(desk, cem).pk).update(status="closed")
    assert _pick(desk).agent == cem


def test_round_robin_among_equals_takes_the_least_recently_chosen(desk):
    anna, ben, cem = desk["agents"]
    chosen = [_pick(desk).agent for _ in range(6)]  # nobody's load grows: only the turns decide
    assert chosen == [anna, ben, cem, anna, ben, cem]
    assert AssignmentTurn.objects.get(team=desk["team"], agent=cem).turn == 6


def test_an_absence_counts_on_its_first_and_last_day_only(desk):
    anna, ben, cem = desk["agents"]
    Absence.objects.create(agent=anna, starts_on=TODAY, ends_on=TODAY)
    Absence.objects.create(agent=ben, starts_on=TODAY + timedelta(days=1), ends_on=TODAY + timedelta(days=2))
    Absence.objects.create(agent=cem, starts_on=TODAY - timedelta(days=5), ends_on=TODAY - timedelta(days=1))
    choice = _pick(desk)
    assert choice.agent == ben and choice.absent == 1 and choice.available == 2


def test_nobody_available_leaves_the_ticket_to_the_team(desk):
    for agent in desk["agents"]:
        Absence.objects.create(agent=agent, starts_on=TODAY, ends_on=TODAY, kind=Absence.Kind.SICK)
    assert _pick(desk) is None
    assert not AssignmentTurn.objects.exists()


def test_never_someone_who_cannot_see_the_ticket(desk):
    anna, ben, cem = desk["agents"]
    reseller = ResellerFactory()
    outsider = AgentFactory(organisation=reseller)  # a reseller's agent sees only its own customers
    inactive = AgentFactory(organisation=desk["vendor"], is_active=False)
    customer_person = ContactFactory(organisation=desk["customer"])
    desk["team"].members.add(outsider, inactive, customer_person)
    for agent in (anna, ben, cem):
        for _ in range(4):
            _open_ticket(desk, agent)
    assert _pick(desk).agent in (anna, ben, cem)
    supported = OrganisationFactory(support_partner=reseller)
    assert auto_assignment.fair_choice(team=desk["team"], organisation_id=supported.pk, now=NOW).agent == outsider
    assert Organisation.objects.filter(pk=supported.pk).exists()


def test_a_new_ticket_of_an_auto_assigning_team_is_assigned_and_explained(desk, settings):
    anna, ben, cem = desk["agents"]
    _open_ticket(desk, anna)
    _open_ticket(desk, ben)
    Absence.objects.create(agent=cem, starts_on=TODAY - timedelta(days=30), ends_on=TODAY + timedelta(days=30))
    ticket = TicketFactory(requester=desk["contact"], organisation=desk["customer"])
    assert ticket.assignee == anna  # equal load 1: Anna is first in the round (lower id, no turn yet)
    event = ticket.events.get(code=EventCode.ASSIGNED)
    assert not event.is_public and event.actor is None
    assert event.payload["auto"] == {"reason": "new_ticket", "load": 1, "available": 2, "absent": 1}
    with translation.override("en"):
        assert describe(event, "") == (
            "Assigned automatically to Anna Agent: lowest load 1 among 2 available agents. 1 absent agent skipped."
        )
    with translation.override("de"):
        assert describe(event, "") == (
            "Automatisch Anna Agent zugewiesen: geringste Last 1 unter 2 verfügbaren Agenten. "
            "1 abwesende Person übersprungen."
        )


def test_a_team_without_auto_assignment_leaves_new_tickets_unassigned(desk):
    desk["team"].auto_assign = False
    desk["team"].save()
    ticket = TicketFactory(requester=desk["contact"], organisation=desk["customer"])
    assert ticket.assignee is None
    assert not ticket.events.filter(code=EventCode.ASSIGNED).exists()
    assert not AssignmentTurn.objects.exists()


def test_the_assignee_is_told_and_the_team_is_not(desk, django_capture_on_commit_callbacks):
    from notifications.models import OutboxMail

    ticket = TicketFactory(requester=desk["contact"], organisation=desk["customer"])
    recipients = set(OutboxMail.objects.filter(ticket=ticket).values_list("recipient_id", flat=True))
    assert recipients == {desk["contact"].pk, ticket.assignee_id}


@pytest.mark.django_db(transaction=True)
def test_two_tickets_at_once_go_to_two_agents():
    """Under the team's row lock the second filing sees the first one's assignment (PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    vendor = VendorFactory()
    agents = [AgentFactory(organisation=vendor) for _ in range(2)]
    team = TeamFactory(organisation=vendor, auto_assign=True)
    team.members.set(agents)
    customer = OrganisationFactory()
    TeamRouteFactory(organisation=customer, team=team)
    contact = ContactFactory(organisation=customer)
    barrier = threading.Barrier(2)
    errors = []

    def file():
        try:
            barrier.wait()
            TicketFactory(requester=contact, organisation=customer)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=file) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(Ticket.objects.values_list("assignee_id", flat=True)) == sorted(a.pk for a in agents)
