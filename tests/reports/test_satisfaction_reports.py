"""The satisfaction score on the dashboard and in the monthly report: answers in the period, on
the tickets the filters and the reader's access allow, by the team and agent who solved them."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Organisation, Role
from reports.satisfaction import month_satisfaction, satisfaction
from sla.choices import Status
from tests.factories import (
    AgentFactory,
    ContactFactory,
    OrganisationFactory,
    ResellerFactory,
    TeamFactory,
    TicketFactory,
    UserFactory,
)
from tests.reports.dashboard_data import berlin, flt
from tests.tickets.sla_helpers import clock
from tickets import services
from tickets.services.satisfaction import survey_answer

pytestmark = pytest.mark.django_db


MARCH_10 = berlin(2026, 3, 10, 12, 0)


def rated(*, agent, team, rating, comment="", organisation=None, at=MARCH_10):
    requester = ContactFactory(organisation=organisation or OrganisationFactory())
    with clock(at):
        ticket = TicketFactory(requester=requester)
        ticket.team, ticket.assignee = team, agent
        ticket.save(update_fields=["team", "assignee"])
        services.ticket_change_status(ticket=ticket, actor=agent, status=Status.IN_PROGRESS)
        services.ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
        survey_answer(ticket=ticket, actor=requester, rating=rating, comment=comment)
    return ticket


@pytest.fixture
def people():
    team_a, team_b = TeamFactory(name="Alpha"), TeamFactory(name="Beta")
    anja, bert = AgentFactory(first_name="Anja", last_name="Böhm"), AgentFactory(first_name="Bert", last_name="Kühn")
    return team_a, team_b, anja, bert


def test_score_count_average_and_share_by_team_and_agent(people):
    team_a, team_b, anja, bert = people
    rated(agent=anja, team=team_a, rating=5, comment="Prima")
    rated(agent=anja, team=team_a, rating=4)
    rated(agent=bert, team=team_b, rating=2, comment="Zu langsam")
    rated(agent=bert, team=team_b, rating=1, at=berlin(2026, 2, 10, 12, 0))  # outside the period
    shown = satisfaction(flt=flt(date(2026, 3, 1), date(2026, 3, 31)))
    assert (shown.overall.count, shown.overall.average, shown.overall.satisfied) == (3, Decimal("3.7"), 2)
    assert shown.overall.satisfied_share == Decimal("66.7")
    assert [(r.name, r.score.count, r.score.average) for r in shown.teams] == [
        ("Alpha", 2, Decimal("4.5")), ("Beta", 1, Decimal("2.0"))]
    assert [(r.name, r.score.satisfied) for r in shown.agents] == [("Anja Böhm", 2), ("Bert Kühn", 0)]
    assert [(c.rating, c.comment) for c in shown.comments] == [(2, "Zu langsam"), (5, "Prima")]


def test_the_filters_and_the_readers_access_narrow_the_score(people):
    team_a, team_b, anja, _bert = people
    reseller = ResellerFactory()
    supported = OrganisationFactory(support_partner=reseller)
    rated(agent=anja, team=team_a, rating=5)
    rated(agent=AgentFactory(organisation=reseller), team=team_b, rating=1, organisation=supported)
    march = (date(2026, 3, 1), date(2026, 3, 31))
    assert satisfaction(flt=flt(*march, team_id=team_a.pk)).overall.count == 1
    reseller_manager = UserFactory(role=Role.MANAGER, organisation=reseller)
    from accounts import access

    only_theirs = satisfaction(flt=flt(*march, visible_organisations=access.organisations_for(reseller_manager)))
    assert (only_theirs.overall.count, only_theirs.overall.average) == (1, Decimal("1.0"))


def test_nothing_answered_shows_no_score():
    shown = satisfaction(flt=flt(date(2026, 3, 1), date(2026, 3, 31)))
    assert (shown.overall.count, shown.overall.average, shown.overall.satisfied_share) == (0, None, None)
    assert shown.teams == [] and shown.comments == []


def test_the_dashboard_and_the_monthly_report_show_it(people, client):
    team_a, _team_b, anja, _bert = people
    organisation = OrganisationFactory(customer_number="K77777")
    rated(agent=anja, team=team_a, rating=4, comment="Gut gelöst", organisation=organisation)
    score, comments = month_satisfaction(organisation=organisation, year=2026, month=3)
    assert score.count == 1 and [c.comment for c in comments] == ["Gut gelöst"]
    manager = UserFactory(role=Role.MANAGER, organisation=OrganisationFactory(kind=Organisation.Kind.VENDOR),
                          language="en")
    client.force_login(manager)
    with clock(berlin(2026, 3, 20, 12, 0)):
        page = client.get(reverse("dashboard:index"), {"period": "this_month"}).content.decode()
    assert "Average 4.0 of 5 from 1 answers; 100 % rated 4 or 5." in page and "Gut gelöst" in page
    report = client.get(reverse("dashboard:monthly_report", kwargs={
        "customer_number": "K77777", "year": 2026, "month": 3})).content.decode()
    assert 'data-testid="satisfaction-score"' in report and "Gut gelöst" in report
