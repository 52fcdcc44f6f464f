"""The absences API and a team's auto-assignment setting: who may do what, 400 for what the
schema refuses, 422 for the rules, and the schema describing it."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Absence, Role
from tests.factories import AgentFactory, TeamFactory, VendorFactory

pytestmark = pytest.mark.django_db

ABSENCES = "/api/v1/absences/"


def _client(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


@pytest.fixture
def desk():
    vendor = VendorFactory()
    lead, anna, ben = (AgentFactory(organisation=vendor) for _ in range(3))
    team = TeamFactory(organisation=vendor, lead=lead, slug="koeln-desk")
    team.members.set([anna])
    manager = AgentFactory(organisation=vendor, role=Role.MANAGER)
    other_vendor_manager = AgentFactory(role=Role.MANAGER)
    return {"lead": lead, "anna": anna, "ben": ben, "team": team, "manager": manager,
            "outsider": other_vendor_manager}


def test_an_agent_records_and_removes_their_own_absence(desk):
    client = _client(desk["anna"])
    created = client.post(ABSENCES, {"starts_on": "2026-12-28", "ends_on": "2026-12-30", "kind": "sick",
                                     "note": "Grippe"}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["agent"]["id"] == desk["anna"].pk and body["kind"] == "sick" and body["note"] == "Grippe"
    assert [a["id"] for a in client.get(ABSENCES).json()] == [body["id"]]
    assert client.delete(f"{ABSENCES}{body['id']}/").status_code == 204
    assert not Absence.objects.exists()


def test_the_lead_records_for_the_team_and_a_colleague_cannot(desk):
    made = _client(desk["lead"]).post(ABSENCES, {"agent": desk["anna"].pk, "starts_on": "2026-12-28",
                                                  "ends_on": "2026-12-28"}, format="json")
    assert made.status_code == 201
    refused = _client(desk["ben"]).post(ABSENCES, {"agent": desk["anna"].pk, "starts_on": "2026-12-28",
                                                    "ends_on": "2026-12-28"}, format="json")
    assert refused.status_code == 422 and set(refused.json()["fields"]) == {"agent"}
    assert _client(desk["ben"]).get(ABSENCES).json() == []
    assert _client(desk["ben"]).get(f"{ABSENCES}{made.json()['id']}/").status_code == 404
    assert _client(desk["ben"]).delete(f"{ABSENCES}{made.json()['id']}/").status_code == 404
    assert Absence.objects.count() == 1


def test_an_absence_that_ends_before_it_starts_is_a_rule_refusal(desk):
    refused = _client(desk["anna"]).post(ABSENCES, {"starts_on": "2026-12-28", "ends_on": "2026-12-27"},
                                         format="json")
    assert refused.status_code == 422 and set(refused.json()["fields"]) == {"ends_on"}


@pytest.mark.parametrize("body,field", [
    ({"starts_on": "28.12.2026", "ends_on": "2026-12-28"}, "starts_on"),
    ({"starts_on": "2026-12-28", "ends_on": "2026-12-28", "kind": "party"}, "kind"),
    ({"starts_on": "2026-12-28", "ends_on": "2026-12-28", "agent": "7"}, "agent"),
    ({"starts_on": "2026-12-28", "ends_on": "2026-12-28", "colour": "red"}, "colour"),
    ({"ends_on": "2026-12-28"}, "starts_on"),
])
def test_what_the_schema_refuses_is_a_400(desk, body, field):
    refused = _client(desk["anna"]).post(ABSENCES, body, format="json")
    assert refused.status_code == 400 and field in refused.json()["fields"]
    assert not Absence.objects.exists()


def test_the_team_setting_is_switched_by_lead_and_manager_only(desk):
    url = "/api/v1/teams/koeln-desk/auto-assignment/"
    assert _client(desk["anna"]).get(url).json() == {
        "team": {"id": desk["team"].pk, "name": desk["team"].name}, "auto_assign": False
    }
    assert _client(desk["anna"]).patch(url, {"auto_assign": True}, format="json").status_code == 403
    assert _client(desk["lead"]).patch(url, {"auto_assign": True}, format="json").json()["auto_assign"] is True
    assert _client(desk["manager"]).patch(url, {"auto_assign": False}, format="json").status_code == 200
    assert _client(desk["outsider"]).patch(url, {"auto_assign": True}, format="json").status_code == 404
    assert _client(desk["lead"]).patch(url, {"auto_assign": "yes"}, format="json").status_code == 400
    desk["team"].refresh_from_db()
    assert desk["team"].auto_assign is False


def test_the_schema_describes_both(desk):
    client = _client(desk["anna"])
    paths = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    assert {"get", "post"} <= set(paths[ABSENCES])
    assert {"get", "delete"} <= set(paths["/api/v1/absences/{id}/"])
    setting = paths["/api/v1/teams/{slug}/auto-assignment/"]
    assert {"get", "patch"} <= set(setting)
    assert {"400", "403", "404", "422"} <= set(paths[ABSENCES]["post"]["responses"])


@pytest.mark.parametrize("path", [f"{ABSENCES}abc/", f"{ABSENCES}{'9' * 30}/", "/api/v1/teams/kö ln/auto-assignment/"])
def test_a_malformed_address_is_a_json_404_for_every_method(desk, path):
    client = _client(desk["lead"])
    for response in (client.get(path), client.delete(path), client.patch(path, {"auto_assign": True}, format="json")):
        assert response.status_code in (404, 405) and response["Content-Type"].startswith("application/json")
