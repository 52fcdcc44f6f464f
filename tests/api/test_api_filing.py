"""Filing through the API: new or repeat is the service's answer (201 with Location, 200), a key
reused for another filing is a 409; the view only validates, calls `ticket_create`, serializes."""

import pytest

from tickets.models import Ticket

pytestmark = pytest.mark.django_db

FAULT = {"subject": "Leitstand hängt", "description": "Seit 9 Uhr keine Meldungen von Halle 3.",
         "category": "fault", "severity": "severe"}


def _for_mueller(orgs, **fields):
    return {**FAULT, "organisation": orgs["mueller"].pk, **fields}


def test_an_agent_filing_without_requester_twice_with_one_key_gets_one_ticket(api, orgs):
    client = api("agent")
    first = client.post("/api/v1/tickets/", _for_mueller(orgs), format="json", HTTP_IDEMPOTENCY_KEY="leitstand-7")
    again = client.post("/api/v1/tickets/", _for_mueller(orgs), format="json", HTTP_IDEMPOTENCY_KEY="leitstand-7")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["requester"] is None
    assert again.json() == first.json() | {"sla_state": again.json()["sla_state"]}
    assert first["Location"].endswith(f"/api/v1/tickets/{first.json()['reference']}/")
    assert "Location" not in again
    assert Ticket.objects.filter(subject=FAULT["subject"]).count() == 1


def test_the_key_may_come_in_the_body(api):
    client = api("customer")
    first = client.post("/api/v1/tickets/", {**FAULT, "idempotency_key": "erp-1"}, format="json")
    again = client.post("/api/v1/tickets/", {**FAULT, "idempotency_key": "erp-1"}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]


def test_the_same_key_with_another_filing_is_a_conflict_in_the_callers_language(api, orgs):
    client = api("agent", language="de")
    first = client.post("/api/v1/tickets/", _for_mueller(orgs), format="json", HTTP_IDEMPOTENCY_KEY="k-9")
    other = client.post("/api/v1/tickets/", _for_mueller(orgs, subject="Etwas anderes"), format="json",
                        HTTP_IDEMPOTENCY_KEY="k-9")
    assert other.status_code == 409
    body = other.json()
    assert body["code"] == "idempotency_conflict"
    assert first.json()["reference"] in body["detail"]
    assert body["detail"].startswith("Dieser Idempotenzschlüssel wurde bereits")
    assert not Ticket.objects.filter(subject="Etwas anderes").exists()


def test_two_people_may_use_the_same_key(api, orgs, users):
    mine = api("customer").post("/api/v1/tickets/", FAULT, format="json", HTTP_IDEMPOTENCY_KEY="erp-4711")
    for_me = api("agent").post("/api/v1/tickets/", _for_mueller(orgs, requester=users["customer"].pk),
                               format="json", HTTP_IDEMPOTENCY_KEY="erp-4711")
    assert (mine.status_code, for_me.status_code) == (201, 201)
    assert mine.json()["id"] != for_me.json()["id"]


def test_a_repeat_reads_the_first_ticket_and_writes_nothing(api, django_assert_num_queries):
    client = api("customer")
    assert client.post("/api/v1/tickets/", FAULT, format="json", HTTP_IDEMPOTENCY_KEY="erp-2").status_code == 201
    with django_assert_num_queries(2):  # the token with its person; the ticket with its relations
        assert client.post("/api/v1/tickets/", FAULT, format="json", HTTP_IDEMPOTENCY_KEY="erp-2").status_code == 200


def test_a_phone_ticket_through_the_api_cannot_predate_the_contract(api, orgs, users):
    # The demo contracts started on 2024-01-01: the phone form's rule holds for the API too
    response = api("agent").post(
        "/api/v1/tickets/",
        _for_mueller(orgs, requester=users["customer"].pk, channel="phone", reported_at="2023-12-31T12:00:00+01:00"),
        format="json",
    )
    assert response.status_code == 422
    assert "started on" in response.json()["fields"]["reported_at"][0]


def test_the_schema_documents_the_repeat_and_the_conflict(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    filing = schema["paths"]["/api/v1/tickets/"]["post"]
    assert {"200", "201", "409"} <= set(filing["responses"])
    assert filing["responses"]["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert "Idempotency-Key" in {p["name"] for p in filing["parameters"]}
