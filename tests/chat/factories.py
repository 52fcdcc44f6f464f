"""Chat desks, availability and chats for the chat tests: chats are started through the services."""

from datetime import datetime
from zoneinfo import ZoneInfo

import factory

from chat import services
from chat.models import ChatDesk
from tests.factories import AgentFactory, ContactFactory
from tests.sla.factories import nrw_calendar

BERLIN = ZoneInfo("Europe/Berlin")
# Monday 23 November 2026: open from 09:00 to 17:00 (the NRW test calendar).
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)
MONDAY_18 = datetime(2026, 11, 23, 18, 0, tzinfo=BERLIN)
TUESDAY_9 = datetime(2026, 11, 24, 9, 0, tzinfo=BERLIN)


class ChatDeskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChatDesk

    name = factory.Sequence(lambda n: f"Chat Köln {n}")
    slug = factory.Sequence(lambda n: f"chat-koeln-{n}")
    calendar = factory.LazyFunction(lambda: nrw_calendar(slug=f"chat-{ChatDesk.objects.count()}"))
    team = None
    max_chats_per_agent = 2


def available_agent(**fields):
    agent = AgentFactory(**fields)
    services.availability_set(agent=agent, status="available", now=MONDAY_10)
    return agent


def started_chat(desk=None, customer=None, body="Grüß Gott, der Drucker druckt nicht.", now=MONDAY_10):
    desk = desk or ChatDeskFactory()
    customer = customer or ContactFactory()
    return services.chat_start(desk=desk, customer=customer, body=body, now=now)


def always_open_desk(**fields):
    """A desk whose chat hours never close (tests that run on the real clock: the sockets)."""
    calendar = nrw_calendar(slug=f"immer-{ChatDesk.objects.count()}", hours={d: [(0, 1440)] for d in range(7)},
                            holiday_country="", holiday_subdivision="")
    return ChatDeskFactory(calendar=calendar, **fields)
