"""The satisfaction survey: asked once at the first resolution (row and mail in its transaction),
answered once by the requester in the portal or through the mail's signed link, in the history."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.models import NotificationSettings, OutboxMail
from sla.choices import Status
from tests.factories import AgentFactory, ContactFactory, TeamFactory, TicketFactory
from tickets import services
from tickets.errors import TicketRuleError
from tickets.models import EventCode, SatisfactionSurvey
from tickets.satisfaction import mail_context, survey_link
from tickets.services.satisfaction import SURVEY_KIND, TOKEN_SALT, survey_answer, survey_token
from tickets.timeline import timeline_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return AgentFactory(language="en")


@pytest.fixture
def requester():
    return ContactFactory(language="en")


def resolve(ticket, agent):
    services.ticket_change_status(ticket=ticket, actor=agent, status=Status.IN_PROGRESS)
    return services.ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)


@pytest.fixture
def resolved(agent, requester):
    team = TeamFactory()
    ticket = TicketFactory(requester=requester)
    ticket.team, ticket.assignee = team, agent
    ticket.save(update_fields=["team", "assignee"])
    return resolve(ticket, agent)


def test_the_first_resolution_asks_once_with_a_mail_to_the_requester(resolved, agent, requester):
    survey = SatisfactionSurvey.objects.get(ticket=resolved)
    assert (survey.requester, survey.agent, survey.team_id, survey.rating) == (requester, agent, resolved.team_id, None)
    mails = OutboxMail.objects.filter(kind=SURVEY_KIND)
    assert [(m.recipient_id, m.ticket_id) for m in mails] == [(requester.pk, resolved.pk)]
    # Reopened and resolved again: nothing new is asked.
    services.ticket_reopen(ticket=resolved, actor=requester)
    services.ticket_change_status(ticket=resolved, actor=agent, status=Status.RESOLVED)
    assert SatisfactionSurvey.objects.filter(ticket=resolved).count() == 1
    assert OutboxMail.objects.filter(kind=SURVEY_KIND).count() == 1


def test_no_survey_row_or_mail_survives_a_rollback(agent, requester):
    ticket = TicketFactory(requester=requester)
    services.ticket_change_status(ticket=ticket, actor=agent, status=Status.IN_PROGRESS)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
        raise RuntimeError
    assert not SatisfactionSurvey.objects.exists()
    assert not OutboxMail.objects.filter(kind=SURVEY_KIND).exists()


def test_the_requesters_mail_setting_off_means_no_mail_but_the_portal_still_asks(agent, requester):
    NotificationSettings.objects.create(user=requester, choices={"ticket_status": "off"})
    ticket = resolve(TicketFactory(requester=requester), agent)
    assert SatisfactionSurvey.objects.filter(ticket=ticket).exists()
    assert not OutboxMail.objects.filter(kind=SURVEY_KIND).exists()


def test_the_mail_carries_a_link_that_answers_without_signing_in(resolved, requester, client, settings):
    settings.SITE_URL = "https://support.example.com"
    mail = OutboxMail.objects.get(kind=SURVEY_KIND)
    context = mail_context(mail)
    assert context["url"].startswith("https://support.example.com/tickets/satisfaction/")
    path = context["url"].removeprefix("https://support.example.com")
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and resolved.reference in page.content.decode()
    answered = client.post(path, {"rating": "5", "comment": "Schnell und freundlich"})
    assert answered.status_code == 200 and "Thank you for your rating." in answered.content.decode()
    survey = SatisfactionSurvey.objects.get(ticket=resolved)
    assert (survey.rating, survey.comment) == (5, "Schnell und freundlich")
    event = resolved.events.get(code=EventCode.SATISFACTION_RATED)
    assert event.actor == requester and event.payload == {"rating": 5, "comment": "Schnell und freundlich"}
    assert not event.is_public  # the agents' history, not the requester's colleagues'
    # The link again: the answer stands, a second one is refused.
    assert "already rated" in client.get(path).content.decode()
    again = client.post(path, {"rating": "1"})
    assert again.status_code == 422 and "already rated" in again.content.decode()
    assert SatisfactionSurvey.objects.get(ticket=resolved).rating == 5


def test_the_mail_is_rendered_in_the_recipients_language(resolved, requester):
    from notifications.mail import mail_render

    requester.language = "de"
    requester.save(update_fields=["language"])
    mail = OutboxMail.objects.select_related("recipient", "ticket").get(kind=SURVEY_KIND)
    message = mail_render(mail=mail)
    assert "Wie zufrieden" in message.body and resolved.reference in message.subject


def test_a_forged_or_expired_link_is_refused(resolved, client, settings):
    survey = SatisfactionSurvey.objects.get(ticket=resolved)
    forged = signing.dumps({"s": survey.pk, "u": survey.requester_id}, salt="another purpose")
    refused = client.get(reverse("tickets:satisfaction-link", kwargs={"token": forged}), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "not valid" in refused.content.decode()
    wrong_person = signing.dumps({"s": survey.pk, "u": survey.requester_id + 999}, salt=TOKEN_SALT)
    assert client.get(reverse("tickets:satisfaction-link", kwargs={"token": wrong_person})).status_code == 400
    token = survey_token(survey)
    later = timezone.now() + timedelta(days=settings.SATISFACTION_SURVEY_DAYS, seconds=5)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        expired = client.post(reverse("tickets:satisfaction-link", kwargs={"token": token}), {"rating": "4"},
                              HTTP_ACCEPT_LANGUAGE="en")
    assert expired.status_code == 400 and "expired" in expired.content.decode()
    assert SatisfactionSurvey.objects.get(ticket=resolved).rating is None


def test_the_portal_asks_the_requester_and_shows_the_answer_to_agents(resolved, requester, agent, client):
    client.force_login(requester)
    page = client.get(reverse("tickets:detail", kwargs={"reference": resolved.reference}))
    assert 'data-testid="satisfaction-form"' in page.content.decode()
    refused = client.post(reverse("tickets:satisfaction", kwargs={"reference": resolved.reference}), {"comment": "x"})
    assert refused.status_code == 422 and "1 to 5" in refused.content.decode()
    assert "x</textarea>" in refused.content.decode()  # nothing typed is lost
    done = client.post(reverse("tickets:satisfaction", kwargs={"reference": resolved.reference}),
                       {"rating": "4", "comment": "Gut"})
    assert done.status_code == 302
    again = client.post(reverse("tickets:satisfaction", kwargs={"reference": resolved.reference}),
                        {"rating": "1"}, follow=True)
    assert "already rated" in again.content.decode()
    assert SatisfactionSurvey.objects.get(ticket=resolved).rating == 4
    assert "Rated 4 of 5." in client.get(reverse("tickets:detail", kwargs={"reference": resolved.reference})
                                         ).content.decode()
    colleague = ContactFactory(organisation=requester.organisation, language="en")
    client.force_login(colleague)
    assert "rated the support" not in client.get(
        reverse("tickets:detail", kwargs={"reference": resolved.reference})).content.decode()
    client.force_login(agent)
    workspace = client.get(reverse("tickets:workspace", kwargs={"reference": resolved.reference}))
    assert "rated the support 4 of 5" in workspace.content.decode()


def test_a_colleague_of_the_requester_sees_no_survey_and_cannot_answer(resolved, requester, client):
    colleague = ContactFactory(organisation=requester.organisation, language="en")
    client.force_login(colleague)
    page = client.get(reverse("tickets:detail", kwargs={"reference": resolved.reference}))
    assert 'data-testid="satisfaction"' not in page.content.decode()
    with pytest.raises(PermissionDenied):
        survey_answer(ticket=resolved, actor=colleague, rating=3)
    refused = client.post(reverse("tickets:satisfaction", kwargs={"reference": resolved.reference}), {"rating": "3"})
    assert refused.status_code == 403


def test_the_service_refuses_bad_ratings_an_unresolved_ticket_and_a_closed_survey(resolved, requester, agent):
    with pytest.raises(ValidationError) as bad:
        survey_answer(ticket=resolved, actor=requester, rating=6)
    assert "rating" in bad.value.message_dict
    with pytest.raises(ValidationError) as long:
        survey_answer(ticket=resolved, actor=requester, rating=3, comment="x" * 20_001)
    assert "comment" in long.value.message_dict
    with pytest.raises(TicketRuleError) as unresolved:
        survey_answer(ticket=TicketFactory(requester=requester), actor=requester, rating=3)
    assert unresolved.value.code == "no_survey"
    survey = SatisfactionSurvey.objects.get(ticket=resolved)
    with pytest.raises(TicketRuleError) as closed:
        survey_answer(ticket=resolved, actor=requester, rating=3, now=survey.closes_at)
    assert closed.value.code == "survey_closed"
    survey_answer(ticket=resolved, actor=requester, rating=3)
    with pytest.raises(TicketRuleError) as twice:
        survey_answer(ticket=resolved, actor=requester, rating=4)
    assert twice.value.code == "already_answered"


def test_the_history_says_it_in_both_languages(resolved, requester):
    from django.utils import translation

    survey_answer(ticket=resolved, actor=requester, rating=2, comment="Zu langsam")
    events = list(resolved.events.filter(code=EventCode.SATISFACTION_RATED))
    with translation.override("de"):
        text = timeline_for(ticket=resolved, events=events, attachments={})[0].text
    assert "2 von 5" in text and "Zu langsam" in text


def test_the_link_is_the_link_of_the_survey(resolved, settings):
    settings.SITE_URL = "https://support.example.com"
    survey = SatisfactionSurvey.objects.get(ticket=resolved)
    assert survey_link(survey).startswith("https://support.example.com/tickets/satisfaction/")
