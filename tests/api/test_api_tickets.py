"""Filing, reading, listing and changing tickets through the API."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sla.choices import Status
from tickets.choices import Channel
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

FAULT = {"subject": "Waage druckt keine Etiketten", "description": "Seit heute früh: „Fehler 17“.",
         "category": "fault", "severity": "severe"}


def test_customer_files_a_ticket_with_its_deadline(api, users):
    response = api("customer").post("/api/v1/tickets/", FAULT, format="json")
    assert response.status_code == 201
    body = response.json()
    ticket = Ticket.objects.get(reference=body["reference"])
    assert ticket.channel == Channel.API and ticket.requester == users["customer"]
    assert body["requester"] == {"id": users["customer"].pk, "name": "Jürgen Müller"}
    assert body["reaction_due_at"] is not None and body["sla_state"] == "on_track"
    assert response["Location"].endswith(f"/api/v1/tickets/{ticket.reference}/")


def test_filing_is_one_insert_with_its_deadlines_in_a_short_transaction(api):
    """Filing 200 tickets a second (bench/api_create.py) depends on this shape: the lookups run
    before the year's counter row is locked, the ticket is inserted once with its SLA fields, and
    nothing updates it afterwards."""
    client = api("customer")
    # The first filing records the token's use and builds the desk's engine calendar (cached).
    assert client.post("/api/v1/tickets/", FAULT, format="json").status_code == 201
    with CaptureQueriesContext(connection) as queries:
        assert client.post("/api/v1/tickets/", FAULT, format="json").status_code == 201
    statements = [" ".join(query["sql"].split()[:3]) for query in queries]
    statements = [sql for sql in statements if sql.split()[0] not in ("BEGIN", "SAVEPOINT", "RELEASE")]
    assert len(statements) == 8, statements
    # the token with its person, the team route, the policy with its targets, the team's members
    # (who is mailed); then the counter, the ticket, its event and its mails (the outbox)
    assert [sql.split()[0] for sql in statements[:4]] == ["SELECT"] * 4
    assert statements[4:7] == ['UPDATE "tickets_ticketcounter" SET', 'INSERT INTO "tickets_ticket"',
                               'INSERT INTO "tickets_ticketevent"']
    [mails] = [query["sql"] for query in queries if query["sql"].startswith("INSERT") and "outboxmail" in query["sql"]]
    assert statements[7] == " ".join(mails.split()[:3])


def test_every_listed_ticket_field_is_present(api):
    body = api("customer").post("/api/v1/tickets/", FAULT, format="json").json()
    for field in ["id", "reference", "subject", "description", "category", "severity", "status", "organisation",
                  "requester", "assignee", "team", "channel", "reported_at", "reaction_due_at", "resolution_due_at",
                  "first_reaction_at", "sla_state", "next_reply_state", "next_reply_due_at", "created_at",
                  "updated_at"]:
        assert field in body, field


def test_repeating_a_filing_with_the_same_key_returns_the_first_ticket(api):
    client = api("customer")
    first = client.post("/api/v1/tickets/", FAULT, format="json", HTTP_IDEMPOTENCY_KEY="erp-4711")
    again = client.post("/api/v1/tickets/", FAULT, format="json", HTTP_IDEMPOTENCY_KEY="erp-4711")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["reference"] == again.json()["reference"]


def test_filing_serializers_do_not_share_their_fields():
    from api.serializers.tickets import TicketCreateSerializer

    good = TicketCreateSerializer(data=FAULT)
    bad = TicketCreateSerializer(data={**FAULT, "subject": "x" * 201, "severity": "urgent"})
    assert good.fields["subject"] is not bad.fields["subject"]
    assert (good.fields["subject"].parent, bad.fields["subject"].parent) == (good, bad)
    assert not bad.is_valid() and good.is_valid()
    assert set(bad.errors) == {"subject", "severity"} and good.errors == {}
    assert good.validated_data["subject"] == FAULT["subject"]


def test_field_errors_come_back_per_field_in_the_callers_language(api):
    response = api("customer", language="de").post(
        "/api/v1/tickets/", {"subject": "", "description": "x", "category": "fault"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "subject" in body["fields"]
    assert body["detail"] == "Bitte korrigieren Sie die markierten Felder."


def test_services_rules_are_reported_as_field_errors(api):
    response = api("customer").post("/api/v1/tickets/", {**FAULT, "severity": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"severity": ["Please choose how severe the fault is."]}


def test_a_persons_own_language_is_used_without_accept_language(api, users, make_token):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_token(users['customer'])}")  # a German user
    response = client.post("/api/v1/tickets/", {**FAULT, "severity": ""}, format="json")
    assert response.json()["fields"]["severity"] == ["Bitte wählen Sie, wie schwer die Störung ist."]


def test_reader_is_told_whom_to_ask(api):
    response = api("reader").post("/api/v1/tickets/", FAULT, format="json")
    assert response.status_code == 403
    assert "cannot file" in response.json()["detail"]
    assert response.json()["code"] == "permission_denied"


def test_customer_cannot_choose_channel_time_or_other_organisation(api, orgs):
    response = api("customer").post(
        "/api/v1/tickets/",
        {**FAULT, "channel": "phone", "reported_at": "2026-01-05T10:00:00+01:00", "organisation": orgs["acme"].pk},
        format="json",
    )
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"channel", "reported_at", "organisation"}
    assert not Ticket.objects.filter(subject=FAULT["subject"]).exists()


def test_agent_logs_a_phone_call_with_the_time_it_came_in(api, orgs, users):
    came_in = (timezone.now() - timedelta(hours=1)).replace(microsecond=0)
    response = api("agent").post(
        "/api/v1/tickets/",
        {**FAULT, "organisation": orgs["mueller"].pk, "requester": users["customer"].pk, "channel": "phone",
         "reported_at": came_in.isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.json()
    ticket = Ticket.objects.get(reference=response.json()["reference"])
    assert ticket.channel == Channel.PHONE and ticket.reported_at == came_in
    assert ticket.requester == users["customer"]


def test_agent_cannot_backdate_an_api_ticket(api, orgs):
    response = api("agent").post(
        "/api/v1/tickets/",
        {**FAULT, "organisation": orgs["mueller"].pk, "reported_at": "2026-01-05T10:00:00+01:00"},
        format="json",
    )
    assert response.status_code == 422
    assert "reported_at" in response.json()["fields"]


def test_agent_cannot_file_for_an_organisation_outside_its_reach(api, orgs):
    response = api("partner-agent").post("/api/v1/tickets/", {**FAULT, "organisation": orgs["mueller"].pk},
                                         format="json")
    assert response.status_code == 422
    assert "organisation" in response.json()["fields"]


def test_agent_requester_must_belong_to_the_organisation(api, orgs, users):
    response = api("agent").post(
        "/api/v1/tickets/", {**FAULT, "organisation": orgs["mueller"].pk, "requester": users["us-customer"].pk},
        format="json",
    )
    assert response.status_code == 422
    assert "requester" in response.json()["fields"]


def test_list_pages_with_a_cursor_newest_first(api, file_ticket):
    for _ in range(3):
        file_ticket()
    client = api("customer")
    first = client.get("/api/v1/tickets/", {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    ids = [t["id"] for t in first["results"]] + [t["id"] for t in second["results"]]
    assert ids == sorted(ids, reverse=True)
    assert len(set(ids)) == 4
    assert first["previous"] is None and second["previous"] is not None


def test_list_filters(api, file_ticket, users):
    severe = file_ticket(severity="severe", subject="Kasse piept dauernd")
    file_ticket(severity="minor")
    client = api("customer")
    by_severity = client.get("/api/v1/tickets/", {"severity": "severe", "is_open": "true"}).json()["results"]
    assert severe.reference in [t["reference"] for t in by_severity]
    assert all(t["severity"] == "severe" and t["status"] in {"new", "in_progress", "waiting", "workaround"}
               for t in by_severity)
    assert [t["reference"] for t in client.get("/api/v1/tickets/", {"q": "piept"}).json()["results"]] == [
        severe.reference]
    closed = client.get("/api/v1/tickets/", {"status": ["closed", "resolved"]}).json()["results"]
    assert closed and all(t["status"] in {"closed", "resolved"} for t in closed)
    channel = client.get("/api/v1/tickets/", {"channel": "email"}).json()["results"]
    assert channel == []


def test_an_invalid_filter_value_is_a_400_naming_the_filter(api):
    response = api("customer").get("/api/v1/tickets/", {"status": "lost", "reported_after": "gestern"})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"status", "reported_after"}


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/tickets/", {"page_size": 100}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["customer", "agent"])
def test_list_needs_the_same_number_of_queries_for_few_and_many_tickets(api, file_ticket, role, users):
    from tickets.services import ticket_assign

    client = api(role)
    client.get("/api/v1/tickets/")  # the token's first use is recorded once (an UPDATE), not on every call
    few = _list_queries(client)
    for _ in range(15):
        ticket = file_ticket()
        ticket_assign(ticket=ticket, actor=users["agent"], assignee=users["agent"])
    many = _list_queries(client)
    assert many == few, (few, many)
    assert many == 2  # the token (with its person), then the page


def test_customer_closes_its_ticket_and_may_not_assign(api, file_ticket, users):
    ticket = file_ticket()
    client = api("customer")
    assert client.patch(f"/api/v1/tickets/{ticket.reference}/", {"assignee": users["agent"].pk},
                        format="json").status_code == 403
    response = client.patch(f"/api/v1/tickets/{ticket.reference}/", {"status": "closed"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "closed"


def test_customer_cannot_move_a_ticket_along_the_agents_path(api, file_ticket):
    ticket = file_ticket()
    response = api("customer").patch(f"/api/v1/tickets/{ticket.reference}/", {"status": "in_progress"},
                                     format="json")
    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).status == Status.NEW


def test_agent_works_a_ticket_in_one_request(api, file_ticket, users, demo):
    ticket = file_ticket()
    response = api("agent").patch(
        f"/api/v1/tickets/{ticket.reference}/",
        {"assignee": users["agent"].pk, "team": demo["teams"]["de-1st-level"].pk, "severity": "severe",
         "status": "in_progress"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["assignee"]["id"] == users["agent"].pk and body["severity"] == "severe"
    assert body["status"] == "in_progress" and body["first_reaction_at"] is not None


def test_a_refused_change_leaves_nothing_half_done(api, file_ticket, users):
    ticket = file_ticket()
    response = api("agent").patch(
        f"/api/v1/tickets/{ticket.reference}/", {"assignee": users["agent"].pk, "status": "workaround"},
        format="json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "transition"
    assert Ticket.objects.get(pk=ticket.pk).assignee is None


def test_an_empty_change_is_refused(api, file_ticket):
    ticket = file_ticket()
    response = api("agent").patch(f"/api/v1/tickets/{ticket.reference}/", {}, format="json")
    assert response.status_code == 400


def test_assignee_who_may_not_see_the_organisation_is_refused(api, file_ticket, users):
    ticket = file_ticket()
    response = api("agent").patch(f"/api/v1/tickets/{ticket.reference}/", {"assignee": users["partner-agent"].pk},
                                  format="json")
    assert response.status_code == 422
    assert "assignee" in response.json()["fields"]


@pytest.mark.parametrize(("agent", "owner", "team"), [
    ("partner-agent", "partner-customer", "de-1st-level"),  # a reseller's agent, to the vendor's team
    ("agent", "customer", "partnersoft"),  # the vendor's agent, to a reseller's team
])
def test_a_ticket_moves_only_to_the_agents_own_organisations_teams(api, file_ticket, demo, agent, owner, team):
    ticket = file_ticket(owner)
    before = Ticket.objects.get(pk=ticket.pk).team_id
    response = api(agent, language="de").patch(
        f"/api/v1/tickets/{ticket.reference}/", {"team": demo["teams"][team].pk, "status": "in_progress"},
        format="json",
    )
    assert response.status_code == 422
    assert response.json()["fields"]["team"] == [
        "Sie können Tickets nur an Teams Ihrer eigenen Organisation übergeben."
    ]
    after = Ticket.objects.get(pk=ticket.pk)
    assert (after.team_id, after.status) == (before, "new")  # nothing half done


def test_put_is_not_offered(api, file_ticket):
    ticket = file_ticket()
    response = api("agent").put(f"/api/v1/tickets/{ticket.reference}/", {"status": "closed"}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_unknown_api_address_is_a_json_404(api):
    response = api("customer").get("/api/v1/tickets/HD-2026-000001/nothing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
