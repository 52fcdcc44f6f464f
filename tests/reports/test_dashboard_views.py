"""The dashboard page: what a manager sees, in English and German, with a fixed number of queries."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import Role
from sla.choices import Severity
from tests.factories import AgentFactory, OrganisationFactory, TeamFactory, UserFactory
from tests.reports.dashboard_data import OPEN, berlin, make_ticket, reacted
from tests.tickets.sla_helpers import clock

pytestmark = pytest.mark.django_db
NOW = berlin(2026, 3, 10, 12, 0)


@pytest.fixture
def manager():
    return UserFactory(role=Role.MANAGER, organisation=OrganisationFactory(kind="vendor"), language="en")


def figures(response) -> dict[str, str]:
    page = response.content.decode()
    found = re.findall(r'data-testid="figure-([a-z0-9-]+)".*?data-testid="value">([^<]*)<', page, re.S)
    return dict(found)


def fill(organisations: int, per_organisation: int):
    """Tickets in several organisations, teams and agents: some met, some breached, one at risk each."""
    for number in range(organisations):
        organisation = OrganisationFactory()
        team, agent = TeamFactory(), AgentFactory()
        severity = Severity.MINOR if number % 2 else Severity.SEVERE
        for index in range(per_organisation):
            reacted(organisation, reported_at=berlin(2026, 3, 2 + index % 5, 9), after=timedelta(hours=index),
                    due_after=timedelta(hours=4), business_seconds=3600 * index, team=team, assignee=agent,
                    severity=severity)
        make_ticket(organisation, reported_at=NOW - timedelta(hours=3), reaction_state=OPEN, severity=severity,
                    reaction_warning_at=NOW - timedelta(minutes=5), reaction_due_at=NOW + timedelta(hours=1))


def test_a_manager_sees_exact_figures_charts_and_tables(client, manager):
    fill(organisations=1, per_organisation=8)  # reactions after 0..7 hours, 4 hours allowed: 5 met, 3 late
    client.force_login(manager)

    with clock(NOW):
        response = client.get(reverse("dashboard:index"), {"period": "last_week"})

    assert response.status_code == 200
    assert figures(response) == {
        "reaction": "62.5\u00a0%", "resolution": "\u2013", "next-reply": "\u2013", "breaches": "3", "at-risk": "1",
        "backlog": "9",
        "reported": "8", "median": "3.50\u00a0h", "p90": "6.30\u00a0h",
    }
    page = response.content.decode()
    for chart in ("weekly", "backlog", "severity", "organisations"):
        assert f'<canvas id="chart-{chart}"' in page
        assert f'aria-describedby="chart-{chart}-table"' in page
        assert f'<details class="mt-2" id="chart-{chart}-table">' in page
        data = json.loads(re.search(rf'<script id="chart-{chart}-data" type="application/json">(.*?)</script>',
                                    page, re.S).group(1))
        assert data["labels"] and data["datasets"]
    weekly = response.context["charts"]["weekly"]
    assert weekly["datasets"][0]["data"] == [62.5]
    assert 'src="/static/vendor/chartjs/chart.umd.js"' in page
    ticket = response.context["dashboard"].breached[0]
    assert f'href="/tickets/{ticket.reference}/work/"' in page


def test_the_page_makes_the_same_number_of_queries_whatever_the_data(client, manager, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(manager)
    fill(organisations=1, per_organisation=6)  # one breach, one at risk: both lists have a ticket
    with clock(NOW), CaptureQueriesContext(connection) as small:
        client.get(reverse("dashboard:index"), {"period": "last_week"})
    fill(organisations=6, per_organisation=10)
    with clock(NOW), django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("dashboard:index"), {"period": "last_week"})
    assert len(response.context["dashboard"].organisations) == 7
    # session, user, organisation (middleware); the scan (in its own transaction: three statements on
    # PostgreSQL), names of organisations, teams, agents; the two lists' tickets by primary key; the
    # form's three choice lists; the percentiles (two) where the database has no percentile_cont;
    # the satisfaction score (grouped by team and agent) and its latest comments; the chat figures.
    assert len(small.captured_queries) <= 19


def test_tables_show_the_most_breaches_first_and_say_when_the_csv_has_more(client, manager):
    for number in range(27):
        organisation = OrganisationFactory(name=f"Kunde {number:02d} Groß GmbH")
        for index in range(number % 3 + 1):
            reacted(organisation, reported_at=berlin(2026, 3, 3, 9), after=timedelta(hours=index * 5),
                    due_after=timedelta(hours=4), business_seconds=1)
    client.force_login(manager)

    with clock(NOW):
        response = client.get(reverse("dashboard:index"), {"period": "last_week"})

    shown = response.context["organisations_shown"]
    assert len(shown) == 25 and len(response.context["dashboard"].organisations) == 27
    assert [row.breaches for row in shown[:9]] == [2] * 9 and shown[0].name == "Kunde 02 Groß GmbH"
    assert "Showing 25 of 27 rows (the most breaches first); the CSV file has all of them." in (
        response.content.decode()
    )


def test_a_filter_changes_the_figures(client, manager):
    fill(organisations=2, per_organisation=4)  # organisation 0 severe, 1 minor
    client.force_login(manager)
    with clock(NOW):
        everything = figures(client.get(reverse("dashboard:index"), {"period": "last_week"}))
        minor = figures(client.get(reverse("dashboard:index"), {"period": "last_week", "severity": "minor"}))
    assert (everything["reported"], minor["reported"]) == ("8", "4")
    assert everything["backlog"] == "10" and minor["backlog"] == "5"


def test_the_page_reads_german_to_a_german_manager(client, manager):
    fill(organisations=1, per_organisation=8)
    manager.language = "de"
    manager.save()
    client.force_login(manager)

    with clock(NOW):
        response = client.get(reverse("dashboard:index"), {"period": "last_week"})

    page = response.content.decode()
    assert figures(response)["reaction"] == "62,5\u00a0%"
    assert figures(response)["median"] == "3,50\u00a0h"
    for text in ("SLA-Dashboard", "Reaktions-SLA eingehalten", "Einhaltung pro Woche", "Offener Rückstand nach Alter",
                 "Zahlen als Tabelle zeigen", "Pro Organisation", "Tickets mit Verletzung in diesem Zeitraum"):
        assert text in page, text
    assert json.loads(re.search(r'<script id="chart-weekly-data" type="application/json">(.*?)</script>',
                                page, re.S).group(1))["datasets"][0]["label"] == "Reaktions-SLA eingehalten (%)"


@pytest.mark.parametrize(("role", "visible"), [("manager", True), ("admin", True), ("agent", False),
                                               ("customer", False)])
def test_the_dashboard_is_in_the_navigation_for_managers_only(client, demo, role, visible):
    client.force_login(demo["users"][role])
    names = [item["name"] for item in client.get(reverse("home")).context["nav_items"]]
    assert ("dashboard:index" in names) is visible


def test_an_agent_is_refused_with_a_reason(client, demo):
    client.force_login(demo["users"]["agent"])
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 403
    assert "Das Dashboard und die Berichte sind für Manager." in response.content.decode()


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_demo_manager_sees_real_figures_from_the_seeded_data(client, demo, language):
    manager = demo["users"]["manager"]
    manager.language = language
    manager.save()
    client.force_login(manager)

    response = client.get(reverse("dashboard:index"))

    dashboard = response.context["dashboard"]
    assert dashboard.summary.reaction.decided >= 3 and dashboard.summary.breaches >= 1
    assert dashboard.summary.backlog >= 3 and dashboard.summary.reaction_median_seconds is not None
    assert {row.name for row in dashboard.organisations} == {
        "Müller Maschinenbau GmbH", "Acme Tooling Inc.", "Frischmarkt Handels GmbH & Co. KG",
    }
    assert figures(response)["reaction"] != "\u2013"
    heading = {"de": "SLA-Dashboard", "en": "SLA dashboard"}[language]
    assert f'<h1 class="h3 mb-0">{heading}</h1>' in response.content.decode()
