"""CSV files: one per dashboard table, UTF-8 with BOM, numbers plain, every row; German: ";" and the
decimal comma, English: "," and the decimal point."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from reports import exports
from tests.factories import AgentFactory, OrganisationFactory, TeamFactory, UserFactory
from tests.reports.dashboard_data import BREACHED, OPEN, berlin, make_ticket, reacted
from tests.tickets.sla_helpers import clock

pytestmark = pytest.mark.django_db
NOW = berlin(2026, 3, 10, 12, 0)
LAST_WEEK = {"period": "last_week"}


@pytest.fixture
def manager():
    return UserFactory(role=Role.MANAGER, organisation=OrganisationFactory(kind="vendor"), language="en")


@pytest.fixture
def data():
    müller = OrganisationFactory(name="Müller; Söhne \"Straßenbau\" GmbH")
    acme = OrganisationFactory(name="Acme Tooling Inc.")
    team = TeamFactory(name="1st level DE")
    agent = AgentFactory(first_name="Anja", last_name="Böhm")
    for index in range(3):  # after 0, 3 and 6 hours, 4 allowed: two met, one late
        reacted(müller, reported_at=berlin(2026, 3, 3, 9), after=timedelta(hours=3 * index),
                due_after=timedelta(hours=4), business_seconds=10800 * index, team=team, assignee=agent)
    reacted(acme, reported_at=berlin(2026, 3, 4, 9), after=timedelta(hours=1), due_after=timedelta(hours=4),
            business_seconds=3600, resolution_state=BREACHED, resolution_due_at=berlin(2026, 3, 6, 9),
            resolution_target="2d")
    make_ticket(acme, reported_at=NOW - timedelta(hours=2), reaction_state=OPEN,
                reaction_warning_at=NOW - timedelta(minutes=1), reaction_due_at=NOW + timedelta(hours=1))
    return {"müller": müller, "acme": acme}


def download(client, table: str, params=None, separator=","):
    with clock(NOW):
        response = client.get(reverse("dashboard:export", kwargs={"table": table}), params or LAST_WEEK)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8")[1:]
    assert "\r\n" in text
    return response, list(csv.reader(io.StringIO(text), delimiter=separator))


def test_the_organisation_table_as_csv(client, manager, data):
    client.force_login(manager)
    response, rows = download(client, "organisations")
    assert response["Content-Disposition"] == (
        'attachment; filename="dashboard-organisations-2026-03-02-2026-03-08.csv"'
    )
    assert rows == [
        ["Organisation", "Tickets reported", "Reaction met", "Reaction breached", "Reaction met (%)",
         "Resolution met", "Resolution breached", "Resolution met (%)", "Breaches", "At risk now", "Open backlog"],
        ["Acme Tooling Inc.", "1", "1", "0", "100.0", "0", "1", "0.0", "1", "1", "2"],
        ['Müller; Söhne "Straßenbau" GmbH', "3", "2", "1", "66.7", "0", "0", "", "1", "0", "3"],
    ]


def test_a_name_that_looks_like_a_formula_stays_text(client, manager):
    organisation = OrganisationFactory(name="@SUM(1+1)*cmd|' /C calc'!A0")
    reacted(organisation, reported_at=berlin(2026, 3, 3, 9), after=timedelta(hours=1),
            due_after=timedelta(hours=4), business_seconds=3600)
    client.force_login(manager)
    _response, rows = download(client, "organisations")
    assert rows[1][0] == "'@SUM(1+1)*cmd\\|' /C calc'!A0"
    assert rows[1][1:4] == ["1", "1", "0"]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+49 221 123", "'+49 221 123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+2", "'\t=1+2"),
        ("\r=1+2", "'\r=1+2"),
        ("Fernwartung = 2 h", "Fernwartung = 2 h"),
        (-5, "-5"),
        (Decimal("-1.50"), "-1.50"),
        ("-0.25", "-0.25"),
        (Decimal("83.3"), "83.3"),
    ],
)
def test_formula_cells_are_defused_and_numbers_stay_numbers(value, written):
    text = exports.csv_text([[value, "Ende"]], exports.INTERNATIONAL)
    assert list(csv.reader(io.StringIO(text[1:]), delimiter=",")) == [[written, "Ende"]]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (Decimal("-1.50"), "-1,50"),
        (Decimal("83.3"), "83,3"),
        (2.5, "2,5"),
        (1234, "1234"),
        ("=1+2", "'=1+2"),
        ("Version 2.5", "Version 2.5"),  # text keeps its point
    ],
)
def test_german_numbers_have_the_decimal_comma_and_stay_numbers(value, written):
    text = exports.csv_text([[value, "Ende"]], exports.GERMAN)
    assert list(csv.reader(io.StringIO(text[1:]), delimiter=";")) == [[written, "Ende"]]


def test_the_convention_follows_the_language():
    assert exports.convention_for("de") == exports.GERMAN == exports.Convention(separator=";", decimal=",")
    assert exports.convention_for("de-at") == exports.GERMAN
    assert exports.convention_for("en") == exports.INTERNATIONAL == exports.Convention(separator=",", decimal=".")
    assert exports.convention_for("fr") == exports.INTERNATIONAL


def test_the_summary_as_csv_has_plain_numbers(client, manager, data):
    client.force_login(manager)
    _response, rows = download(client, "summary")
    figures = dict(rows[1:])
    assert figures["First day"] == "2026-03-02" and figures["Last day"] == "2026-03-08"
    assert figures["Reaction SLA met (%)"] == "75.0"
    assert figures["Breaches"] == "2"
    assert figures["Median reaction time (business hours)"] == "2.00"  # 0, 1, 3, 6 hours: (1 + 3) / 2
    assert figures["90th percentile reaction time (business hours)"] == "5.10"  # 3 + 0.7 * 3


def test_every_table_downloads_with_a_header(client, manager, data):
    client.force_login(manager)
    expected_rows = {"summary": 19, "weekly": 2, "severity": 4, "backlog": 6, "organisations": 3, "teams": 3,
                     "agents": 3, "breached": 3, "at-risk": 2}
    assert set(expected_rows) == set(exports.TABLES)
    for table, count in expected_rows.items():
        _response, rows = download(client, table)
        assert len(rows) == count, (table, rows)
        assert all(len(row) == len(rows[0]) for row in rows), table


def test_ticket_lists_have_every_ticket_not_just_the_page(client, manager):
    organisation = OrganisationFactory()
    for index in range(60):
        reacted(organisation, reported_at=berlin(2026, 3, 3, 9, index % 60), after=timedelta(hours=5),
                due_after=timedelta(hours=4), business_seconds=18000)
    client.force_login(manager)
    _response, rows = download(client, "breached")
    assert len(rows) == 61
    assert rows[1][-2] == "2026-03-03 13:59"  # local time of the breach (the due instant)


def test_ticket_lists_carry_the_agents_tags(client, manager):
    organisation = OrganisationFactory()
    first, second = (reacted(organisation, reported_at=berlin(2026, 3, 3, 9, minute), after=timedelta(hours=5),
                             due_after=timedelta(hours=4), business_seconds=18000) for minute in (0, 1))
    first.tags.set(["vpn", "Drucker"])
    client.force_login(manager)
    _response, rows = download(client, "breached")
    assert rows[0][-1] == "Tags"
    assert {row[0]: row[-1] for row in rows[1:]} == {first.reference: "Drucker, vpn", second.reference: ""}


def test_headers_are_in_the_users_language(client, manager, data):
    manager.language = "de"
    manager.save()
    client.force_login(manager)
    _response, rows = download(client, "teams", separator=";")
    assert rows[0][:3] == ["Team", "Gemeldete Tickets", "Reaktion eingehalten"]
    assert [row[0] for row in rows[1:]] == ["Kein Team", "1st level DE"]  # as many breaches, more at risk


def test_german_figures_have_the_decimal_comma_for_german_excel(client, manager, data):
    manager.language = "de"
    manager.save()
    client.force_login(manager)
    _response, rows = download(client, "summary", separator=";")
    figures = dict(rows[1:])
    assert figures["Reaktions-SLA eingehalten (%)"] == "75,0"
    assert figures["Median der Reaktionszeit (Stunden in Supportzeit)"] == "2,00"


def test_an_invalid_filter_gives_no_csv_but_the_reason(client, manager):
    client.force_login(manager)
    response = client.get(reverse("dashboard:export", kwargs={"table": "summary"}),
                          {"period": "custom", "start": "2026-03-05"})
    assert response.status_code == 400
    assert "Please enter the last day of the range." in response.content.decode()


def test_an_unknown_table_is_not_found(client, manager):
    client.force_login(manager)
    assert client.get(reverse("dashboard:export", kwargs={"table": "salaries"})).status_code == 404


def test_plain_values():
    from datetime import date
    from decimal import Decimal

    assert exports.plain(Decimal("1234.50")) == "1234.50"
    assert exports.plain(None) == ""
    assert exports.plain(date(2026, 3, 2)) == "2026-03-02"
    assert exports.plain(berlin(2026, 7, 1, 9, 30).astimezone(tz=None)) == "2026-07-01 09:30"
    assert exports.plain(True) == "yes"
