"""A customer never sees another organisation's ticket, attachment or event: by guessed URL,
list or search, a foreign object is a 404, and nothing changes."""

import pytest
from django.http import Http404
from django.urls import reverse

from tests.tickets.conftest import upload
from tickets import selectors, services
from tickets.models import Comment, TicketEvent

pytestmark = pytest.mark.django_db

# Who looks, and whose ticket is foreign to them.
OUTSIDERS = [
    ("customer", "us-customer"),  # Müller's contact, Acme's ticket
    ("reader", "us-customer"),  # Müller's reader, Acme's ticket
    ("partner-agent", "customer"),  # the reseller's agent, a vendor customer's ticket
    ("us-customer", "partner-customer"),  # Acme's contact, the reseller customer's ticket
]
POST_ROUTES = ["reply", "confirm", "close", "reopen"]


@pytest.fixture
def foreign(file_ticket, users):
    """For each owner: a fresh ticket with a public attachment."""
    made = {}
    for owner in {owner for _, owner in OUTSIDERS}:
        ticket = file_ticket(owner, files=[upload()])
        made[owner] = ticket
    return made


def _snapshot(ticket):
    ticket.refresh_from_db()
    return (ticket.status, ticket.last_activity_at, Comment.objects.filter(ticket=ticket).count(),
            TicketEvent.objects.filter(ticket=ticket).count())


@pytest.mark.parametrize(("viewer", "owner"), OUTSIDERS)
def test_foreign_ticket_page_is_404(client, users, foreign, viewer, owner):
    client.force_login(users[viewer])
    ticket = foreign[owner]
    assert client.get(reverse("tickets:detail", kwargs={"reference": ticket.reference})).status_code == 404
    assert client.get(reverse("tickets:detail", kwargs={"reference": str(ticket.pk)})).status_code == 404


@pytest.mark.parametrize(("viewer", "owner"), OUTSIDERS)
@pytest.mark.parametrize("route", POST_ROUTES)
def test_foreign_ticket_actions_are_404_and_change_nothing(client, users, foreign, viewer, owner, route):
    client.force_login(users[viewer])
    ticket = foreign[owner]
    before = _snapshot(ticket)
    response = client.post(reverse(f"tickets:{route}", kwargs={"reference": ticket.reference}),
                           {"body": "Eingeschleust", "attachments": [upload()]})
    assert response.status_code == 404
    assert _snapshot(ticket) == before


@pytest.mark.parametrize(("viewer", "owner"), OUTSIDERS)
def test_foreign_attachment_is_404(client, users, foreign, viewer, owner):
    client.force_login(users[viewer])
    ticket = foreign[owner]
    attachment = ticket.attachments.get()
    url = reverse("tickets:attachment", kwargs={"reference": ticket.reference, "public_id": attachment.public_id})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(("viewer", "owner"), OUTSIDERS)
def test_foreign_attachment_through_an_own_ticket_is_404(client, users, foreign, file_ticket, viewer, owner):
    """Pairing one's own (visible) ticket reference with another ticket's attachment id."""
    own = selectors.tickets_visible_to(user=users[viewer]).exclude(pk=foreign[owner].pk).first()
    assert own is not None, "the demo data gives every viewer a ticket of its own"
    client.force_login(users[viewer])
    attachment = foreign[owner].attachments.get()
    url = reverse("tickets:attachment", kwargs={"reference": own.reference, "public_id": attachment.public_id})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(("viewer", "owner"), OUTSIDERS)
def test_foreign_tickets_are_not_listed_or_found(client, users, foreign, viewer, owner):
    ticket = foreign[owner]
    assert not selectors.tickets_visible_to(user=users[viewer]).filter(pk=ticket.pk).exists()
    for tab in ("open", "closed"):
        found = selectors.tickets_for_customer(user=users[viewer], tab=tab, query=ticket.reference)
        assert not found.exists()
    with pytest.raises(Http404):
        selectors.ticket_get_for_user(user=users[viewer], reference_or_id=ticket.reference)


@pytest.mark.parametrize("viewer", ["customer", "reader", "us-customer"])
def test_customer_list_search_shows_own_organisation_only(client, users, foreign, viewer):
    client.force_login(users[viewer])
    own = users[viewer].organisation
    for tab in ("open", "closed"):
        for query in ("", "HD-", "Prüfstand"):
            page = client.get(reverse("tickets:list"), {"tab": tab, "q": query}).context["page_obj"]
            assert {t.organisation_id for t in page} <= {own.pk}


def test_reseller_agent_sees_its_customers_ticket(client, users, foreign):
    client.force_login(users["partner-agent"])
    ticket = foreign["partner-customer"]
    assert client.get(reverse("tickets:detail", kwargs={"reference": ticket.reference})).status_code == 200


def test_internal_attachment_is_404_for_customers_but_served_to_agents(client, users, file_ticket):
    ticket = file_ticket()
    note = services.comment_add(ticket=ticket, author=users["agent"], body="intern", is_internal=True,
                                files=[upload("intern.txt", b"nur intern")]).comment
    url = reverse("tickets:attachment", kwargs={"reference": ticket.reference,
                                                "public_id": note.attachments.get().public_id})
    for viewer in ("customer", "reader"):
        client.force_login(users[viewer])
        assert client.get(url).status_code == 404
    client.force_login(users["agent"])
    assert client.get(url).status_code == 200


def test_customers_get_public_events_only(users, file_ticket):
    ticket = file_ticket()
    services.ticket_assign(ticket=ticket, actor=users["agent"], assignee=users["agent"])
    services.comment_add(ticket=ticket, author=users["agent"], body="intern", is_internal=True)
    for viewer in ("customer", "reader"):
        events = selectors.ticket_events_for_user(ticket=ticket, user=users[viewer])
        assert all(event.is_public for event in events)
    agent_events = selectors.ticket_events_for_user(ticket=ticket, user=users["agent"])
    assert len(agent_events) == ticket.events.count()


@pytest.mark.parametrize("value", ["HD-2026-99999x", "../1", "", "hd-2026-000001;drop"])
def test_malformed_references_are_404(users, value):
    with pytest.raises(Http404):
        selectors.ticket_get_for_user(user=users["customer"], reference_or_id=value)


def test_malformed_attachment_id_is_404(users, file_ticket):
    ticket = file_ticket()
    with pytest.raises(Http404):
        selectors.attachment_get_for_user(user=users["customer"], reference_or_id=ticket.reference, public_id="x")


def test_anonymous_is_sent_to_login_for_every_ticket_route(client, foreign):
    ticket = foreign["customer"]
    attachment = ticket.attachments.get()
    for url in (reverse("tickets:detail", kwargs={"reference": ticket.reference}),
                reverse("tickets:attachment", kwargs={"reference": ticket.reference,
                                                      "public_id": attachment.public_id})):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    for route in POST_ROUTES:
        response = client.post(reverse(f"tickets:{route}", kwargs={"reference": ticket.reference}))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
