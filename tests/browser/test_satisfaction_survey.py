"""The satisfaction survey in a real browser: the requester rates a resolved ticket on its page
(a missing rating is refused with the comment kept), then through the mail's link without being
signed in, where a second answer is refused."""

import pytest
from django.urls import reverse

from sla.choices import Status
from tests.browser.accessibility import sign_in
from tests.factories import AgentFactory, ContactFactory, TicketFactory
from tickets import services
from tickets.models import SatisfactionSurvey
from tickets.services.satisfaction import survey_token


def resolved_ticket(requester):
    agent = AgentFactory(language="en")
    ticket = TicketFactory(requester=requester)
    services.ticket_change_status(ticket=ticket, actor=agent, status=Status.IN_PROGRESS)
    return services.ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)


@pytest.mark.django_db(transaction=True)
def test_the_requester_rates_the_support_on_the_ticket_page(page, live_server):
    requester = ContactFactory(language="en")
    ticket = resolved_ticket(requester)
    sign_in(page.context, live_server, requester)
    page.goto(live_server.url + reverse("tickets:detail", kwargs={"reference": ticket.reference}))
    form = page.locator("[data-testid=satisfaction-form]")
    form.locator("textarea[name=comment]").fill("Schnell und freundlich")
    page.click("[data-testid=satisfaction-submit]")
    # No rating chosen: refused, the comment is still there.
    assert "Please choose a rating from 1 to 5." in page.inner_text("[data-testid=satisfaction]")
    assert page.locator("textarea[name=comment]").input_value() == "Schnell und freundlich"
    page.check("input[name=rating][value='5']")
    page.click("[data-testid=satisfaction-submit]")
    page.wait_for_selector("[data-testid=satisfaction-result]")
    assert "Rated 5 of 5." in page.inner_text("[data-testid=satisfaction-result]")
    assert SatisfactionSurvey.objects.get(ticket=ticket).rating == 5


@pytest.mark.django_db(transaction=True)
def test_the_mail_link_answers_without_signing_in_once(page, live_server):
    requester = ContactFactory(language="de")
    ticket = resolved_ticket(requester)
    link = live_server.url + reverse("tickets:satisfaction-link",
                                     kwargs={"token": survey_token(SatisfactionSurvey.objects.get(ticket=ticket))})
    page.goto(link)
    assert ticket.reference in page.inner_text("main")
    page.check("input[name=rating][value='2']")
    page.fill("textarea[name=comment]", "Hat zu lange gedauert")
    page.click("[data-testid=satisfaction-submit]")
    assert "Vielen Dank für Ihre Bewertung." in page.inner_text("[data-testid=satisfaction-thanks]")
    page.goto(link)
    assert "bereits bewertet" in page.inner_text("[data-testid=satisfaction-already]")
    survey = SatisfactionSurvey.objects.get(ticket=ticket)
    assert (survey.rating, survey.comment) == (2, "Hat zu lange gedauert")
