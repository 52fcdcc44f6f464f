"""The dashboard's figures on hand-built data sets: every number is known in advance, on SQLite and
on PostgreSQL (run this file with DATABASE_URL=postgres://... too)."""

from datetime import date, timedelta

import pytest

from accounts.models import Organisation
from reports import selectors
from sla.choices import Severity, Status
from sla.models import Calendar
from tests.factories import AgentFactory, OrganisationFactory, ResellerFactory, TeamFactory
from tests.reports.dashboard_data import BREACHED, MET, OPEN, PAUSED, berlin, flt, make_ticket, reacted

pytestmark = pytest.mark.django_db

# The period is the week Monday 2 to Sunday 8 March 2026 (Berlin); "now" is two days later.
FIRST, LAST = date(2026, 3, 2), date(2026, 3, 8)
NOW = berlin(2026, 3, 10, 12, 0)
REACTION_SECONDS = [600, 1200, 1800, 2400, 3000, 3600, 5400, 7200, 9000, 36000]


@pytest.fixture
def org():
    return OrganisationFactory(name="Müller Maschinenbau GmbH")


@pytest.fixture
def ten(org):
    """Ten tickets reported and reacted to in the period: the seven fastest reactions met their
    target, the three slowest came late. Tickets 1-3 were resolved in time, ticket 4 missed its
    resolution target and is still open; tickets 4-10 are open."""
    tickets = []
    for index, seconds in enumerate(REACTION_SECONDS):
        reported = berlin(2026, 3, 2 + index % 5, 9, 0)
        met = index < 7
        fields = {}
        if index < 3:
            fields = {
                "resolution_target": "3d", "resolution_due_at": reported + timedelta(days=3),
                "resolution_state": MET, "resolved_at": reported + timedelta(days=1), "status": Status.RESOLVED,
            }
        elif index == 3:
            fields = {
                "resolution_target": "3d", "resolution_due_at": reported + timedelta(days=3),
                "resolution_state": BREACHED,
            }
        tickets.append(reacted(
            org, reported_at=reported, after=timedelta(seconds=seconds),
            due_after=timedelta(seconds=3600 * 2 if met else 3600), business_seconds=seconds, **fields,
        ))
    return tickets


def test_ten_tickets_with_known_outcomes_give_exact_percentages_and_percentiles(ten):
    summary = selectors.dashboard_summary(flt=flt(FIRST, LAST), now=NOW)

    assert summary.reaction == selectors.Compliance(met=7, breached=3)
    assert summary.reaction.percent == selectors.Decimal("70.0")
    assert summary.resolution == selectors.Compliance(met=3, breached=1)
    assert summary.resolution.percent == selectors.Decimal("75.0")
    assert summary.breaches == 4
    assert summary.breached_tickets == 4  # tickets 4 (resolution), 8, 9 and 10 (reaction)
    assert summary.reported == 10
    assert summary.backlog == 7
    assert summary.at_risk == 0
    assert summary.reactions_measured == 10
    # Median: r = 0.5 * 9 = 4.5 → (3000 + 3600) / 2. 90th percentile: r = 8.1 → 9000 + 0.1 * 27000.
    assert summary.reaction_median_seconds == 3300
    assert summary.reaction_p90_seconds == 11700
    assert summary.reaction_median_hours == selectors.Decimal("0.92")
    assert summary.reaction_p90_hours == selectors.Decimal("3.25")


def test_an_odd_number_of_reactions_has_an_exact_median_and_90th_percentile(org):
    for index, seconds in enumerate([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 5000]):
        reacted(org, reported_at=berlin(2026, 3, 3, 9, index), after=timedelta(seconds=seconds),
                due_after=timedelta(hours=6), business_seconds=seconds)

    summary = selectors.dashboard_summary(flt=flt(FIRST, LAST), now=NOW)

    assert (summary.reaction_median_seconds, summary.reaction_p90_seconds) == (600, 1000)


def test_no_reaction_in_the_period_gives_no_percentages_and_no_percentiles(org):
    summary = selectors.dashboard_summary(flt=flt(FIRST, LAST), now=NOW)

    assert summary.reaction.percent is None and summary.resolution.percent is None
    assert summary.reaction_median_seconds is None and summary.reaction_p90_seconds is None
    assert summary.breaches == summary.backlog == summary.reported == 0


def test_a_target_counts_in_the_period_in_which_it_was_decided(org):
    # Met: decided when the reaction came, even for a ticket reported before the period.
    reacted(org, reported_at=berlin(2026, 2, 27, 16), after=timedelta(days=4), due_after=timedelta(days=5),
            business_seconds=7200)  # reacted 3 March: met in the period
    reacted(org, reported_at=berlin(2026, 2, 26, 9), after=timedelta(hours=1), due_after=timedelta(days=5),
            business_seconds=3600)  # reacted 26 Feb, due 3 March: met before the period
    # Breached: decided at the due instant, even when the late reaction came after the period.
    reacted(org, reported_at=berlin(2026, 3, 6, 9), after=timedelta(days=4), due_after=timedelta(hours=6),
            business_seconds=40000)  # due 6 March, reacted 10 March: a breach in the period
    reacted(org, reported_at=berlin(2026, 2, 27, 9), after=timedelta(days=5), due_after=timedelta(hours=6),
            business_seconds=40000)  # due 27 Feb: a breach before the period, though reacted in it
    # Open and overdue: breached at its due instant; open and not yet due: undecided.
    make_ticket(org, reported_at=berlin(2026, 3, 4, 9), reaction_state=OPEN, reaction_due_at=berlin(2026, 3, 4, 15))
    make_ticket(org, reported_at=berlin(2026, 3, 8, 9), reaction_state=OPEN, reaction_due_at=berlin(2026, 3, 11, 9))
    # Closed before anybody reacted: met at that instant.
    make_ticket(org, reported_at=berlin(2026, 3, 5, 9), reaction_state=MET, reaction_due_at=berlin(2026, 3, 5, 15),
                closed_at=berlin(2026, 3, 5, 10), status=Status.CLOSED)
    # Resolution: met at resolved_at (closed_at when never resolved); breached at the due instant;
    # overdue and open → breached; paused → undecided.
    make_ticket(org, reported_at=berlin(2026, 3, 2, 9), resolution_state=MET, resolution_due_at=berlin(2026, 3, 9),
                resolved_at=berlin(2026, 3, 3, 9), closed_at=berlin(2026, 3, 12), status=Status.CLOSED)
    make_ticket(org, reported_at=berlin(2026, 2, 20, 9), resolution_state=MET, resolution_due_at=berlin(2026, 3, 9),
                closed_at=berlin(2026, 3, 7, 9), status=Status.CLOSED)
    make_ticket(org, reported_at=berlin(2026, 2, 20, 9), resolution_state=OPEN,
                resolution_due_at=berlin(2026, 3, 5, 9))
    make_ticket(org, reported_at=berlin(2026, 2, 20, 9), resolution_state=PAUSED,
                resolution_due_at=berlin(2026, 3, 5, 9), resolution_paused_since=berlin(2026, 3, 1))

    summary = selectors.dashboard_summary(flt=flt(FIRST, LAST), now=NOW)

    assert summary.reaction == selectors.Compliance(met=2, breached=2)
    assert summary.resolution == selectors.Compliance(met=2, breached=1)
    assert summary.breaches == 3
    assert summary.reactions_measured == 2  # reactions given in the period: 3 March, and 27 February's late one
    assert summary.reported == 5


def test_period_boundaries_are_local_midnights(org):
    # Sunday 8 March 23:59:59 Berlin is 22:59:59 UTC: inside; Monday 9 March 00:00 Berlin: outside.
    reacted(org, reported_at=berlin(2026, 3, 8, 23, 0), after=timedelta(minutes=59, seconds=59),
            due_after=timedelta(hours=6), business_seconds=1)
    reacted(org, reported_at=berlin(2026, 3, 8, 23, 0), after=timedelta(hours=1),
            due_after=timedelta(hours=6), business_seconds=2)
    reacted(org, reported_at=berlin(2026, 3, 1, 23, 0), after=timedelta(hours=1),
            due_after=timedelta(hours=6), business_seconds=3)  # Monday 2 March 00:00: inside

    summary = selectors.dashboard_summary(flt=flt(FIRST, LAST), now=NOW)

    assert summary.reaction.met == 2


def test_at_risk_now_counts_open_tickets_past_a_warning_without_a_breach(org):
    soon = NOW + timedelta(hours=1)
    at_risk = {"reaction_state": OPEN, "reaction_warning_at": NOW - timedelta(minutes=5), "reaction_due_at": soon}
    make_ticket(org, reported_at=NOW - timedelta(hours=5), **at_risk)  # at risk
    make_ticket(org, reported_at=NOW - timedelta(hours=5), reaction_state=MET, first_reaction_at=NOW,
                resolution_state=OPEN, resolution_warning_at=NOW - timedelta(hours=1),
                resolution_due_at=NOW + timedelta(days=1))  # at risk: the resolution
    make_ticket(org, reported_at=NOW - timedelta(hours=5), **at_risk,
                resolution_state=BREACHED, resolution_due_at=NOW - timedelta(days=1))  # breached, not at risk
    make_ticket(org, reported_at=NOW - timedelta(hours=5), reaction_state=OPEN,
                reaction_warning_at=NOW - timedelta(hours=2), reaction_due_at=NOW - timedelta(minutes=1))  # overdue
    make_ticket(org, reported_at=NOW - timedelta(hours=5), reaction_state=OPEN,
                reaction_warning_at=NOW + timedelta(minutes=5), reaction_due_at=soon)  # on track
    make_ticket(org, reported_at=NOW - timedelta(hours=5), resolution_state=PAUSED,
                resolution_warning_at=NOW - timedelta(hours=1), resolution_due_at=soon)  # paused
    make_ticket(org, reported_at=NOW - timedelta(hours=5), **at_risk, status=Status.RESOLVED)  # not open

    summary = selectors.dashboard_summary(flt=flt(FIRST, LAST), now=NOW)

    assert summary.at_risk == 2
    assert summary.backlog == 6
    lines = selectors.dashboard_at_risk_tickets(flt=flt(FIRST, LAST), now=NOW)
    assert [line.targets for line in lines] == [["Reaction"], ["Resolution"]]
    assert [line.due_at for line in lines] == [soon, NOW + timedelta(days=1)]


def test_backlog_by_age_buckets_open_tickets_by_days_since_the_report(org):
    for age in (timedelta(hours=2), timedelta(days=1), timedelta(days=2), timedelta(days=5), timedelta(days=10),
                timedelta(days=30), timedelta(days=400)):
        make_ticket(org, reported_at=NOW - age)
    make_ticket(org, reported_at=NOW - timedelta(days=3), status=Status.CLOSED)

    summary = selectors.dashboard_summary(flt=flt(FIRST, LAST), now=NOW)

    assert [(bucket.key, bucket.count) for bucket in summary.backlog_by_age] == [
        ("0_1", 1), ("1_3", 2), ("3_7", 1), ("7_30", 1), ("30_", 2),
    ]
    assert summary.backlog == 7


def test_filters_narrow_every_figure(org, ten):
    other = OrganisationFactory(name="Bäckerei Groß")
    desk = Calendar.objects.create(slug="kasse", name="Kassen-Hotline", time_zone="Europe/Berlin")
    team = TeamFactory()
    agent = AgentFactory()
    reacted(other, reported_at=berlin(2026, 3, 3, 9), after=timedelta(hours=9), due_after=timedelta(hours=6),
            business_seconds=32400, severity=Severity.MINOR, sla_calendar=desk, team=team, assignee=agent)
    everything = selectors.dashboard_summary(flt=flt(FIRST, LAST), now=NOW)
    assert everything.reaction == selectors.Compliance(met=7, breached=4)

    for narrowed in (
        flt(FIRST, LAST, organisation_ids=(other.pk,)),
        flt(FIRST, LAST, severity=Severity.MINOR),
        flt(FIRST, LAST, team_id=team.pk),
        flt(FIRST, LAST, calendar_id=desk.pk),
        flt(FIRST, LAST, visible_organisations=Organisation.objects.filter(pk=other.pk)),
    ):
        summary = selectors.dashboard_summary(flt=narrowed, now=NOW)
        assert summary.reaction == selectors.Compliance(met=0, breached=1), narrowed
        assert summary.reaction_median_seconds == 32400

    without_severity = selectors.dashboard_summary(flt=flt(FIRST, LAST, severity="none"), now=NOW)
    assert without_severity.reaction.decided == 0


def test_a_manager_sees_only_the_organisations_access_allows(ten, org):
    from accounts import access
    from accounts.models import Role
    from tests.factories import UserFactory

    reseller = ResellerFactory()
    supported = OrganisationFactory(support_partner=reseller)
    reacted(supported, reported_at=berlin(2026, 3, 3, 9), after=timedelta(hours=1), due_after=timedelta(hours=6),
            business_seconds=3600)
    vendor_manager = UserFactory(role=Role.MANAGER, organisation=OrganisationFactory(kind=Organisation.Kind.VENDOR))
    reseller_manager = UserFactory(role=Role.MANAGER, organisation=reseller)

    for user, expected in ((vendor_manager, 10), (reseller_manager, 1)):
        scope = flt(FIRST, LAST, visible_organisations=access.organisations_for(user))
        assert selectors.dashboard_summary(flt=scope, now=NOW).reaction.decided == expected


def test_compliance_per_week_counts_each_decision_in_its_local_week(org):
    # Sunday 8 March 23:30 Berlin (22:30 UTC) belongs to the week of 2 March.
    reacted(org, reported_at=berlin(2026, 3, 8, 23, 0), after=timedelta(minutes=30), due_after=timedelta(hours=6),
            business_seconds=1)
    reacted(org, reported_at=berlin(2026, 3, 5, 9), after=timedelta(hours=8), due_after=timedelta(hours=6),
            business_seconds=28800)
    reacted(org, reported_at=berlin(2026, 3, 10, 9), after=timedelta(minutes=10), due_after=timedelta(hours=6),
            business_seconds=600)
    make_ticket(org, reported_at=berlin(2026, 3, 9, 9), resolution_state=MET, resolved_at=berlin(2026, 3, 11, 9),
                resolution_due_at=berlin(2026, 3, 12, 9), status=Status.RESOLVED)

    weeks = selectors.dashboard_weekly(flt=flt(date(2026, 3, 4), date(2026, 3, 15)), now=berlin(2026, 3, 16, 9))

    assert [w.week for w in weeks] == [date(2026, 3, 2), date(2026, 3, 9)]
    assert [(w.reaction, w.resolution) for w in weeks] == [
        (selectors.Compliance(1, 1), selectors.Compliance(0, 0)),
        (selectors.Compliance(1, 0), selectors.Compliance(1, 0)),
    ]
    assert [w.reaction.percent for w in weeks] == [selectors.Decimal("50.0"), selectors.Decimal("100.0")]


def test_breaches_by_severity_list_every_severity(org):
    reacted(org, reported_at=berlin(2026, 3, 3, 9), after=timedelta(hours=8), due_after=timedelta(hours=6),
            business_seconds=28800, severity=Severity.MINOR, resolution_state=BREACHED,
            resolution_due_at=berlin(2026, 3, 5, 9))
    reacted(org, reported_at=berlin(2026, 3, 3, 9), after=timedelta(hours=8), due_after=timedelta(hours=6),
            business_seconds=28800, severity="")

    rows = selectors.dashboard_breaches_by_severity(flt=flt(FIRST, LAST), now=NOW)

    assert [(r.severity, r.reaction_breaches, r.resolution_breaches, r.breaches) for r in rows] == [
        ("severe", 0, 0, 0), ("minor", 1, 1, 2), ("", 1, 0, 1),
    ]


def test_rows_per_organisation_team_and_agent_add_up_to_the_summary(org, ten):
    other = OrganisationFactory(name="Acme Tooling Inc.")
    team = TeamFactory(name="POS-Hotline Süd")
    agent = AgentFactory(first_name="Özlem", last_name="Schäfer")
    reacted(other, reported_at=berlin(2026, 3, 3, 9), after=timedelta(hours=9), due_after=timedelta(hours=6),
            business_seconds=32400, team=team, assignee=agent)
    reacted(other, reported_at=berlin(2026, 3, 3, 9), after=timedelta(hours=1), due_after=timedelta(hours=6),
            business_seconds=3600, team=team)

    by_org = selectors.dashboard_rows(flt=flt(FIRST, LAST), now=NOW, by="organisation")
    by_team = selectors.dashboard_rows(flt=flt(FIRST, LAST), now=NOW, by="team")
    by_agent = selectors.dashboard_rows(flt=flt(FIRST, LAST), now=NOW, by="agent")

    assert [(r.name, r.reaction.met, r.reaction.breached, r.resolution.decided, r.breaches, r.backlog, r.reported)
            for r in by_org] == [
        ("Müller Maschinenbau GmbH", 7, 3, 4, 4, 7, 10),
        ("Acme Tooling Inc.", 1, 1, 0, 1, 2, 2),
    ]
    assert [(r.name, r.reaction.decided) for r in by_team] == [("No team", 10), ("POS-Hotline Süd", 2)]
    assert [(r.name, r.reaction.decided) for r in by_agent] == [("Unassigned", 11), ("Özlem Schäfer", 1)]
    assert by_org[1].reaction.percent == selectors.Decimal("50.0")


def test_breached_list_shows_the_latest_breach_first_and_links_to_the_workspace(org):
    early = reacted(org, reported_at=berlin(2026, 3, 2, 9), after=timedelta(hours=9), due_after=timedelta(hours=6),
                    business_seconds=32400)
    late = make_ticket(org, reported_at=berlin(2026, 3, 3, 9), reaction_state=OPEN,
                       reaction_due_at=berlin(2026, 3, 4, 9), resolution_state=OPEN,
                       resolution_due_at=berlin(2026, 3, 6, 9))
    reacted(org, reported_at=berlin(2026, 3, 3, 9), after=timedelta(hours=1), due_after=timedelta(hours=6),
            business_seconds=3600)  # met: not listed

    lines = selectors.dashboard_breached_tickets(flt=flt(FIRST, LAST), now=NOW)

    assert [(line.reference, line.targets, line.due_at) for line in lines] == [
        (late.reference, ["Reaction", "Resolution"], berlin(2026, 3, 6, 9)),
        (early.reference, ["Reaction"], berlin(2026, 3, 2, 15)),
    ]
    assert lines[0].url == f"/tickets/{late.reference}/work/"
    assert len(selectors.dashboard_breached_tickets(flt=flt(FIRST, LAST), now=NOW, limit=1)) == 1


def test_percent_rounds_halves_up_to_one_decimal():
    assert selectors.percent(2, 3) == selectors.Decimal("66.7")
    assert selectors.percent(1, 16) == selectors.Decimal("6.3")  # 6.25
    assert selectors.percent(1, 8) == selectors.Decimal("12.5")
    assert selectors.percent(0, 0) is None


def test_the_page_lists_are_the_first_tickets_of_the_full_lists(org):
    for index in range(60):  # breaches at different instants, some at the same one (ties go by id)
        reacted(org, reported_at=berlin(2026, 3, 3, 9, index % 40), after=timedelta(hours=5),
                due_after=timedelta(hours=4), business_seconds=18000)
    for index in range(55):
        make_ticket(org, reported_at=NOW - timedelta(hours=5), reaction_state=OPEN,
                    reaction_warning_at=NOW - timedelta(minutes=5),
                    reaction_due_at=NOW + timedelta(minutes=1 + index % 30))
    period = flt(FIRST, LAST)

    page = selectors.dashboard(flt=period, now=NOW)

    full_breached = selectors.dashboard_breached_tickets(flt=period, now=NOW, limit=None)
    full_at_risk = selectors.dashboard_at_risk_tickets(flt=period, now=NOW, limit=None)
    assert (len(full_breached), len(full_at_risk)) == (60, 55)
    assert page.breached == full_breached[:selectors.LIST_ROWS]
    assert page.at_risk == full_at_risk[:selectors.LIST_ROWS]
