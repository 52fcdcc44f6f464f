"""Watchers: contacts add colleagues of their own organisation, who then get the customer's ticket
mails; agents follow tickets and get the mails about customers' replies; nobody from another
organisation; in the portal, the workspace and the API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from api.services import api_token_create
from notifications.models import OutboxMail
from sla.choices import Status
from tests.factories import AgentFactory, ContactFactory, OrganisationFactory, TicketFactory
from tickets.models import EventCode, TicketEvent, TicketWatcher
from tickets.services import (
    comment_add,
    ticket_assign,
    ticket_change_status,
    ticket_watcher_add,
    ticket_watcher_remove,
    watchers_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    organisation = OrganisationFactory()
    return {
        "anna": ContactFactory(organisation=organisation, language="en"),
        "bernd": ContactFactory(organisation=organisation, language="en"),
        "lesa": ContactFactory(organisation=organisation, role=Role.READER, language="en"),
        "stranger": ContactFactory(language="en"),
        "agent": AgentFactory(language="en"),
        "other_agent": AgentFactory(language="en"),
    }


def ticket(people):
    return TicketFactory(requester=people["anna"])


def mails(kind, person):
    return OutboxMail.objects.filter(kind=kind, recipient=person).count()


def test_a_colleague_added_as_watcher_gets_the_customers_mails(people):
    t = ticket(people)
    ticket_watcher_add(ticket=t, actor=people["anna"], person=people["bernd"])
    ticket_watcher_add(ticket=t, actor=people["anna"], person=people["lesa"])  # readers may watch too
    added = TicketEvent.objects.filter(ticket=t, code=EventCode.WATCHER_ADDED)
    assert added.count() == 2 and all(e.is_public for e in added)
    comment_add(ticket=t, author=people["agent"], body="Wir sind dran.")
    t = ticket_change_status(ticket=t, actor=people["agent"], status=Status.RESOLVED)
    for person in (people["anna"], people["bernd"], people["lesa"]):
        assert mails("ticket_agent_reply", person) == 1
        assert mails("ticket_resolved", person) == 1


def test_an_agent_who_follows_gets_the_customers_replies(people):
    t = ticket(people)
    ticket_assign(ticket=t, actor=people["agent"], assignee=people["agent"])
    ticket_watcher_add(ticket=t, actor=people["other_agent"], person=people["other_agent"])
    assert not TicketEvent.objects.get(ticket=t, code=EventCode.WATCHER_ADDED).is_public
    comment_add(ticket=t, author=people["anna"], body="Noch eine Frage.")
    assert mails("ticket_customer_reply", people["other_agent"]) == 1
    assert mails("ticket_customer_reply", people["agent"]) == 1
    comment_add(ticket=t, author=people["agent"], body="Antwort.")
    assert mails("ticket_agent_reply", people["other_agent"]) == 0  # that mail is the customer's


def test_the_watcher_who_acts_is_not_told_of_their_own_action(people):
    t = ticket(people)
    ticket_watcher_add(ticket=t, actor=people["anna"], person=people["bernd"])
    comment_add(ticket=t, author=people["bernd"], body="Ich ergänze etwas.")
    assert mails("ticket_customer_reply", people["bernd"]) == 0


@pytest.mark.parametrize(("actor", "person", "error"), [
    ("anna", "stranger", ValidationError),  # another organisation
    ("anna", "anna", ValidationError),  # the requester gets the mails anyway
    ("anna", "agent", ValidationError),
    ("lesa", "bernd", PermissionDenied),  # readers do not manage watchers
    ("agent", "bernd", PermissionDenied),  # agents follow themselves only
])
def test_adding_refusals_write_nothing(people, actor, person, error):
    t = ticket(people)
    with pytest.raises(error):
        ticket_watcher_add(ticket=t, actor=people[actor], person=people[person])
    assert not TicketWatcher.objects.exists()
    assert not TicketEvent.objects.filter(code=EventCode.WATCHER_ADDED).exists()


def test_removing(people):
    t = ticket(people)
    ticket_watcher_add(ticket=t, actor=people["anna"], person=people["bernd"])
    ticket_watcher_add(ticket=t, actor=people["other_agent"], person=people["other_agent"])
    with pytest.raises(PermissionDenied):
        ticket_watcher_remove(ticket=t, actor=people["lesa"], person=people["bernd"])
    with pytest.raises(PermissionDenied):
        ticket_watcher_remove(ticket=t, actor=people["anna"], person=people["other_agent"])
    assert ticket_watcher_remove(ticket=t, actor=people["bernd"], person=people["bernd"])
    assert not ticket_watcher_remove(ticket=t, actor=people["bernd"], person=people["bernd"])
    assert [w.user for w in watchers_of(ticket=t, user=people["anna"])] == []  # customers do not see followers
    assert [w.user for w in watchers_of(ticket=t, user=people["agent"])] == [people["other_agent"]]


def test_portal_and_workspace(client, people):
    t = ticket(people)
    client.force_login(people["anna"])
    page = client.get(reverse("tickets:detail", kwargs={"reference": t.reference}))
    assert {p.pk for p in page.context["colleagues_to_add"]} == {people["bernd"].pk, people["lesa"].pk}
    client.post(reverse("tickets:watcher_add", kwargs={"reference": t.reference}), {"user": people["bernd"].pk})
    assert TicketWatcher.objects.filter(ticket=t, user=people["bernd"]).exists()
    response = client.post(reverse("tickets:watcher_add", kwargs={"reference": t.reference}),
                           {"user": people["stranger"].pk}, follow=True)
    assert "Only colleagues of your own organisation" in response.content.decode()
    client.post(reverse("tickets:watcher_remove", kwargs={"reference": t.reference}), {"user": people["bernd"].pk})
    assert not TicketWatcher.objects.filter(ticket=t).exists()
    client.force_login(people["agent"])
    follow = reverse("tickets:work_follow", kwargs={"reference": t.reference})
    client.post(follow, {"follow": "1"})
    assert client.get(reverse("tickets:workspace", kwargs={"reference": t.reference})).context["following"]
    client.post(follow, {"follow": "0"})
    assert not TicketWatcher.objects.filter(ticket=t).exists()
    client.force_login(people["anna"])
    assert client.post(follow, {"follow": "1"}).status_code == 403


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='Skript')[1]}")
    return client


def test_api_watchers(people):
    t = ticket(people)
    base = f"/api/v1/tickets/{t.reference}/watchers/"
    anna = api(people["anna"])
    added = anna.post(base, {"user": people["bernd"].pk}, format="json")
    assert added.status_code == 201 and added.json()["user"]["id"] == people["bernd"].pk
    assert anna.post(base, {"user": people["stranger"].pk}, format="json").status_code == 422
    assert anna.post(base, {"user": 2**70}, format="json").status_code == 400
    assert anna.post(base, {"user": 999_999}, format="json").status_code == 422
    assert [w["user"]["id"] for w in anna.get(base).json()] == [people["bernd"].pk]
    agent = api(people["agent"])
    assert agent.post(base, {"user": people["agent"].pk}, format="json").status_code == 201
    assert agent.post(base, {"user": people["bernd"].pk}, format="json").status_code == 403
    assert agent.delete(f"{base}{people['bernd'].pk}/").status_code == 403
    assert anna.delete(f"{base}{people['bernd'].pk}/").status_code == 204
    assert anna.delete(f"{base}{people['bernd'].pk}/").status_code == 404
    assert api(people["stranger"]).get(base).status_code == 404
