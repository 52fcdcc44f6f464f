"""The API accepts what its schema allows and nothing else: each disagreement schemathesis found
has its regression test here (tests/api/test_schemathesis.py sweeps the whole schema)."""

import re
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from api.formats import INSTANT_PATTERN, LOCAL_INSTANT_PATTERN, NO_NUL, NOT_BLANK, WHITE_SPACE, instant_utc
from api.pagination import CURSOR_PATTERN
from tests.factories import ApiTokenFactory, ContactFactory, TicketFactory

pytestmark = pytest.mark.django_db

TICKETS = "/api/v1/tickets/"
QUESTION = {"subject": "Rechnung fehlt", "description": "Die Rechnung für März ist nicht angekommen.",
            "category": "question"}


@pytest.fixture
def person():
    return ContactFactory(language="en")


@pytest.fixture
def client(person):
    ApiTokenFactory(user=person, secret="hdt_strictness")
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION="Token hdt_strictness")
    return client


@pytest.fixture
def ticket(person):
    return TicketFactory(requester=person)


def assert_400_naming(response, *names):
    assert response.status_code == 400, (response.status_code, response.content)
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == set(names), body
    assert all(isinstance(m, str) and m for name in names for m in body["fields"][name])


def schema(client):
    return client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


# Idempotency-Key ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["tickets", "comments"])
def test_an_idempotency_key_longer_than_64_characters_is_refused_not_cut(client, ticket, path):
    url, body = (TICKETS, QUESTION) if path == "tickets" else (f"{TICKETS}{ticket.reference}/comments/",
                                                               {"body": "Noch da?"})
    refused = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k" * 65)
    assert_400_naming(refused, "Idempotency-Key")
    assert "64" in refused.json()["fields"]["Idempotency-Key"][0]
    # also when the body's key (which wins) is sent beside it
    assert_400_naming(client.post(url, {**body, "idempotency_key": "b1"}, format="json",
                                  HTTP_IDEMPOTENCY_KEY="k" * 65), "Idempotency-Key")
    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k" * 64)
    again = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k" * 64)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]


def test_both_idempotent_operations_declare_the_header_with_its_limit(client):
    paths = schema(client)["paths"]
    for path in (TICKETS, "/api/v1/tickets/{reference}/comments/"):
        headers = [p for p in paths[path]["post"]["parameters"] if p["in"] == "header"]
        assert [(h["name"], h["schema"]["maxLength"]) for h in headers] == [("Idempotency-Key", 64)]


# Media types -------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["multipart", "form"])
def test_a_json_operation_refuses_form_bodies_with_415(client, ticket, fmt):
    if fmt == "form":
        kwargs = {"data": "subject=x&description=y&category=question",
                  "content_type": "application/x-www-form-urlencoded"}
    else:
        kwargs = {"data": QUESTION, "format": "multipart"}
    for method, url in (("post", TICKETS), ("patch", f"{TICKETS}{ticket.reference}/"),
                        ("post", f"{TICKETS}{ticket.reference}/comments/")):
        response = getattr(client, method)(url, **kwargs)
        assert response.status_code == 415, (method, url, response.content)
        assert response["Content-Type"] == "application/json"
        assert response.json()["code"] == "unsupported_media_type"


def test_the_upload_takes_multipart_only(client, ticket):
    response = client.post(f"{TICKETS}{ticket.reference}/attachments/", {"file": "x"}, format="json")
    assert response.status_code == 415


def test_the_schema_lists_only_the_accepted_media_types(client):
    paths = schema(client)["paths"]
    for path, method in ((TICKETS, "post"), ("/api/v1/tickets/{reference}/", "patch"),
                         ("/api/v1/tickets/{reference}/comments/", "post"), ("/api/v1/device-reports/", "post")):
        operation = paths[path][method]
        assert list(operation["requestBody"]["content"]) == ["application/json"], path
        assert {"415", "422"} <= set(operation["responses"]), path
    upload = paths["/api/v1/tickets/{reference}/attachments/"]["post"]
    assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]


# Bodies: unknown fields and JSON types -----------------------------------------------------------

def test_an_unknown_field_is_a_400_naming_it(client, ticket):
    assert_400_naming(client.post(TICKETS, {**QUESTION, "priority": "high"}, format="json"), "priority")
    assert_400_naming(client.patch(f"{TICKETS}{ticket.reference}/", {"status": "closed", "reference": "HD-1"},
                                   format="json"), "reference")
    assert_400_naming(client.post(f"{TICKETS}{ticket.reference}/comments/", {"body": "Hallo", "author": 1},
                                  format="json"), "author")


def test_an_unknown_form_field_of_an_upload_is_a_400(client, ticket):
    response = client.post(f"{TICKETS}{ticket.reference}/attachments/",
                           {"file": b"x", "description": "Protokoll"}, format="multipart")
    assert response.status_code == 400
    assert "description" in response.json()["fields"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("subject", 42), ("description", ["Zeile"]), ("category", 1), ("organisation", "1"), ("organisation", True),
     ("organisation", 1.0), ("requester", "7"), ("reported_at", 1767225600), ("idempotency_key", 123)],
)
def test_a_json_value_of_another_type_is_a_400_not_coerced(client, field, value):
    assert_400_naming(client.post(TICKETS, {**QUESTION, field: value}, format="json"), field)


def test_booleans_are_json_booleans(client, ticket):
    response = client.post(f"{TICKETS}{ticket.reference}/comments/", {"body": "Hallo", "is_internal": "false"},
                           format="json")
    assert_400_naming(response, "is_internal")


@pytest.mark.parametrize("body", [[], "Hallo", 42, None])
def test_a_body_that_is_no_object_is_a_400(client, body):
    response = client.post(TICKETS, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_request_bodies_forbid_other_fields_in_the_schema(client):
    schemas = schema(client)["components"]["schemas"]
    for name in ("TicketCreateRequest", "PatchedTicketUpdateRequest", "CommentCreateRequest",
                 "AttachmentUploadRequest", "DeviceReportRequest"):
        assert schemas[name]["additionalProperties"] is False, name


# Texts: blank and NUL ----------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["", "   ", "\n\t", "\u3000", "Fehler\x00"])
def test_blank_or_nul_text_is_a_400_and_the_schema_says_so(client, value):
    assert_400_naming(client.post(TICKETS, {**QUESTION, "subject": value}, format="json"), "subject")
    assert not re.search(NOT_BLANK, value)


def test_optional_text_may_be_blank_but_not_hold_nul(client):
    assert client.post(TICKETS, {**QUESTION, "impact": ""}, format="json").status_code == 201
    assert_400_naming(client.post(TICKETS, {**QUESTION, "impact": "a\x00b"}, format="json"), "impact")
    properties = schema(client)["components"]["schemas"]["TicketCreateRequest"]["properties"]
    assert properties["subject"]["pattern"] == NOT_BLANK
    assert properties["impact"]["pattern"] == NO_NUL


def test_the_white_space_of_the_pattern_is_what_the_server_strips():
    characters = "".join(map(chr, range(sys.maxunicode + 1)))
    assert set(re.findall(f"[{WHITE_SPACE}]", characters)) == {c for c in characters if c.isspace()}


# A change needs a field; a fault needs a severity -------------------------------------------------

def test_a_change_without_any_field_is_a_400_and_the_schema_says_so(client, ticket):
    assert client.patch(f"{TICKETS}{ticket.reference}/", {}, format="json").status_code == 400
    assert client.patch(f"{TICKETS}{ticket.reference}/").status_code == 400  # no body at all
    described = schema(client)
    assert described["components"]["schemas"]["PatchedTicketUpdateRequest"]["minProperties"] == 1
    assert described["paths"]["/api/v1/tickets/{reference}/"]["patch"]["requestBody"]["required"] is True


def test_an_empty_upload_is_a_400_and_the_schema_says_so(client, ticket):
    response = client.post(f"{TICKETS}{ticket.reference}/attachments/",
                           {"file": SimpleUploadedFile("leer.txt", b"")}, format="multipart")
    assert_400_naming(response, "file")
    properties = schema(client)["components"]["schemas"]["AttachmentUploadRequest"]["properties"]
    assert properties["file"]["minLength"] == 1


@pytest.mark.parametrize("category", ["fault", "data_loss"])
def test_a_fault_without_a_severity_is_a_400_and_the_schema_says_so(client, category):
    response = client.post(TICKETS, {**QUESTION, "category": category}, format="json")
    assert_400_naming(response, "severity")
    assert_400_naming(client.post(TICKETS, {**QUESTION, "category": category, "severity": ""}, format="json"),
                      "severity")
    branches = schema(client)["components"]["schemas"]["TicketCreateRequest"]["anyOf"]
    faults = next(b for b in branches if category in b["properties"]["category"]["enum"])
    assert faults["required"] == ["severity"] and "" not in faults["properties"]["severity"]["enum"]


def test_a_question_needs_no_severity(client):
    assert client.post(TICKETS, QUESTION, format="json").status_code == 201


# A rule the schema cannot state: 422 ------------------------------------------------------------

def test_a_request_the_schema_allows_but_a_rule_refuses_is_a_422(client, ticket):
    response = client.post(TICKETS, {**QUESTION, "organisation": 2**62}, format="json")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert set(response.json()["fields"]) == {"organisation"}


# Query parameters --------------------------------------------------------------------------------

def test_id_filters_are_whole_numbers_from_1_in_the_schema(client):
    parameters = {p["name"]: p for p in schema(client)["paths"][TICKETS]["get"]["parameters"]}
    for name in ("organisation", "requester", "assignee", "team"):
        assert parameters[name]["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}, name
    assert all(p["allowEmptyValue"] for p in parameters.values())


@pytest.mark.parametrize("value", ["1.0", "+1", " 1", "1e0", "٣"])
def test_an_id_filter_takes_digits_only(client, value):
    response = client.get(TICKETS, {"organisation": value})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["organisation"]


def test_an_empty_filter_is_no_filter(client, ticket):
    assert len(client.get(TICKETS, {"status": "", "organisation": "", "q": ""}).json()["results"]) == 1
    assert len(client.get(f"{TICKETS}?status=&status=new").json()["results"]) == 1
    assert client.get(f"{TICKETS}?status=&status=closed").json()["results"] == []


@pytest.mark.parametrize(
    ("value", "accepted"),
    [("2026-12-23T15:30:00+01:00", True), ("2026-12-23T15:30:00.5Z", True), ("1900-01-01T00:00:00+14:00", True),
     ("2200-12-31T23:59:59-14:00", True), ("2026-12-23T15:30:00+24:00", False), ("2024-02-29T00:00:00Z", True),
     ("2100-02-29T00:00:00Z", False), ("1899-12-31T23:59:59Z", False), ("2201-01-01T00:00:00Z", False),
     ("2026-12-23T15:30:00", False), ("2026-12-23T15:30Z", False), ("2026-12-23 15:30:00Z", False),
     ("2026-04-31T10:00:00Z", False), ("٢٠٢٦-12-23T15:30:00Z", False)],
)
def test_a_date_time_filter_accepts_exactly_what_its_pattern_states(client, value, accepted):
    assert bool(re.search(INSTANT_PATTERN, value)) == accepted
    assert (instant_utc(value) is not None) == accepted
    response = client.get(TICKETS, {"reported_after": value})
    assert response.status_code == (200 if accepted else 400), response.content


def test_the_preview_start_may_leave_out_the_offset():
    assert re.search(LOCAL_INSTANT_PATTERN, "2026-12-23T15:30:00")
    assert re.search(LOCAL_INSTANT_PATTERN, "2026-12-23T15:30:00 01:00")  # a + sent unencoded
    assert not re.search(LOCAL_INSTANT_PATTERN, "2026-02-30T15:30:00")


def test_the_cursors_the_api_hands_out_match_the_schemas_pattern(client, person):
    for _ in range(3):
        TicketFactory(requester=person)
    first = client.get(TICKETS, {"page_size": 1}).json()
    cursor = re.search(r"cursor=([^&]+)", first["next"]).group(1)
    assert re.search(CURSOR_PATTERN, cursor), cursor
    second = client.get(first["next"]).json()
    previous = re.search(r"cursor=([^&]+)", second["previous"]).group(1)
    assert re.search(CURSOR_PATTERN, previous), previous
    assert client.get(TICKETS, {"cursor": "n" + "9" * 19}).status_code == 200  # beyond any id: every ticket


# 404 ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "path",
    ["/api/v1/tickets/%0A/", "/api/v1/%0A", "/api/v1/tickets/HD%0A/comments/", "/api/v1/nothing/here",
     "/api/v2/tickets/", "/api/", "/api/v1/tickets/x%0D%0Ay/attachments/"],
)
def test_every_404_under_api_is_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


# OPTIONS -----------------------------------------------------------------------------------------

def test_options_on_the_ticket_list_describes_what_a_filing_accepts(client):
    body = client.options(TICKETS).json()
    assert body["parses"] == ["application/json"]
    post = body["actions"]["POST"]
    assert {"subject", "description", "category", "severity", "idempotency_key"} <= set(post)
    assert not {"reference", "sla_state", "created_at"} & set(post)  # what a ticket shows, not what a filing sends
    assert post["subject"]["required"] is True and post["subject"]["max_length"] == 200
    assert post["subject"]["allow_blank"] is False
    assert post["description"]["max_length"] == 20_000
    assert post["organisation"]["min_value"] == 1
    assert {c["value"] for c in post["category"]["choices"]} == {"fault", "data_loss", "question", "configuration",
                                                                  "order"}


def test_options_on_a_ticket_describes_what_a_change_accepts(client, ticket):
    actions = client.options(f"{TICKETS}{ticket.reference}/").json()["actions"]
    assert list(actions) == ["PATCH"]
    assert set(actions["PATCH"]) == {"status", "severity", "assignee", "team", "workaround", "fixed_in_release"}
    assert actions["PATCH"]["assignee"]["allow_null"] is True


def test_options_on_a_ticket_the_caller_may_not_see_describes_no_change(client):
    other = TicketFactory()
    assert "actions" not in client.options(f"{TICKETS}{other.reference}/").json()


def test_options_on_the_conversation_describes_comments_and_uploads(client, ticket):
    comments = client.options(f"{TICKETS}{ticket.reference}/comments/").json()
    assert set(comments["actions"]["POST"]) == {"body", "is_internal", "idempotency_key"}
    assert comments["actions"]["POST"]["is_internal"]["default"] is False
    uploads = client.options(f"{TICKETS}{ticket.reference}/attachments/").json()
    assert uploads["parses"] == ["multipart/form-data"]
    assert set(uploads["actions"]["POST"]) == {"file", "comment"}
