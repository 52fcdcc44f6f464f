"""The chat's pages and endpoints: the widget in and out of chat hours, starting, the room, the
polling fallback (messages after an id, sending over HTTP) and the console's actions, each with
its access checks."""

import json
import uuid

import pytest
from django.urls import reverse
from django.utils.html import escape

from chat import services
from chat.access import VISITOR_SESSION_KEY
from chat.models import Chat, ChatStatus
from tests.chat.factories import MONDAY_10, MONDAY_18, ChatDeskFactory, available_agent, started_chat
from tests.factories import AgentFactory, ContactFactory, UserFactory
from tests.tickets.sla_helpers import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    return ChatDeskFactory()


@pytest.fixture
def agent(desk):
    return available_agent(language="en")


@pytest.fixture
def customer():
    return ContactFactory(language="en")


def test_widget_offers_chat_in_hours(client, desk, agent, customer):
    client.force_login(customer)
    with clock(MONDAY_10):
        page = client.get(reverse("chat:portal"))
    assert b'data-testid="chat-start-form"' in page.content


def test_closed_desk_hides_the_widget_and_says_when_it_opens(client, desk, agent, customer):
    client.force_login(customer)
    with clock(MONDAY_18):
        page = client.get(reverse("chat:portal"))
    content = page.content.decode()
    assert 'data-testid="chat-start-form"' not in content
    assert "Chat is closed. It opens again on" in content and "24 November 2026, 09:00" in content
    assert reverse("tickets:create") in content


def test_nobody_available_hides_the_widget(client, desk, customer):
    client.force_login(customer)
    with clock(MONDAY_10):
        content = client.get(reverse("chat:portal")).content.decode()
    assert 'data-testid="chat-start-form"' not in content and "No agent is free" in content


def test_reader_sees_the_page_but_cannot_start(client, desk, agent):
    reader = UserFactory(role="reader", language="en")
    client.force_login(reader)
    with clock(MONDAY_10):
        content = client.get(reverse("chat:portal")).content.decode()
        refused = client.post(reverse("chat:start"), {"body": "Hallo"})
    assert 'data-testid="chat-not-allowed"' in content
    assert refused.status_code == 403 and not Chat.objects.exists()


def test_start_and_land_in_the_room(client, desk, agent, customer):
    client.force_login(customer)
    with clock(MONDAY_10):
        response = client.post(reverse("chat:start"), {"body": "Grüß Gott"})
    chat = Chat.objects.get()
    assert response.status_code == 302 and response.url == reverse("chat:room", args=[chat.public_id])
    with clock(MONDAY_10):
        room = client.get(response.url)
        assert client.get(reverse("chat:portal")).url == response.url  # an open chat: straight back to it
    assert b"data-chat-pane" in room.content and f"/ws/chat/{chat.public_id}/".encode() in room.content


def test_start_outside_hours_keeps_the_text(client, desk, agent, customer):
    client.force_login(customer)
    with clock(MONDAY_18):
        response = client.post(reverse("chat:start"), {"body": "Meine Frage"})
    assert response.status_code == 422 and not Chat.objects.exists()


def test_start_with_empty_text_is_refused(client, desk, agent, customer):
    client.force_login(customer)
    with clock(MONDAY_10):
        response = client.post(reverse("chat:start"), {"body": ""})
    assert response.status_code == 422 and not Chat.objects.exists()


def test_public_page_starts_an_unverified_visitor_chat(client, desk, agent):
    with clock(MONDAY_10):
        response = client.post(reverse("chat:public"), {"visitor_name": "Jörg Weiß", "visitor_email": "j@example.com",
                                                        "body": "Hallo"})
        chat = Chat.objects.get()
        assert response.url == reverse("chat:room", args=[chat.public_id])
        assert client.session[VISITOR_SESSION_KEY] == [str(chat.public_id)]
        assert client.get(response.url).status_code == 200
    assert chat.is_anonymous and chat.visitor_email == "j@example.com"


def test_public_page_refuses_a_bad_address_and_keeps_the_text(client, desk, agent):
    with clock(MONDAY_10):
        response = client.post(reverse("chat:public"), {"visitor_name": "Jörg", "visitor_email": "nein",
                                                        "body": "Meine lange Frage"})
    assert response.status_code == 422 and "Meine lange Frage" in response.content.decode()


def test_other_visitors_and_customers_get_a_404(client, desk, agent, customer):
    chat = started_chat(desk, customer=customer)
    for url in (reverse("chat:room", args=[chat.public_id]), reverse("chat:messages", args=[chat.public_id])):
        assert client.get(url).status_code == 404
        client.force_login(ContactFactory())
        assert client.get(url).status_code == 404
        client.logout()


def test_polling_returns_messages_after_an_id(client, desk, agent, customer):
    chat = started_chat(desk, customer=customer)
    services.chat_accept(chat=chat, agent=agent, now=MONDAY_10)
    first = chat.messages.first()
    client.force_login(customer)
    data = client.get(reverse("chat:messages", args=[chat.public_id]), {"after": first.pk}).json()
    assert [m["code"] for m in data["messages"]] == ["accepted"]
    assert data["status"] == "active" and data["read"] == {"customer": 0, "agent": 0}


def test_sending_over_http_stores_once_per_client_id(client, desk, agent, customer):
    chat = started_chat(desk, customer=customer)
    client.force_login(customer)
    url = reverse("chat:send", args=[chat.public_id])
    body = json.dumps({"text": "Noch etwas", "client_id": "h-1"})
    with clock(MONDAY_10):
        created = client.post(url, body, content_type="application/json")
        again = client.post(url, body, content_type="application/json")
    assert created.status_code == 201 and again.status_code == 200
    assert created.json()["id"] == again.json()["id"]
    assert chat.messages.filter(client_id="h-1").count() == 1


def test_sending_too_long_over_http_says_why(client, desk, agent, customer, settings):
    settings.CHAT_MESSAGE_MAX_LENGTH = 5
    chat = started_chat(desk, customer=customer, body="kurz")
    client.force_login(customer)
    with clock(MONDAY_10):
        response = client.post(reverse("chat:send", args=[chat.public_id]), json.dumps({"text": "zu lang"}),
                               content_type="application/json")
    assert response.status_code == 422 and "at most 5 characters" in response.json()["error"]


def test_agent_who_does_not_serve_cannot_send_over_http(client, desk, agent, customer):
    chat = started_chat(desk, customer=customer)
    client.force_login(agent)
    response = client.post(reverse("chat:send", args=[chat.public_id]), json.dumps({"text": "Hallo"}),
                           content_type="application/json")
    assert response.status_code == 403


def test_read_mark_over_http(client, desk, agent, customer):
    chat = started_chat(desk, customer=customer)
    client.force_login(customer)
    last = chat.messages.last().pk
    assert client.post(reverse("chat:read", args=[chat.public_id]), {"up_to": last}).json() == {"up_to": last}


def test_console_shows_the_queue_and_accepts(client, desk, agent, customer):
    chat = started_chat(desk, customer=customer)
    client.force_login(agent)
    with clock(MONDAY_10.replace(minute=7)):
        console = client.get(reverse("chat:console")).content.decode()
        assert 'data-testid="chat-waiting-row"' in console and "7\xa0minutes" in console
        assert escape(str(customer.organisation)) in console
        client.post(reverse("chat:accept", args=[chat.public_id]))
        console = client.get(reverse("chat:console")).content.decode()
    chat.refresh_from_db()
    assert chat.status == ChatStatus.ACTIVE and chat.agent == agent
    assert 'data-testid="chat-pane"' in console and "Nobody is waiting." in console


def test_console_is_for_agents_only(client, customer):
    client.force_login(customer)
    assert client.get(reverse("chat:console")).status_code == 403


def test_availability_from_the_console(client, desk, agent):
    client.force_login(agent)
    client.post(reverse("chat:availability"), {"status": "away"})
    agent.refresh_from_db()
    assert agent.chat_availability.status == "away"
    response = client.post(reverse("chat:availability"), {"status": "schlafend"}, follow=True)
    assert "Choose available, busy or away." in response.content.decode()


def test_file_a_ticket_from_the_console(client, desk, agent, customer):
    chat = started_chat(desk, customer=customer)
    services.chat_accept(chat=chat, agent=agent, now=MONDAY_10)
    client.force_login(agent)
    prefix = f"t{chat.pk}"
    response = client.post(reverse("chat:ticket", args=[chat.public_id]),
                           {f"{prefix}-subject": "Drucker", f"{prefix}-category": "question"}, follow=True)
    chat.refresh_from_db()
    assert chat.ticket is not None and chat.ticket.reported_at == MONDAY_10
    assert chat.ticket.reference in response.content.decode()


def test_ticket_form_errors_are_shown(client, desk, agent, customer):
    chat = started_chat(desk, customer=customer)
    services.chat_accept(chat=chat, agent=agent, now=MONDAY_10)
    client.force_login(agent)
    response = client.post(reverse("chat:ticket", args=[chat.public_id]), {f"t{chat.pk}-subject": ""}, follow=True)
    chat.refresh_from_db()
    assert chat.ticket is None and "This field is required." in response.content.decode()


def test_append_to_an_unknown_ticket_says_so(client, desk, agent, customer):
    chat = started_chat(desk, customer=customer)
    services.chat_accept(chat=chat, agent=agent, now=MONDAY_10)
    client.force_login(agent)
    response = client.post(reverse("chat:append", args=[chat.public_id]), {f"a{chat.pk}-reference": "HD-2026-999999"},
                           follow=True)
    assert "No ticket with this reference." in response.content.decode()


def test_transfer_from_the_console(client, desk, agent, customer):
    chat = started_chat(desk, customer=customer)
    services.chat_accept(chat=chat, agent=agent, now=MONDAY_10)
    colleague = AgentFactory(organisation=agent.organisation)
    client.force_login(agent)
    client.post(reverse("chat:transfer", args=[chat.public_id]), {"to": colleague.pk})
    chat.refresh_from_db()
    assert chat.agent == colleague
    response = client.post(reverse("chat:transfer", args=[chat.public_id]), {"to": "x"})
    assert response.status_code == 403  # no longer the one serving it


def test_actions_on_a_foreign_chat_are_404(client, desk, agent, customer):
    client.force_login(agent)
    assert client.post(reverse("chat:accept", args=[uuid.uuid4()])).status_code == 404


def test_a_colleague_cannot_close_a_served_chat(client, desk, agent, customer):
    chat = started_chat(desk, customer=customer)
    services.chat_accept(chat=chat, agent=agent, now=MONDAY_10)
    client.force_login(available_agent(organisation=agent.organisation, language="en"))
    response = client.post(reverse("chat:close", args=[chat.public_id]), follow=True)
    chat.refresh_from_db()
    assert chat.status == ChatStatus.ACTIVE
    assert "Only the agent serving this chat can close it." in response.content.decode()


def test_customer_closes_the_chat(client, desk, agent, customer):
    chat = started_chat(desk, customer=customer)
    client.force_login(customer)
    client.post(reverse("chat:close", args=[chat.public_id]))
    chat.refresh_from_db()
    assert chat.status == ChatStatus.CLOSED
