"""The SLA configuration audit page (/dashboard/sla-audit/): managers and admins read, filter, page
through and export the changes in their language; agents and customers get a 403 (the route matrix
in tests/routes.py checks every role; here the content)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from reports.sla_audit import PAGE_SIZE
from sla import services
from sla.models import Closure, SlaChange
from tests.tickets.sla_helpers import berlin, clock

pytestmark = pytest.mark.django_db

URL, CSV_URL = reverse("dashboard:sla_audit"), reverse("dashboard:sla_audit_csv")
NOW = berlin(2026, 6, 10, 14, 0)


@pytest.fixture
def users(demo):
    return demo["users"]


def _login(client, user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)


@pytest.fixture
def changed_closure(users):
    closure = Closure.objects.get(reason="Betriebsferien")
    with clock(NOW):
        services.closure_change(closure=closure, start_date=closure.start_date, end_date=date(2027, 1, 6),
                                reason="Betriebsferien", kind=closure.kind, actor=users["manager"], origin="admin")
    return closure


@pytest.mark.parametrize("username", ["manager", "admin"])
def test_managers_and_admins_read_the_change_with_old_and_new_values(client, users, changed_closure, username):
    _login(client, users[username])
    response = client.get(URL, {"kind": "closure", "actor": users["manager"].pk})
    assert response.status_code == 200
    [row] = response.context["rows"]
    assert (row.actor, row.origin, row.action) == ("Martin Groß", "administration", "changed")
    [field] = row.fields
    assert (field.label, field.old, field.new) == ("last day", "2027-01-01", "2027-01-06")
    assert 'data-testid="audit-row"' in response.content.decode()


@pytest.mark.parametrize("username", ["agent", "partner-agent", "customer", "reader"])
def test_nobody_else_reads_or_exports_it(client, users, changed_closure, username):
    _login(client, users[username])
    assert client.get(URL).status_code == 403
    assert client.get(CSV_URL).status_code == 403


def test_the_page_is_german_for_german_readers(client, users, changed_closure):
    _login(client, users["manager"], "de")
    response = client.get(URL, {"kind": "closure", "actor": users["manager"].pk})
    [row] = response.context["rows"]
    assert (row.origin, row.action, row.kind, row.fields[0].label) == (
        "Administration", "geändert", "Schließung", "letzter Tag")
    assert "Audit der SLA-Konfiguration" in response.content.decode()


def test_filters_by_kind_object_actor_and_period(client, users, changed_closure):
    _login(client, users["manager"])
    with clock(NOW + timedelta(days=30)):
        services.policy_target_set(policy=changed_closure.calendar.policies.first(), severity="severe",
                                   reaction_target="4h", actor=users["admin"], origin="admin")

    def objects(**query):
        return [row.change.object_kind for row in client.get(URL, query).context["rows"]]

    assert objects(actor=users["manager"].pk) == ["closure"]
    assert objects(actor=users["admin"].pk) == ["policy_target"]
    assert objects(object="betriebsferien", actor=users["manager"].pk) == ["closure"]
    assert objects(date_from="2026-06-10", date_to="2026-06-10") == ["closure"]
    assert objects(date_from="2026-07-10", date_to="2026-07-10") == ["policy_target"]
    assert set(objects(actor="system", kind="contract")) == {"contract"}
    assert objects(kind="closure", date_from="2026-06-11", date_to="2026-06-30") == []


def test_a_reversed_period_is_explained(client, users):
    _login(client, users["manager"])
    response = client.get(URL, {"date_from": "2026-06-10", "date_to": "2026-06-01"})
    assert "rows" not in response.context and response.context["form"].errors["date_to"]
    assert client.get(CSV_URL, {"date_from": "2026-06-10", "date_to": "2026-06-01"}).status_code == 400


def test_the_page_is_paginated_newest_first(client, users):
    _login(client, users["manager"])
    total = SlaChange.objects.count()
    assert total > PAGE_SIZE  # the demo seed alone writes hundreds of rows
    first = client.get(URL).context
    assert len(first["rows"]) == PAGE_SIZE and first["page_obj"].paginator.count == total
    instants = [row.change.at for row in first["rows"]]
    assert instants == sorted(instants, reverse=True)
    second = client.get(URL, {"page": 2}).context["rows"]
    assert not {row.change.pk for row in second} & {row.change.pk for row in first["rows"]}


def test_the_csv_has_one_line_per_field_and_no_formula(client, users):
    calendar = Closure.objects.get(reason="Betriebsferien").calendar
    with clock(NOW):
        services.closure_add(calendar=calendar, start_date=date(2026, 8, 3), end_date=date(2026, 8, 4),
                             reason='=HYPERLINK("http://evil.example","x")', actor=users["admin"], origin="admin")
    _login(client, users["manager"], "de")
    response = client.get(CSV_URL, {"kind": "closure", "actor": users["admin"].pk})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0].startswith("Zeitpunkt;Geändert von;Herkunft;Art;")
    body = [line for line in lines[1:] if line]
    assert len(body) == 5  # calendar, first day, last day, reason, kind
    assert "'=HYPERLINK(" in text
    assert ";=HYPERLINK" not in text and ';"=HYPERLINK' not in text
