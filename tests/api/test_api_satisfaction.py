"""The satisfaction survey through the API: read by the requester and by agents who may see the
ticket, answered once by the requester; errors as the schema states them."""

import pytest
from rest_framework.test import APIClient

from sla.choices import Status
from tests.factories import AgentFactory, ApiTokenFactory, ContactFactory, TicketFactory
from tickets import services
from tickets.models import EventCode

pytestmark = pytest.mark.django_db


def api(person, secret):
    ApiTokenFactory(user=person, secret=secret)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


@pytest.fixture
def requester():
    return ContactFactory(language="en")


@pytest.fixture
def agent():
    return AgentFactory(language="en")


@pytest.fixture
def resolved(requester, agent):
    ticket = TicketFactory(requester=requester)
    services.ticket_change_status(ticket=ticket, actor=agent, status=Status.IN_PROGRESS)
    return services.ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)


def url(ticket):
    return f"/api/v1/tickets/{ticket.reference}/satisfaction/"


def test_the_requester_reads_and_answers_once(resolved, requester):
    client = api(requester, "hdt_requester")
    open_survey = client.get(url(resolved)).json()
    assert (open_survey["rating"], open_survey["is_open"]) == (None, True)
    answered = client.post(url(resolved), {"rating": 4, "comment": "Schnell"}, format="json")
    assert answered.status_code == 201, answered.content
    assert (answered.json()["rating"], answered.json()["comment"], answered.json()["is_open"]) == (4, "Schnell", False)
    assert resolved.events.filter(code=EventCode.SATISFACTION_RATED).count() == 1
    again = client.post(url(resolved), {"rating": 1}, format="json")
    assert again.status_code == 422 and again.json()["code"] == "already_answered"
    assert client.get(url(resolved)).json()["rating"] == 4


def test_an_agent_reads_it_but_cannot_answer(resolved, agent):
    client = api(agent, "hdt_agent")
    assert client.get(url(resolved)).status_code == 200
    assert client.post(url(resolved), {"rating": 5}, format="json").status_code == 403


def test_a_colleague_of_the_requester_sees_no_survey_and_another_organisation_no_ticket(resolved, requester):
    colleague = api(ContactFactory(organisation=requester.organisation, language="en"), "hdt_colleague")
    assert colleague.get(url(resolved)).status_code == 404
    assert colleague.post(url(resolved), {"rating": 5}, format="json").status_code == 403
    stranger = api(ContactFactory(language="en"), "hdt_stranger")
    assert stranger.get(url(resolved)).json()["code"] == "not_found"


@pytest.mark.parametrize("body, field", [
    ({"rating": 6}, "rating"), ({"rating": "5"}, "rating"), ({}, "rating"),
    ({"rating": 3, "comment": "x" * 20_001}, "comment"), ({"rating": 3, "mood": "gut"}, "mood"),
])
def test_a_body_the_schema_does_not_allow_is_a_400_naming_the_field(resolved, requester, body, field):
    refused = api(requester, "hdt_requester").post(url(resolved), body, format="json")
    assert refused.status_code == 400 and field in refused.json()["fields"]


def test_the_schema_describes_the_survey(resolved, requester):
    schema = api(requester, "hdt_requester").get(
        "/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = schema["paths"]["/api/v1/tickets/{reference}/satisfaction/"]
    assert set(operations) >= {"get", "post"}
    assert {"201", "400", "422"} <= set(operations["post"]["responses"])
    ref = operations["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    answer = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert answer["properties"]["rating"]["maximum"] == 5 and answer["additionalProperties"] is False
