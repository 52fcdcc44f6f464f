"""The next-reply target in the reports: cycles counted by their decision instant (met when the
agent answered, breached at the due instant, overdue open cycles as breached), within the
dashboard's filter; shown on the dashboard and in the monthly report."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.models import Role
from reports.filters import DashboardFilter, Period
from reports.monthly import monthly_report
from reports.next_reply import next_reply_counts
from reports.selectors import dashboard_summary
from tests.factories import OrganisationFactory, UserFactory
from tests.reports.dashboard_data import BREACHED, MET, OPEN, PAUSED, berlin, make_ticket
from tests.reports.test_dashboard_views import figures
from tests.tickets.sla_helpers import clock
from tickets.models import NextReplyCycle

pytestmark = pytest.mark.django_db
NOW = berlin(2026, 3, 10, 12, 0)  # a Tuesday; "last week" is 2-8 March
IN_WEEK, BEFORE = berlin(2026, 3, 4, 10, 0), berlin(2026, 2, 20, 10, 0)


def cycle(ticket, number, state, *, due_at, settled_at=None):
    return NextReplyCycle.objects.create(ticket=ticket, number=number, target="4h", state=state,
                                         started_at=due_at - timedelta(hours=4), due_at=due_at, settled_at=settled_at)


@pytest.fixture
def week():
    """One organisation's cycles: 2 met and 2 breached last week (one of them still open and
    overdue), and what does not count: met before the week, open not yet due, paused."""
    organisation = OrganisationFactory()
    ticket = make_ticket(organisation, reported_at=IN_WEEK - timedelta(days=1), reaction_target="6h",
                         reaction_state=MET, next_reply_target="4h", next_reply_cycle=7)
    cycle(ticket, 1, MET, due_at=IN_WEEK, settled_at=IN_WEEK - timedelta(hours=1))
    cycle(ticket, 2, MET, due_at=IN_WEEK + timedelta(days=1), settled_at=IN_WEEK + timedelta(hours=5))
    cycle(ticket, 3, BREACHED, due_at=IN_WEEK + timedelta(days=2), settled_at=IN_WEEK + timedelta(days=5))
    cycle(ticket, 4, OPEN, due_at=IN_WEEK + timedelta(days=3))  # overdue now
    cycle(ticket, 5, MET, due_at=BEFORE, settled_at=BEFORE)
    cycle(ticket, 6, PAUSED, due_at=IN_WEEK)
    other = make_ticket(OrganisationFactory(), reported_at=IN_WEEK, reaction_target="6h", reaction_state=MET)
    cycle(other, 1, BREACHED, due_at=IN_WEEK)
    return organisation


def last_week(**fields) -> DashboardFilter:
    return DashboardFilter(period=Period.CUSTOM, first_day=date(2026, 3, 2), last_day=date(2026, 3, 8), **fields)


def test_cycles_count_by_their_decision_instant_within_the_filter(week):
    assert next_reply_counts(flt=last_week(organisation_ids=(week.pk,)), now=NOW) == (2, 2)
    assert next_reply_counts(flt=last_week(), now=NOW) == (2, 3)
    # Before its due instant the open cycle is undecided.
    assert next_reply_counts(flt=last_week(organisation_ids=(week.pk,)), now=IN_WEEK) == (2, 1)


def test_the_summary_adds_next_reply_breaches_to_the_breaches(week):
    summary = dashboard_summary(flt=last_week(organisation_ids=(week.pk,)), now=NOW)
    assert (summary.next_reply.met, summary.next_reply.breached, str(summary.next_reply.percent)) == (2, 2, "50.0")
    assert summary.breaches == summary.reaction.breached + summary.resolution.breached + 2


def test_the_dashboard_shows_the_next_reply_figure(client, week):
    manager = UserFactory(role=Role.MANAGER, organisation=OrganisationFactory(kind="vendor"), language="en")
    client.force_login(manager)
    with clock(NOW):
        response = client.get(reverse("dashboard:index"), {"period": "last_week"})
    assert figures(response)["next-reply"] == "40.0\u00a0%"  # 2 met of 5 decided, all organisations
    assert "2 of 5 answers to customer messages" in response.content.decode()


def test_the_monthly_report_counts_the_organisations_cycles(week):
    report = monthly_report(organisation=week, year=2026, month=3, now=NOW)
    assert (report.next_reply.met, report.next_reply.breached) == (2, 2)
