"""Malformed query parameters of the API's lists: each is a 400 with the API's JSON error body
naming the parameter, never a 500 (and never a silently ignored value)."""

from base64 import b64encode
from datetime import UTC, datetime

import pytest
from rest_framework.test import APIClient

from tests.factories import ApiTokenFactory, ContactFactory, TicketFactory
from tests.tickets.sla_helpers import clock

pytestmark = pytest.mark.django_db

TICKETS = "/api/v1/tickets/"
NOW = datetime(2026, 11, 3, 9, 30, tzinfo=UTC)


def cursor(text: str) -> str:
    return b64encode(text.encode()).decode()


@pytest.fixture
def client():
    person = ContactFactory(language="en")
    ApiTokenFactory(user=person, secret="hdt_query-parameters")
    with clock(NOW):
        for _ in range(3):
            TicketFactory(requester=person)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION="Token hdt_query-parameters")
    return client


def assert_refused(response, parameter: str):
    assert response.status_code == 400, (response.status_code, response.content)
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"] == "Please correct the marked fields."
    assert list(body["fields"]) == [parameter]
    assert all(isinstance(message, str) and message for message in body["fields"][parameter])


@pytest.mark.parametrize(
    "value",
    [
        "cD0xJyBPUiAxPTEtLQ==",  # p=1' OR 1=1--, as the probe sent it
        cursor("p=abc"),
        cursor("p=-5"),
        cursor("p=1.5"),
        cursor("p=99999999999999999999999"),  # beyond the database's integers
        cursor("p=\x00"),
        cursor("o=-1&p=3"),
        cursor("r=x&p=3"),
        "not base64 at all!",
        "%%%",
        "ä",
        cursor("p=" + "9" * 5000),
        cursor("x=1&p=3"),
        cursor("p="),
    ],
)
def test_a_malformed_cursor_is_a_400(client, value):
    assert_refused(client.get(TICKETS, {"cursor": value}), "cursor")


def test_the_cursors_the_api_hands_out_still_work(client):
    first = client.get(TICKETS, {"page_size": 2}).json()
    second = client.get(first["next"])
    assert second.status_code == 200
    back = client.get(second.json()["previous"])
    assert back.status_code == 200
    assert [t["id"] for t in back.json()["results"]] == [t["id"] for t in first["results"]]


@pytest.mark.parametrize("value", ["0", "-1", "abc", "2.5", "1e2", "201", "9" * 40, "\x00"])
def test_a_malformed_or_too_large_page_size_is_a_400(client, value):
    assert_refused(client.get(TICKETS, {"page_size": value}), "page_size")


def test_empty_parameters_count_as_absent(client):
    response = client.get(TICKETS, {"cursor": "", "page_size": ""})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 3


@pytest.mark.parametrize("value", ["1", "200"])
def test_page_sizes_within_the_limits_are_accepted(client, value):
    response = client.get(TICKETS, {"page_size": value})
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(int(value), 3)


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("reported_after", "gestern"),
        ("reported_after", "2026-13-45T10:00:00Z"),
        ("reported_before", "9999-12-31T23:59:59+14:00"),
        ("reported_before", "0001-01-01T00:00:00-14:00"),
        ("updated_after", "2026-01-01T25:00:00"),
        ("updated_after", "\x00"),
        ("organisation", "abc"),
        ("organisation", "0"),
        ("organisation", "-3"),
        ("organisation", "1.5"),
        ("requester", str(2**63)),
        ("assignee", "9" * 40),
        ("team", "1; DROP TABLE tickets_ticket"),
        ("status", "lost"),
        ("category", "FAULT"),
        ("severity", "catastrophic"),
        ("channel", "fax"),
        ("sla_state", "\x00"),
        ("is_open", "maybe"),
        ("is_open", "yes please"),
        ("q", "Fehler\x00"),
        ("reference", "HD-\x00"),
    ],
)
def test_a_malformed_filter_is_a_400_naming_it(client, parameter, value):
    assert_refused(client.get(TICKETS, {parameter: value}), parameter)


@pytest.mark.parametrize("value", ["true", "false", "True", "0", "1"])
def test_the_open_filter_accepts_the_usual_spellings(client, value):
    assert client.get(TICKETS, {"is_open": value}).status_code == 200


def test_the_error_is_in_the_callers_language(client):
    client.credentials(HTTP_AUTHORIZATION="Token hdt_query-parameters", HTTP_ACCEPT_LANGUAGE="de")
    response = client.get(TICKETS, {"cursor": "cD0xJyBPUiAxPTEtLQ==", "page_size": "0"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Bitte korrigieren Sie die markierten Felder."
    assert set(body["fields"]) == {"cursor", "page_size"}
    assert "Cursor" in body["fields"]["cursor"][0]
