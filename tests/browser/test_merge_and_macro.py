"""The agent desk in a real browser (English): merge a duplicate into its main ticket from the
workspace, and preview then apply a macro. Data from factories; signed in with a test session."""

import pytest
from django.urls import reverse

from sla.choices import Status
from tests.browser.accessibility import sign_in
from tests.factories import AgentFactory, ContactFactory, OrganisationFactory, TeamFactory, TicketFactory
from tickets.models import Comment, Ticket
from tickets.services import comment_add, macro_save, ticket_change_status

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def desk():
    agent = AgentFactory(language="en", first_name="Anja", last_name="Böhm")
    team = TeamFactory(organisation=agent.organisation, name="Second level")
    team.members.add(agent)
    anna = ContactFactory(organisation=OrganisationFactory(), first_name="Anna", last_name="Meier", language="en")
    return {"agent": agent, "team": team, "anna": anna}


def test_agent_merges_a_duplicate_from_the_workspace(page, live_server, private_media, desk):
    main = TicketFactory(requester=desk["anna"], subject="Scanner im Lager defekt")
    duplicate = TicketFactory(requester=desk["anna"], subject="Lagerscanner geht nicht")
    comment_add(ticket=duplicate, author=desk["anna"], body="Auch der zweite Scanner fällt aus.")
    sign_in(page.context, live_server, desk["agent"])

    page.goto(live_server.url + reverse("tickets:workspace", kwargs={"reference": duplicate.reference}))
    form = page.locator("[data-testid=merge-form]")
    form.locator("input[name=into]").fill("HD-2099-000001")
    form.locator("[data-testid=merge]").click()
    assert "There is no such ticket" in page.locator("[data-testid=merge-form]").inner_text()
    assert page.locator("[data-testid=merge-form] input[name=into]").input_value() == "HD-2099-000001"

    page.locator("[data-testid=merge-form] input[name=into]").fill(main.reference)
    page.locator("[data-testid=merge-form] [data-testid=merge]").click()
    page.wait_for_url(live_server.url + reverse("tickets:workspace", kwargs={"reference": main.reference}))
    assert "has been merged into" in page.locator(".alert-success").inner_text()
    assert "Auch der zweite Scanner fällt aus." in page.content()  # the duplicate's message, in the history
    assert f"merged the duplicate {duplicate.reference}" in page.content()
    assert Ticket.objects.get(pk=duplicate.pk).status == Status.CLOSED
    assert Comment.objects.get(body="Auch der zweite Scanner fällt aus.").ticket_id == main.pk

    page.goto(live_server.url + reverse("tickets:workspace", kwargs={"reference": duplicate.reference}))
    banner = page.locator("[data-testid=merged-into]")
    assert main.reference in banner.inner_text()
    banner.locator("a").click()
    page.wait_for_url(live_server.url + reverse("tickets:workspace", kwargs={"reference": main.reference}))


def test_agent_previews_and_applies_a_macro(page, live_server, private_media, desk):
    ticket = TicketFactory(requester=desk["anna"], subject="Drucker druckt leere Seiten")
    ticket_change_status(ticket=ticket, actor=desk["agent"], status=Status.IN_PROGRESS)
    macro = macro_save(actor=desk["agent"], team=desk["team"], title="Logs anfordern",
                       reply="Hello {customer_name}, please send us the logs of {reference}.",
                       status=Status.WAITING_ON_CUSTOMER, add_tags="logs")
    sign_in(page.context, live_server, desk["agent"])

    page.goto(live_server.url + reverse("tickets:workspace", kwargs={"reference": ticket.reference}))
    page.locator("[data-testid=macro-form] select[name=macro]").select_option(str(macro.pk))
    page.locator("[data-testid=macro-preview]").click()
    plan = page.locator("[data-testid=macro-plan]")
    plan.wait_for()
    assert f"Hello Anna Meier, please send us the logs of {ticket.reference}." in plan.inner_text()
    assert len(plan.locator("[data-testid=macro-plan-change]").all()) == 2  # status and tags
    assert not Comment.objects.filter(ticket=ticket).exists()  # a preview writes nothing

    plan.locator("[data-testid=macro-apply]").click()
    page.wait_for_url(live_server.url + reverse("tickets:workspace", kwargs={"reference": ticket.reference}))
    assert "has been applied" in page.locator(".alert-success").inner_text()
    assert "applied the macro “Logs anfordern”" in page.content()
    assert page.locator("[data-testid=tags-form] input[name=tags]").input_value() == "logs"
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING_ON_CUSTOMER
