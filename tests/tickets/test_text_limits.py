"""The free texts of a ticket have a maximum length (`tickets.limits`): the services refuse longer
ones whatever the channel, and the portal's and the agents' forms explain it next to the field, in
the reader's language, keeping what was typed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tests.factories import ContactFactory, TicketFactory
from tests.tickets.conftest import login_as
from tickets import services
from tickets.limits import COMMENT_MAX_LENGTH, TICKET_DESCRIPTION_MAX_LENGTH
from tickets.models import Comment, Ticket

pytestmark = pytest.mark.django_db

LIMIT = TICKET_DESCRIPTION_MAX_LENGTH
TOO_LONG_EN = (
    "This text has 20,001 characters; at most 20,000 are allowed. Please shorten it or attach the rest as a file."
)
TOO_LONG_DE = (
    "Dieser Text hat 20.001 Zeichen; erlaubt sind höchstens 20.000. Bitte kürzen Sie ihn oder hängen Sie den "
    "Rest als Datei an."
)


def test_the_limits_are_twenty_thousand_characters():
    assert TICKET_DESCRIPTION_MAX_LENGTH == COMMENT_MAX_LENGTH == 20_000


# --- services --------------------------------------------------------------------------------

def test_a_description_of_exactly_the_limit_is_filed_white_space_around_it_not_counted():
    ticket = TicketFactory(description="\n  " + "ä" * LIMIT + "  \n")
    assert len(ticket.description) == LIMIT


@pytest.mark.parametrize("field", ["description", "steps_to_reproduce", "impact"])
def test_a_longer_ticket_text_is_refused_as_that_fields_error(field):
    requester = ContactFactory()
    with pytest.raises(ValidationError) as refused:
        TicketFactory(requester=requester, **{field: "ä" * (LIMIT + 1)})
    assert refused.value.message_dict == {field: [TOO_LONG_EN]}
    assert not Ticket.objects.filter(requester=requester).exists()


def test_the_message_is_in_the_active_language():
    with translation.override("de"), pytest.raises(ValidationError) as refused:
        TicketFactory(description="x" * (LIMIT + 1))
    assert refused.value.message_dict == {"description": [TOO_LONG_DE]}


def test_a_reply_of_the_limit_is_saved_a_longer_one_refused():
    ticket = TicketFactory()
    services.comment_add(ticket=ticket, author=ticket.requester, body="ü" * COMMENT_MAX_LENGTH)
    with pytest.raises(ValidationError) as refused:
        services.comment_add(ticket=ticket, author=ticket.requester, body="ü" * (COMMENT_MAX_LENGTH + 1))
    assert refused.value.message_dict == {"body": [TOO_LONG_EN]}
    assert Comment.objects.filter(ticket=ticket).count() == 1


def test_a_longer_workaround_is_refused(file_ticket, users):
    ticket = file_ticket()
    with pytest.raises(ValidationError) as refused:
        services.ticket_provide_workaround(ticket=ticket, actor=users["agent"], workaround="w" * (LIMIT + 1))
    assert refused.value.message_dict == {"workaround": [TOO_LONG_EN]}
    ticket.refresh_from_db()
    assert ticket.workaround == "" and ticket.status == "new"


# --- portal ----------------------------------------------------------------------------------

def _filing(**overrides):
    return {
        "category": "question", "subject": "Zu lang", "description": "Frage", "idempotency_key": "e" * 32,
        **overrides,
    }


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_filing_form_explains_a_too_long_description_and_keeps_it(client, users, language):
    login_as(client, users, "customer", language=language)
    text = "Ö" * (LIMIT + 1)
    response = client.post(reverse("tickets:create"), _filing(description=text))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["description"] == [TOO_LONG_EN if language == "en" else TOO_LONG_DE]
    assert form["description"].value() == text
    assert not Ticket.objects.filter(subject="Zu lang").exists()


def test_the_filing_forms_text_areas_have_no_maxlength_that_would_cut_a_paste(client, users):
    login_as(client, users, "customer")
    form = client.get(reverse("tickets:create")).context["form"]
    for name in ("description", "steps_to_reproduce", "impact"):
        assert "maxlength" not in form.fields[name].widget.attrs, name


def test_the_portal_reply_form_explains_a_too_long_reply(client, users, file_ticket):
    login_as(client, users, "customer")
    ticket = file_ticket()
    response = client.post(reverse("tickets:reply", kwargs={"reference": ticket.reference}),
                           {"body": "r" * (COMMENT_MAX_LENGTH + 1), "idempotency_key": "f" * 32})
    assert response.status_code == 200
    assert response.context["reply_form"].errors["body"] == [TOO_LONG_EN]
    assert not Comment.objects.filter(ticket=ticket).exists()


# --- agents ----------------------------------------------------------------------------------

def test_the_agents_reply_form_explains_a_too_long_note(client, users, file_ticket):
    login_as(client, users, "agent", language="de")
    ticket = file_ticket()
    response = client.post(reverse("tickets:work_reply", kwargs={"reference": ticket.reference}),
                           {"body": "n" * (COMMENT_MAX_LENGTH + 1), "kind": "note"})
    assert response.status_code == 200
    assert response.context["reply_form"].errors["body"] == [TOO_LONG_DE]
    assert not Comment.objects.filter(ticket=ticket).exists()


def test_the_workaround_form_explains_a_too_long_text(client, users, file_ticket):
    login_as(client, users, "agent")
    ticket = services.ticket_change_status(ticket=file_ticket(), actor=users["agent"], status="in_progress")
    response = client.post(reverse("tickets:work_workaround", kwargs={"reference": ticket.reference}),
                           {"workaround": "w" * (COMMENT_MAX_LENGTH + 1)})
    assert response.context["workaround_form"].errors["workaround"] == [TOO_LONG_EN]
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"


@pytest.mark.parametrize("field", ["description", "impact"])
def test_the_phone_form_explains_a_too_long_text(client, users, field):
    login_as(client, users, "agent")
    response = client.post(reverse("tickets:phone"), {
        "requester": users["customer"].pk, "reported_at": "2026-11-16T10:00", "category": "question",
        "subject": "Langer Anruf", "description": "Frage", field: "a" * (LIMIT + 1),
    })
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [TOO_LONG_EN]
    assert not Ticket.objects.filter(subject="Langer Anruf").exists()
