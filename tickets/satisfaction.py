"""The satisfaction survey's mail kind and what the portal shows of it (the writes:
`tickets.services.satisfaction`)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from accounts import access
from notifications.kinds import Kind
from tickets.models import SatisfactionSurvey
from tickets.services.satisfaction import SURVEY_KIND, survey_closes_at, survey_is_open, survey_token


def survey_link(survey: SatisfactionSurvey) -> str:
    """The mail's link: answers the survey without signing in, valid ``SATISFACTION_SURVEY_DAYS``."""
    return settings.SITE_URL + reverse("tickets:satisfaction-link", kwargs={"token": survey_token(survey)})


def mail_context(mail) -> dict:
    survey = SatisfactionSurvey.objects.get(pk=(mail.payload or {})["survey"])
    return {"survey": survey, "url": survey_link(survey), "days": settings.SATISFACTION_SURVEY_DAYS,
            "ratings": range(1, 6)}


KIND = Kind(code=SURVEY_KIND, mail_context=mail_context, mail_templates="tickets/email/satisfaction_survey")


def survey_for_portal(*, ticket, user) -> dict:
    """{"survey": the survey when the reader may see it (the requester, or an agent), "survey_open":
    whether the reader may answer it now}."""
    survey = SatisfactionSurvey.objects.filter(ticket=ticket).first()
    if survey is None or not (survey.requester_id == user.pk or access.is_agent(user)):
        return {"survey": None, "survey_open": False}
    may_answer = survey.requester_id == user.pk and access.can_file_tickets(user)
    return {"survey": survey, "survey_open": may_answer and survey_is_open(survey),
            "survey_closes_at": survey_closes_at(survey)}
