"""Calendars, policies and the deadline preview with its reasons."""

import pytest

pytestmark = pytest.mark.django_db

PREVIEW = "/api/v1/sla/preview"


def test_preview_over_the_company_holidays_says_which_days_were_closed_and_why(api):
    response = api("customer").get(
        PREVIEW, {"calendar": "de-nrw-standard", "start": "2026-12-23T15:30:00+01:00", "target": "6h"}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["deadline"] == "2027-01-04T13:30:00+01:00"
    closed = {day["date"]: (day["kind"], day["reason"]) for day in body["closed_days"]}
    assert closed["2026-12-24"] == ("closed_date", "Betriebsferien")
    assert "Christmas Day" in closed["2026-12-25"][1]
    assert closed["2027-01-02"] == ("no_hours", "No support hours on Saturday.")
    assert "2027-01-04" not in closed and len(closed) == 11


def test_preview_reads_a_plus_sent_unencoded_and_a_naive_start_in_the_calendars_zone(api):
    client = api("customer")
    unencoded = client.get(f"{PREVIEW}?calendar=us-east&start=2026-07-02T16:00:00+02:00&target=1.5d").json()
    naive = client.get(PREVIEW, {"calendar": "us-east", "start": "2026-07-02T10:00:00", "target": "1.5d"}).json()
    assert unencoded["start"] == naive["start"] == "2026-07-02T10:00:00-04:00"
    assert unencoded["deadline"] == naive["deadline"]
    assert any(day["reason"].startswith("Independence Day") for day in naive["closed_days"])


@pytest.mark.parametrize(
    ("params", "field", "status"),
    [
        # a request the schema allows, refused by a rule: no such calendar, no holiday data for 2044
        ({"calendar": "nirgendwo", "start": "2026-12-23T15:30:00+01:00", "target": "6h"}, "calendar", 422),
        ({"calendar": "de-nrw-standard", "start": "2044-01-05T10:00:00+01:00", "target": "6h"}, "start", 422),
        ({"calendar": "de-nrw-standard", "start": "2026-12-23T15:30:00+01:00", "target": "0.5s"}, "target", 422),
        # a request the schema does not allow
        ({"calendar": "de-nrw-standard", "start": "gestern", "target": "6h"}, "start", 400),
        ({"calendar": "de-nrw-standard", "start": "2026-02-30T10:00:00+01:00", "target": "6h"}, "start", 400),
        ({"calendar": "de-nrw-standard", "start": "2026-12-23T15:30:00+01:00", "target": "6 Stunden"}, "target", 400),
        ({"calendar": "de-nrw-standard", "start": "2026-12-23T15:30:00+01:00", "target": "-6h"}, "target", 400),
        ({"calendar": "de-nrw-standard", "target": "6h"}, "start", 400),
    ],
)
def test_preview_errors_name_the_parameter(api, params, field, status):
    response = api("customer").get(PREVIEW, params)
    assert response.status_code == status
    assert field in response.json()["fields"]


def test_preview_out_of_range_is_explained(api):
    response = api("customer", language="en").get(
        PREVIEW, {"calendar": "de-nrw-standard", "start": "2044-01-05T10:00:00+01:00", "target": "6h"}
    )
    assert "2020 to 2035" in response.json()["fields"]["start"][0]


def test_unpublished_calendar_is_visible_only_through_a_contract(api, demo):
    from sla.models import Calendar

    Calendar.objects.filter(slug="pos-extended").update(is_public=False)
    assert api("us-customer").get("/api/v1/calendars/pos-extended/").status_code == 404
    assert api("agent").get("/api/v1/calendars/pos-extended/").status_code == 200  # retail's POS faults
    assert api("manager").get("/api/v1/calendars/pos-extended/").status_code == 200
    params = {"calendar": "pos-extended", "start": "2026-12-23T15:30:00+01:00", "target": "6h"}
    assert api("us-customer").get(PREVIEW, params).status_code == 422


def test_calendar_shows_its_hours_and_upcoming_closures(api):
    body = api("customer").get("/api/v1/calendars/de-nrw-standard/").json()
    assert {"weekday": 4, "opens": "09:00", "closes": "16:00"} in body["hours"]
    assert body["time_zone"] == "Europe/Berlin"
    assert "upcoming_holidays" in body and "upcoming_closures" in body


def test_policies_list_only_those_of_the_callers_contracts(api):
    customer = {p["slug"] for p in api("customer").get("/api/v1/policies/").json()}
    acme = {p["slug"] for p in api("us-customer").get("/api/v1/policies/").json()}
    manager = {p["slug"] for p in api("manager").get("/api/v1/policies/").json()}
    assert customer == {"standard-de"} and acme == {"us-desk"}
    assert manager == {"standard-de", "us-desk", "pos"}
    policy = api("customer").get("/api/v1/policies/standard-de/").json()
    assert {"severity": "severe", "reaction_target": "6h", "resolution_target": "",
            "next_reply_target": ""} in policy["targets"]
    assert policy["calendar"] == "de-nrw-standard"
