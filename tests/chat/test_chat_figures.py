"""Chat figures on the manager dashboard: waiting time and duration per desk and per agent."""

from datetime import timedelta

import pytest
from django.urls import reverse

from chat import services
from chat.access import CUSTOMER
from chat.selectors import chat_figures
from chat.templatetags.chat_tags import duration_short
from tests.chat.factories import MONDAY_10, ChatDeskFactory, available_agent, started_chat
from tests.factories import ContactFactory, UserFactory
from tests.tickets.sla_helpers import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def chats():
    desk = ChatDeskFactory(name="Chat Köln")
    agent = available_agent(first_name="Anna", last_name="Agentin")
    answered = started_chat(desk)
    services.chat_accept(chat=answered, agent=agent, now=MONDAY_10 + timedelta(minutes=2))
    services.chat_close(chat=answered, user=agent, side="agent", now=MONDAY_10 + timedelta(minutes=12))
    other = started_chat(desk)
    services.chat_accept(chat=other, agent=agent, now=MONDAY_10 + timedelta(minutes=4))
    waiting = started_chat(desk)
    services.chat_close(chat=waiting, user=waiting.customer, side=CUSTOMER, now=MONDAY_10 + timedelta(minutes=1))
    return desk, agent, answered


def test_figures_per_desk_and_agent(chats):
    figures = chat_figures(start=MONDAY_10 - timedelta(hours=1), end=MONDAY_10 + timedelta(hours=1))
    (desk,) = figures["desks"]
    assert (desk.name, desk.chats, desk.answered) == ("Chat Köln", 3, 2)
    assert desk.mean_wait == timedelta(minutes=3) and desk.longest_wait == timedelta(minutes=4)
    assert desk.mean_duration == timedelta(minutes=10)
    (agent,) = figures["agents"]
    assert (agent.name, agent.chats) == ("Anna Agentin", 2)


def test_figures_only_for_the_period_and_the_organisations(chats):
    _desk, _agent, answered = chats
    assert chat_figures(start=MONDAY_10 + timedelta(hours=1), end=MONDAY_10 + timedelta(hours=2))["desks"] == []
    own = chat_figures(start=MONDAY_10 - timedelta(hours=1), end=MONDAY_10 + timedelta(hours=1),
                       organisations=type(answered.organisation).objects.filter(pk=answered.organisation_id))
    assert own["desks"][0].chats == 1


@pytest.mark.parametrize(("value", "text"), [
    (timedelta(seconds=42), "42 s"), (timedelta(minutes=3, seconds=5), "3 min 05 s"),
    (timedelta(hours=1, minutes=2), "1 h 02 min"), ("—", "—"),
])
def test_duration_short(value, text):
    assert duration_short(value) == text


def test_dashboard_shows_the_chat_figures(client, chats):
    manager = UserFactory(role="manager", organisation=chats[1].organisation, language="en")
    client.force_login(manager)
    with clock(MONDAY_10 + timedelta(hours=1)):
        content = client.get(reverse("dashboard:index")).content.decode()
    assert 'data-testid="chat-figures-desks"' in content and "Chat Köln" in content and "4 min 00 s" in content


def test_dashboard_without_chats_shows_no_chat_section(client):
    manager = UserFactory(role="manager", organisation=ContactFactory().organisation, language="en")
    manager.organisation.kind = "vendor"
    manager.organisation.save()
    client.force_login(manager)
    assert 'data-testid="chat-figures"' not in client.get(reverse("dashboard:index")).content.decode()
