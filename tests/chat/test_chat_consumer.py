"""The chat's WebSocket (channels' WebsocketCommunicator, in-memory layer): real time between
both sides, resume from the last seen id, the gate per message, size and rate limits."""


import asyncio
import functools
import threading

import pytest
from asgiref.sync import sync_to_async
from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from chat import services
from chat.access import VISITOR_SESSION_KEY
from chat.consumers import CLOSE_NOT_FOUND
from chat.routing import websocket_urlpatterns
from tests.chat.factories import always_open_desk, available_agent
from tests.factories import AgentFactory, ContactFactory, ResellerFactory

pytestmark = [pytest.mark.django_db(transaction=True)]

APP = AuthMiddlewareStack(URLRouter(websocket_urlpatterns))


def in_own_loop(test):
    """Run an async test in an event loop of its own, in a thread of its own: the browser tests'
    Playwright keeps a loop running in the main thread of the same worker process."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        outcome = {}

        def target():
            try:
                asyncio.run(test(*args, **kwargs))
            except BaseException as error:
                outcome["error"] = error

        thread = threading.Thread(target=target)
        thread.start()
        thread.join(120)
        if "error" in outcome:
            raise outcome["error"]
        assert not thread.is_alive(), "the test did not finish within 120 s"

    return run


@pytest.fixture(autouse=True)
def _in_memory_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def _session_cookie(user=None, visitor_chats=()):
    session = SessionStore()
    if user is not None:
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if visitor_chats:
        session[VISITOR_SESSION_KEY] = [str(c) for c in visitor_chats]
    session.save()
    return f"sessionid={session.session_key}"


async def _connect(chat, user=None, after=0, visitor_chats=()):
    cookie = await sync_to_async(_session_cookie)(user, visitor_chats)
    communicator = WebsocketCommunicator(
        APP, f"/ws/chat/{chat.public_id}/?after={after}",
        headers=[(b"cookie", cookie.encode()), (b"host", b"testserver")],
    )
    connected, code = await communicator.connect()
    return communicator, connected, code


@pytest.fixture
def served(settings):
    """A chat in conversation: the customer, the agent, the chat (started now, on a desk open now)."""
    settings.TIME_ZONE = "Europe/Berlin"
    now = timezone.now()
    desk = always_open_desk()
    agent = available_agent(language="en")
    customer = ContactFactory(language="en")
    chat = services.chat_start(desk=desk, customer=customer, body="Hallo, ist jemand da?", now=now)
    services.chat_accept(chat=chat, agent=agent, now=now)
    return customer, agent, chat


async def _messages(communicator, count):
    return [await communicator.receive_json_from(timeout=3) for _ in range(count)]


@in_own_loop
async def test_customer_and_agent_chat_in_real_time(served):
    customer, agent, chat = served
    customer_ws, connected, _ = await _connect(chat, customer)
    assert connected
    agent_ws, connected, _ = await _connect(chat, agent)
    assert connected
    backlog = await _messages(customer_ws, 2)
    assert [m["sender"] for m in backlog] == ["customer", "system"]
    assert backlog[1]["text"].endswith("joined the chat.")
    await _messages(agent_ws, 2)

    await customer_ws.send_json_to({"type": "message", "text": "Der Drucker streikt.", "client_id": "k1"})
    for ws in (customer_ws, agent_ws):
        received = await ws.receive_json_from(timeout=3)
        assert received["text"] == "Der Drucker streikt." and received["sender"] == "customer"
        assert received["client_id"] == "k1"
    await agent_ws.send_json_to({"type": "typing"})
    assert await customer_ws.receive_json_from(timeout=3) == {"type": "typing", "sender": "agent"}
    await agent_ws.send_json_to({"type": "read", "up_to": received["id"]})
    for ws in (customer_ws, agent_ws):
        assert await ws.receive_json_from(timeout=3) == {"type": "read", "side": "agent", "up_to": received["id"]}
    await customer_ws.disconnect()
    await agent_ws.disconnect()


@in_own_loop
async def test_reconnect_resumes_from_the_last_seen_id_and_loses_nothing(served):
    customer, agent, chat = served
    customer_ws, _, _ = await _connect(chat, customer)
    seen = await _messages(customer_ws, 2)
    await customer_ws.disconnect()
    now = timezone.now()
    for text in ("Erstens", "Zweitens"):  # while the customer is away
        await sync_to_async(services.message_post)(chat=chat, user=agent, side="agent", body=text, now=now)
    customer_ws, _, _ = await _connect(chat, customer, after=seen[-1]["id"])
    missed = await _messages(customer_ws, 2)
    assert [m["text"] for m in missed] == ["Erstens", "Zweitens"]
    assert await customer_ws.receive_nothing()
    await customer_ws.send_json_to({"type": "resume", "after": seen[0]["id"]})
    assert len(await _messages(customer_ws, 3)) == 3
    await customer_ws.disconnect()


@in_own_loop
async def test_foreign_chat_is_refused_on_connect(served):
    _customer, _agent, chat = served
    for stranger in (ContactFactory, lambda: AgentFactory(organisation=ResellerFactory())):
        person = await sync_to_async(stranger)()
        _ws, connected, code = await _connect(chat, person)
        assert not connected and code == CLOSE_NOT_FOUND
    _ws, connected, code = await _connect(chat)  # anonymous, no visitor session
    assert not connected


@in_own_loop
async def test_gate_is_checked_per_message_after_a_transfer(served):
    _customer, agent, chat = served
    agent_ws, _, _ = await _connect(chat, agent)
    await _messages(agent_ws, 2)
    colleague = await sync_to_async(AgentFactory)(organisation=agent.organisation)
    await sync_to_async(services.chat_transfer)(chat=chat, agent=agent, to=colleague, now=timezone.now())
    transferred = await agent_ws.receive_json_from(timeout=3)  # still sees the chat (its organisation)
    assert transferred["code"] == "transferred"
    await agent_ws.send_json_to({"type": "message", "text": "Noch eine Frage", "client_id": "a1"})
    refused = await agent_ws.receive_json_from(timeout=3)
    assert refused["type"] == "error" and refused["client_id"] == "a1"
    await agent_ws.disconnect()


@in_own_loop
async def test_deactivated_person_is_cut_off_at_the_next_message(served):
    customer, _agent, chat = served
    customer_ws, _, _ = await _connect(chat, customer)
    await _messages(customer_ws, 2)
    customer.is_active = False
    await sync_to_async(customer.save)()
    await customer_ws.send_json_to({"type": "message", "text": "Hallo?"})
    assert (await customer_ws.receive_output(timeout=3))["type"] == "websocket.close"
    assert await sync_to_async(chat.messages.filter(body="Hallo?").exists)() is False


@in_own_loop
async def test_socket_stops_receiving_when_it_may_no_longer_see_the_chat(served):
    customer, agent, chat = served
    customer_ws, _, _ = await _connect(chat, customer)
    await _messages(customer_ws, 2)
    customer.is_active = False
    await sync_to_async(customer.save)()
    await sync_to_async(services.message_post)(chat=chat, user=agent, side="agent", body="Geheim", now=timezone.now())
    output = await customer_ws.receive_output(timeout=3)
    assert output["type"] == "websocket.close"


@in_own_loop
async def test_size_limit_and_unreadable_frames(served, settings):
    settings.CHAT_MESSAGE_MAX_LENGTH = 20
    customer, _agent, chat = served
    customer_ws, _, _ = await _connect(chat, customer)
    await _messages(customer_ws, 2)
    await customer_ws.send_to(text_data="x" * 2000)  # above the frame limit (4 bytes a character + 1 KiB)
    assert (await customer_ws.receive_json_from(timeout=3))["message"] == "The message is too long."
    await customer_ws.send_to(text_data="kein json")
    assert (await customer_ws.receive_json_from(timeout=3))["message"] == "The message could not be read."
    await customer_ws.send_json_to({"type": "message", "text": "y" * 25, "client_id": "lang"})
    error = await customer_ws.receive_json_from(timeout=3)
    assert error["type"] == "error" and "at most 20 characters" in error["message"]
    await customer_ws.disconnect()


@in_own_loop
async def test_rate_limit_over_the_socket(served, settings):
    settings.CHAT_RATE_MESSAGES, settings.CHAT_RATE_SECONDS = 2, 3600
    customer, _agent, chat = served
    customer_ws, _, _ = await _connect(chat, customer)
    await _messages(customer_ws, 2)
    await customer_ws.send_json_to({"type": "message", "text": "eins", "client_id": "1"})
    assert (await customer_ws.receive_json_from(timeout=3))["text"] == "eins"
    await customer_ws.send_json_to({"type": "message", "text": "zwei", "client_id": "2"})
    error = await customer_ws.receive_json_from(timeout=3)
    assert error["type"] == "error" and "Too many messages" in error["message"]
    await customer_ws.disconnect()


@in_own_loop
async def test_anonymous_visitor_joins_only_the_chat_its_session_started(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    desk = await sync_to_async(always_open_desk)()
    await sync_to_async(available_agent)()
    chat = await sync_to_async(services.chat_start)(desk=desk, visitor_name="Jörg", visitor_email="j@example.com",
                                                     body="Hallo", now=timezone.now(), language="de")
    ws, connected, _ = await _connect(chat, visitor_chats=[chat.public_id])
    assert connected
    first = await ws.receive_json_from(timeout=3)
    assert first["author"] == "Jörg" and first["text"] == "Hallo"
    await ws.disconnect()
    _other, connected, _ = await _connect(chat, visitor_chats=["00000000-0000-0000-0000-000000000000"])
    assert not connected
