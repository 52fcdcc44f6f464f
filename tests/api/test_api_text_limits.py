"""The API refuses texts over their limit (`tickets.limits`) with a 400 naming the field, in the
caller's language, and its schema states each limit as maxLength."""

import pytest

from tickets.limits import COMMENT_MAX_LENGTH, TICKET_DESCRIPTION_MAX_LENGTH
from tickets.models import Comment, Ticket

pytestmark = pytest.mark.django_db

QUESTION = {"subject": "Lange Frage", "description": "Wie?", "category": "question"}


def too_long(limit: int, language: str = "en") -> str:
    if language == "de":
        return (f"Dieser Text hat {limit + 1:,} Zeichen; erlaubt sind höchstens {limit:,}. Bitte kürzen Sie ihn "
                "oder hängen Sie den Rest als Datei an.").replace(",", ".")
    return (f"This text has {limit + 1:,} characters; at most {limit:,} are allowed. Please shorten it or attach "
            "the rest as a file.")


@pytest.mark.parametrize("field", ["description", "steps_to_reproduce", "impact"])
def test_filing_with_a_too_long_text_is_a_400_naming_the_field(api, field):
    response = api("customer").post("/api/v1/tickets/", {**QUESTION, field: "ä" * (TICKET_DESCRIPTION_MAX_LENGTH + 1)},
                                    format="json")
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid", "detail": "Please correct the marked fields.",
        "fields": {field: [too_long(TICKET_DESCRIPTION_MAX_LENGTH)]},
    }
    assert not Ticket.objects.filter(subject="Lange Frage").exists()


def test_a_description_of_exactly_the_limit_is_filed(api):
    text = "ä" * TICKET_DESCRIPTION_MAX_LENGTH
    response = api("customer").post("/api/v1/tickets/", {**QUESTION, "description": text}, format="json")
    assert response.status_code == 201
    assert len(response.json()["description"]) == TICKET_DESCRIPTION_MAX_LENGTH


def test_a_too_long_comment_is_refused_in_the_callers_language(api, file_ticket):
    ticket = file_ticket()
    response = api("customer", language="de").post(
        f"/api/v1/tickets/{ticket.reference}/comments/", {"body": "k" * (COMMENT_MAX_LENGTH + 1)}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"body": [too_long(COMMENT_MAX_LENGTH, "de")]}
    assert not Comment.objects.filter(ticket=ticket).exists()


def test_a_too_long_workaround_is_refused(api, file_ticket):
    ticket = file_ticket()
    response = api("agent").patch(f"/api/v1/tickets/{ticket.reference}/",
                                  {"workaround": "w" * (COMMENT_MAX_LENGTH + 1)}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"workaround": [too_long(COMMENT_MAX_LENGTH)]}


def test_the_schema_states_the_limits(client):
    schemas = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["components"][
        "schemas"
    ]
    filing = schemas["TicketCreateRequest"]["properties"]
    for field in ("description", "steps_to_reproduce", "impact"):
        assert filing[field]["maxLength"] == TICKET_DESCRIPTION_MAX_LENGTH, field
    assert schemas["CommentCreateRequest"]["properties"]["body"]["maxLength"] == COMMENT_MAX_LENGTH
    assert schemas["PatchedTicketUpdateRequest"]["properties"]["workaround"]["maxLength"] == COMMENT_MAX_LENGTH
