"""Tags: the agents' free labels (django-taggit). Set in the workspace and the API, suggested while
typing (only from tickets the agent sees), a queue filter that saved views keep, bulk tagging, and
a column of the CSV exports. Customers never see them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from api.services import api_token_create
from tests.factories import AgentFactory, ContactFactory, OrganisationFactory, ResellerFactory, TicketFactory
from tickets.models import EventCode, SavedView, TicketEvent
from tickets.selectors_tags import tag_suggestions
from tickets.services import ticket_set_tags, tickets_bulk_tag
from tickets.services.tags import TAGS_PER_TICKET, tag_names

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    organisation = OrganisationFactory()
    return {"anna": ContactFactory(organisation=organisation, language="en"), "agent": AgentFactory(language="en")}


def ticket(people):
    return TicketFactory(requester=people["anna"])


def test_setting_tags_writes_one_internal_event_with_what_changed(people):
    t = ticket(people)
    assert ticket_set_tags(ticket=t, actor=people["agent"], tags="vpn, Drucker ,  Netz  werk") == [
        "Drucker", "Netz werk", "vpn"]
    assert ticket_set_tags(ticket=t, actor=people["agent"], tags=["VPN", "Scanner"]) == ["Scanner", "vpn"]
    events = list(TicketEvent.objects.filter(ticket=t, code=EventCode.TAGS_CHANGED).order_by("pk"))
    assert [e.payload for e in events] == [
        {"added": ["Drucker", "Netz werk", "vpn"], "removed": []},
        {"added": ["Scanner"], "removed": ["Drucker", "Netz werk"]},
    ]
    assert not any(e.is_public for e in events)
    ticket_set_tags(ticket=t, actor=people["agent"], tags="scanner, vpn")  # the same, another case: no-op
    assert TicketEvent.objects.filter(ticket=t, code=EventCode.TAGS_CHANGED).count() == 2


@pytest.mark.parametrize("tags", ["x" * 51, ", ".join(f"t{n}" for n in range(TAGS_PER_TICKET + 1))])
def test_too_long_or_too_many_tags_are_refused(people, tags):
    t = ticket(people)
    with pytest.raises(ValidationError):
        ticket_set_tags(ticket=t, actor=people["agent"], tags=tags)
    assert tag_names(t) == []


def test_customers_cannot_tag(people):
    t = ticket(people)
    with pytest.raises(PermissionDenied):
        ticket_set_tags(ticket=t, actor=people["anna"], tags="vpn")
    with pytest.raises(PermissionDenied):
        tickets_bulk_tag(actor=people["anna"], ticket_ids=[t.pk], add="vpn")


def test_bulk_tagging_adds_and_removes_per_ticket(people):
    first, second = ticket(people), ticket(people)
    ticket_set_tags(ticket=first, actor=people["agent"], tags="alt, vpn")
    foreign = TicketFactory(requester=ContactFactory(organisation=OrganisationFactory(
        support_partner=ResellerFactory())))
    outcomes = tickets_bulk_tag(actor=people["agent"], ticket_ids=[first.pk, second.pk, foreign.pk],
                                add="neu", remove="ALT")
    assert [o.ok for o in outcomes] == [True, True, False]
    assert tag_names(first) == ["neu", "vpn"] and tag_names(second) == ["neu"] and tag_names(foreign) == []
    with pytest.raises(ValidationError):
        tickets_bulk_tag(actor=people["agent"], ticket_ids=[first.pk], add=" ", remove="")


def test_suggestions_come_only_from_tickets_the_agent_sees(people):
    mine = ticket(people)
    ticket_set_tags(ticket=mine, actor=people["agent"], tags="vpn, vertrag")
    ticket_set_tags(ticket=ticket(people), actor=people["agent"], tags="vpn")
    reseller = ResellerFactory()
    other = TicketFactory(requester=ContactFactory(organisation=OrganisationFactory(support_partner=reseller)))
    partner_agent = AgentFactory(organisation=reseller)
    ticket_set_tags(ticket=other, actor=partner_agent, tags="geheim-kunde, vip")
    assert tag_suggestions(user=people["agent"]) == ["vpn", "vertrag"]
    assert tag_suggestions(user=people["agent"], prefix="VE") == ["vertrag"]
    assert tag_suggestions(user=partner_agent) == ["geheim-kunde", "vip"]
    assert tag_suggestions(user=people["anna"]) == []


# --- pages ---------------------------------------------------------------------------------------


def test_workspace_tags_form_and_suggestions(client, people):
    t = ticket(people)
    ticket_set_tags(ticket=ticket(people), actor=people["agent"], tags="vpn, vertrag")
    client.force_login(people["agent"])
    response = client.post(reverse("tickets:work_tags", kwargs={"reference": t.reference}), {"tags": "vpn, neu"})
    assert response.status_code == 302
    assert tag_names(t) == ["neu", "vpn"]
    page = client.get(reverse("tickets:workspace", kwargs={"reference": t.reference}))
    assert page.context["tags_form"]["tags"].value() == "neu, vpn"
    options = client.get(reverse("tickets:tag_suggestions"), {"tags": "neu, v"}).content.decode()
    assert 'value="neu, vpn"' in options and 'value="neu, vertrag"' in options
    assert client.get(reverse("tickets:tag_suggestions"), {"tags": "vpn, v"}).content.decode().count("vpn") == 1
    bad = client.post(reverse("tickets:work_tags", kwargs={"reference": t.reference}), {"tags": "x" * 60})
    assert bad.status_code == 200
    assert bad.context["tags_form"]["tags"].value() == "x" * 60
    assert "tags" in bad.context["tags_form"].errors
    client.force_login(people["anna"])
    assert client.get(reverse("tickets:tag_suggestions")).status_code == 403


def test_queue_filter_by_tag_and_a_saved_view_of_it(client, people):
    tagged, plain = ticket(people), ticket(people)
    ticket_set_tags(ticket=tagged, actor=people["agent"], tags="VPN")
    client.force_login(people["agent"])
    response = client.get(reverse("tickets:queue"), {"tag": "vpn"})
    assert [row.ticket.pk for row in response.context["rows"]] == [tagged.pk]
    client.post(reverse("tickets:view_save"), {"name": "VPN-Fälle", "query": "tag=vpn&page=3"})
    assert SavedView.objects.get(owner=people["agent"]).query == "tag=vpn"
    assert plain.pk in [row.ticket.pk for row in client.get(reverse("tickets:queue")).context["rows"]]


def test_queue_bulk_tagging(client, people):
    first, second = ticket(people), ticket(people)
    client.force_login(people["agent"])
    response = client.post(reverse("tickets:queue_bulk"), {"tickets": [first.pk, second.pk], "action": "tag",
                                                           "add_tags": "rollout", "remove_tags": ""})
    assert response.status_code == 200
    assert response.context["done"] == 2
    assert tag_names(first) == tag_names(second) == ["rollout"]
    empty = client.post(reverse("tickets:queue_bulk"), {"tickets": [first.pk], "action": "tag", "back": "/"})
    assert empty.status_code == 302
    assert tag_names(first) == ["rollout"]


# --- API -----------------------------------------------------------------------------------------


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='Skript')[1]}")
    return client


def test_api_tags_for_agents_only(people):
    t = ticket(people)
    url = f"/api/v1/tickets/{t.reference}/tags/"
    agent = api(people["agent"])
    assert agent.put(url, {"tags": ["vpn", "Drucker"]}, format="json").json() == {"tags": ["Drucker", "vpn"]}
    assert agent.get(url).json() == {"tags": ["Drucker", "vpn"]}
    assert agent.get("/api/v1/tags/", {"q": "dr"}).json() == {"tags": ["Drucker"]}
    assert agent.put(url, {"tags": ["x" * 51]}, format="json").status_code == 400
    assert agent.put(url, {"tags": "vpn"}, format="json").status_code == 400
    listed = agent.get("/api/v1/tickets/", {"tag": "VPN"}).json()["results"]
    assert [row["reference"] for row in listed] == [t.reference]
    customer = api(people["anna"])
    assert customer.get(url).status_code == 403
    assert customer.put(url, {"tags": []}, format="json").status_code == 403
    assert customer.get("/api/v1/tags/").status_code == 403
    assert customer.get("/api/v1/tickets/", {"tag": "vpn"}).json()["results"] == []  # tags mean nothing to them
    assert api(AgentFactory(organisation=ResellerFactory())).get(url).status_code == 404
