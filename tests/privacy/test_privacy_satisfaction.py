"""Satisfaction surveys and data protection: the export lists a person's answers; the erasure of
the person and the anonymisation of the ticket empty the comment (the rating stays)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from privacy.selectors import person_data
from privacy.services import person_erase, tickets_anonymise
from sla.choices import Status
from tests.factories import AdminFactory, AgentFactory, ContactFactory, TicketFactory
from tickets import services
from tickets.models import EventCode, SatisfactionSurvey
from tickets.services.satisfaction import survey_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered():
    requester, agent = ContactFactory(), AgentFactory()
    ticket = TicketFactory(requester=requester)
    services.ticket_change_status(ticket=ticket, actor=agent, status=Status.IN_PROGRESS)
    services.ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    survey_answer(ticket=ticket, actor=requester, rating=2, comment="Herr Maier war unfreundlich")
    return ticket


def _comment_left(ticket):
    event = ticket.events.get(code=EventCode.SATISFACTION_RATED)
    survey = SatisfactionSurvey.objects.get(ticket=ticket)
    return survey.rating, survey.comment, event.payload["comment"]


def test_the_export_lists_the_answers(answered):
    [row] = person_data(person=answered.requester)["satisfaction_surveys"]
    assert (row["ticket"], row["rating"], row["comment"]) == (answered.reference, 2, "Herr Maier war unfreundlich")


def test_the_erasure_empties_the_comment(answered):
    person = answered.requester
    erased = person_erase(person=person, actor=AdminFactory(), reason="Antrag", confirmation=person.username,
                          now=timezone.now())
    assert erased.erasure.counts["satisfaction_comments"] == 1
    assert _comment_left(answered) == (2, "", "")


def test_the_anonymisation_empties_the_comment(answered):
    services.ticket_close(ticket=answered, actor=answered.requester)
    now = timezone.now()
    assert tickets_anonymise(ticket_ids=[answered.pk], now=now, cutoff=now + timedelta(seconds=1)) == 1
    assert _comment_left(answered) == (2, "", "")
