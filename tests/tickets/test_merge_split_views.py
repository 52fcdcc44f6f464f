"""Merge and split in the agent workspace and in the API: the same services, the access gate
first, refusals next to the field (workspace) or as 422 / 403 / 404 (API), nothing typed is lost."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api.services import api_token_create
from sla.choices import Status
from tests.factories import AgentFactory, ContactFactory, OrganisationFactory, ResellerFactory, TicketFactory
from tickets.models import Comment, Ticket
from tickets.services import comment_add, ticket_change_status, ticket_merge

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    organisation = OrganisationFactory()
    return {
        "org": organisation,
        "anna": ContactFactory(organisation=organisation, language="en"),
        "agent": AgentFactory(language="en"),
    }


def ticket(people, **fields):
    return TicketFactory(requester=people["anna"], **fields)


def url(ticket, name):
    return reverse(name, kwargs={"reference": ticket.reference})


def test_workspace_merge_goes_on_to_the_main_ticket(client, people):
    main, duplicate = ticket(people), ticket(people)
    client.force_login(people["agent"])
    response = client.post(url(duplicate, "tickets:work_merge"), {"into": main.reference})
    assert response.status_code == 302
    assert response["Location"] == url(main, "tickets:workspace")
    assert Ticket.objects.get(pk=duplicate.pk).merged_into_id == main.pk
    page = client.get(url(duplicate, "tickets:workspace"))
    assert page.status_code == 200
    assert b'data-testid="merged-into"' in page.content
    assert main.reference.encode() in page.content
    assert b'data-testid="merge-form"' not in page.content  # closed: nothing to merge any more


@pytest.mark.parametrize(("into", "message"), [
    ("HD-2099-999999", "There is no such ticket, or you may not see it."),
    ("self", "A ticket cannot be merged into itself."),
    ("closed", "is closed: merge into an open ticket."),
])
def test_workspace_merge_refusals_show_the_page_again_with_what_was_typed(client, people, into, message):
    duplicate = ticket(people)
    if into == "self":
        into = duplicate.reference
    elif into == "closed":
        closed = ticket(people)
        ticket_change_status(ticket=closed, actor=people["agent"], status=Status.CLOSED)
        into = closed.reference
    client.force_login(people["agent"])
    response = client.post(url(duplicate, "tickets:work_merge"), {"into": into})
    assert response.status_code == 200
    form = response.context["merge_form"]
    assert message in " ".join(e for errors in form.errors.values() for e in errors)
    assert form["into"].value() == into
    assert Ticket.objects.get(pk=duplicate.pk).merged_into_id is None


def test_workspace_merge_and_split_are_agents_only(client, people):
    main, duplicate = ticket(people), ticket(people)
    client.force_login(people["anna"])
    assert client.post(url(duplicate, "tickets:work_merge"), {"into": main.reference}).status_code == 403
    assert client.post(url(duplicate, "tickets:work_split"), {"comment": 1, "subject": "x"}).status_code == 403
    client.force_login(AgentFactory(organisation=ResellerFactory()))
    assert client.post(url(duplicate, "tickets:work_merge"), {"into": main.reference}).status_code == 404
    assert Ticket.objects.get(pk=duplicate.pk).merged_into_id is None


def test_workspace_split_makes_the_new_ticket(client, people):
    origin = ticket(people)
    message = comment_add(ticket=origin, author=people["anna"], body="Zweites Problem: Scanner.").comment
    client.force_login(people["agent"])
    page = client.get(url(origin, "tickets:workspace"))
    assert [pk for pk, _label in page.context["split_form"].fields["comment"].choices] == [message.pk]
    response = client.post(url(origin, "tickets:work_split"), {"comment": message.pk, "subject": "Scanner"})
    assert response.status_code == 302
    new = Ticket.objects.get(subject="Scanner")
    assert response["Location"] == url(new, "tickets:workspace")
    assert Comment.objects.get(pk=message.pk).ticket_id == new.pk


def test_workspace_split_refuses_a_note_and_keeps_the_subject(client, people):
    origin = ticket(people)
    note = comment_add(ticket=origin, author=people["agent"], body="Intern", is_internal=True).comment
    client.force_login(people["agent"])
    response = client.post(url(origin, "tickets:work_split"), {"comment": note.pk, "subject": "Mein Betreff"})
    assert response.status_code == 200
    form = response.context["split_form"]
    assert "comment" in form.errors
    assert form["subject"].value() == "Mein Betreff"


def test_the_customer_sees_where_a_merged_ticket_continues(client, people):
    main, duplicate = ticket(people), ticket(people)
    ticket_merge(duplicate=duplicate, main=main, actor=people["agent"])
    client.force_login(people["anna"])
    page = client.get(url(duplicate, "tickets:detail"))
    assert b'data-testid="merged-into"' in page.content
    assert url(main, "tickets:detail").encode() in page.content


# --- API -------------------------------------------------------------------------------------------


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='Skript')[1]}")
    return client


def test_api_merge(people):
    main, duplicate = ticket(people), ticket(people)
    comment_add(ticket=duplicate, author=people["anna"], body="Auch hier.")
    response = api(people["agent"]).post(f"/api/v1/tickets/{duplicate.reference}/merge/", {"into": main.reference},
                                         format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {"main": main.reference, "duplicate": duplicate.reference, "comments": 1,
                               "attachments": 0, "time_entries": 0, "minutes": 0}
    detail = api(people["agent"]).get(f"/api/v1/tickets/{duplicate.reference}/").json()
    assert (detail["status"], detail["merged_into"]) == ("closed", main.pk)


@pytest.mark.parametrize(("case", "status", "code"), [
    ("customer", 403, "permission_denied"),
    ("unknown main", 422, "invalid"),
    ("other organisation", 422, "invalid"),
    ("closed main", 422, "closed"),
    ("unknown field", 400, "invalid"),
    ("foreign duplicate", 404, "not_found"),
])
def test_api_merge_refusals(people, case, status, code):
    main, duplicate = ticket(people), ticket(people)
    user, body, target = people["agent"], {"into": main.reference}, duplicate
    if case == "customer":
        user = people["anna"]
    elif case == "unknown main":
        body = {"into": "HD-2099-999999"}
    elif case == "other organisation":
        body = {"into": TicketFactory(requester=ContactFactory()).reference}
    elif case == "closed main":
        ticket_change_status(ticket=main, actor=people["agent"], status=Status.CLOSED)
    elif case == "unknown field":
        body = {"into": main.reference, "force": True}
    else:
        user = AgentFactory(organisation=ResellerFactory())
    response = api(user).post(f"/api/v1/tickets/{target.reference}/merge/", body, format="json")
    assert response.status_code == status
    assert response.json()["code"] == code
    assert Ticket.objects.get(pk=duplicate.pk).merged_into_id is None


def test_api_split(people):
    origin = ticket(people)
    message = comment_add(ticket=origin, author=people["anna"], body="Noch ein Thema.").comment
    response = api(people["agent"]).post(
        f"/api/v1/tickets/{origin.reference}/comments/{message.pk}/split/", {"subject": "Thema zwei"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["subject"] == "Thema zwei" and body["reported_at"]
    assert response["Location"].endswith(f"/api/v1/tickets/{body['reference']}/")
    assert Comment.objects.get(pk=message.pk).ticket.reference == body["reference"]


@pytest.mark.parametrize(("case", "status"), [
    ("customer", 403), ("internal note", 422), ("no such comment", 404), ("huge id", 404), ("no subject", 400),
])
def test_api_split_refusals(people, case, status):
    origin = ticket(people)
    message = comment_add(ticket=origin, author=people["anna"], body="Noch ein Thema.").comment
    user, comment_id, body = people["agent"], message.pk, {"subject": "Neu"}
    if case == "customer":
        user = people["anna"]
    elif case == "internal note":
        comment_id = comment_add(ticket=origin, author=people["agent"], body="Intern", is_internal=True).comment.pk
    elif case == "no such comment":
        comment_id = message.pk + 1000
    elif case == "huge id":
        comment_id = 2**70
    else:
        body = {}
    tickets = Ticket.objects.count()
    response = api(user).post(f"/api/v1/tickets/{origin.reference}/comments/{comment_id}/split/", body,
                              format="json")
    assert response.status_code == status
    assert Ticket.objects.count() == tickets
