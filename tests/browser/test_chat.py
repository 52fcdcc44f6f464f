"""Live chat in two browsers at once: a customer and an agent chat in real time over WebSockets,
served by the ASGI application (uvicorn in a thread, on the test database); and the fallback to
polling when the WebSocket cannot connect."""

import socket
import threading
import time

import pytest
import uvicorn
from channels.routing import ProtocolTypeRouter
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.urls import reverse

from chat.models import ChatDesk
from tests.chat.factories import always_open_desk, available_agent
from tests.factories import ContactFactory

PASSWORD = "geheim-Passwort-1"


class _Server:
    def __init__(self, url):
        self.url = url


@pytest.fixture
def asgi_server(transactional_db, settings):
    """The project's ASGI application (HTTP and WebSockets) under uvicorn in a thread; static files
    as runserver serves them."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    from helpdesk.asgi import application

    app = ProtocolTypeRouter({
        "http": ASGIStaticFilesHandler(application.application_mapping["http"]),
        "websocket": application.application_mapping["websocket"],
    })
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", ws="websockets-sansio"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield _Server(f"http://127.0.0.1:{port}")
    server.should_exit = True
    thread.join(10)
    channel_layers.backends.clear()


@pytest.fixture
def people(asgi_server):
    ChatDesk.objects.update(is_active=False)
    always_open_desk()
    agent = available_agent(username="chat-agent", first_name="Anna", last_name="Agentin")
    customer = ContactFactory(username="chat-kunde", first_name="Klaus", last_name="Kunde")
    return customer, agent


def _login(page, server, username):
    page.goto(server.url + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(server.url + reverse("home"))


def _last_message(page):
    return page.locator("[data-testid=chat-message]").last


def test_customer_and_agent_chat_in_real_time(browser, browser_context_args, asgi_server, people):
    customer_page = browser.new_context(**browser_context_args).new_page()
    agent_page = browser.new_context(**browser_context_args).new_page()
    for page in (customer_page, agent_page):
        page.set_default_timeout(10_000)

    _login(customer_page, asgi_server, "chat-kunde")
    customer_page.goto(asgi_server.url + reverse("chat:portal"))
    customer_page.fill("textarea[name=body]", "Guten Tag, der Etikettendrucker druckt leer.")
    customer_page.click("[data-testid=chat-start]")
    customer_page.wait_for_selector("[data-chat-pane][data-transport=websocket]")
    customer_page.wait_for_selector("[data-testid=chat-waiting]")

    _login(agent_page, asgi_server, "chat-agent")
    agent_page.goto(asgi_server.url + reverse("chat:console"))
    row = agent_page.locator("[data-testid=chat-waiting-row]")
    assert "Klaus Kunde" in row.inner_text()
    row.locator("[data-testid=chat-accept]").click()
    agent_page.wait_for_selector("[data-chat-pane][data-transport=websocket]")
    agent_page.wait_for_selector("text=Guten Tag, der Etikettendrucker druckt leer.")

    # The customer sees the agent join, then the agent typing and the answer, without reloading.
    customer_page.wait_for_selector("text=Anna Agentin ist dem Chat beigetreten.")
    agent_page.fill("[data-testid=chat-input]", "Ist das Etikettenband richtig eingelegt?")
    customer_page.wait_for_selector("text=Der Agent schreibt …")
    agent_page.click("[data-testid=chat-send]")
    customer_page.wait_for_selector("text=Ist das Etikettenband richtig eingelegt?")

    # The customer's answer reaches the agent; the agent's page reads it, so the customer sees "Gelesen".
    customer_page.fill("[data-testid=chat-input]", "Ja, eben geprüft.")
    customer_page.press("[data-testid=chat-input]", "Enter")
    agent_page.wait_for_selector("text=Ja, eben geprüft.")
    own = _last_message(customer_page)
    own.locator("[data-mark]", has_text="Gelesen").wait_for()

    # A reload (a reconnect) shows the whole conversation once.
    customer_page.reload()
    customer_page.wait_for_selector("[data-chat-pane][data-transport=websocket]")
    customer_page.wait_for_selector("text=Ja, eben geprüft.")
    texts = customer_page.locator("[data-testid=chat-message] .chat-text").all_inner_texts()
    assert texts.count("Ja, eben geprüft.") == 1 and texts.count("Ist das Etikettenband richtig eingelegt?") == 1


def test_widget_falls_back_to_polling_without_websocket(browser, browser_context_args, asgi_server, people):
    context = browser.new_context(**browser_context_args)
    context.add_init_script("window.WebSocket = undefined; delete window.WebSocket;")
    page = context.new_page()
    page.set_default_timeout(10_000)
    _login(page, asgi_server, "chat-kunde")
    page.goto(asgi_server.url + reverse("chat:portal"))
    page.fill("textarea[name=body]", "Hallo über einen Proxy")
    page.click("[data-testid=chat-start]")
    page.wait_for_selector("[data-chat-pane][data-transport=polling]")
    assert "alle paar Sekunden" in page.inner_text("[data-connection]")
    page.fill("[data-testid=chat-input]", "Zweite Nachricht")
    page.click("[data-testid=chat-send]")
    _last_message(page).locator("[data-mark]", has_text="Gesendet").wait_for()
    assert page.locator("[data-testid=chat-message]").count() == 2


def test_script_tag_on_a_customer_page_opens_the_public_chat(page, asgi_server, people):
    """A visitor on the customer's web page (another origin) clicks the embedded button, gives a
    name and an address in the public chat window and lands in the chat."""
    page.set_content(f'<p>Kundenseite</p><script src="{asgi_server.url}/static/js/chat-embed.js" '
                     'data-label="Chat mit dem Support"></script>')
    with page.expect_popup() as popup_info:
        page.click("[data-helpdesk-chat]")
    chat_window = popup_info.value
    chat_window.wait_for_load_state()
    assert chat_window.url == asgi_server.url + reverse("chat:public")
    chat_window.fill("input[name=visitor_name]", "Jörg Weiß")
    chat_window.fill("input[name=visitor_email]", "joerg@example.com")
    chat_window.fill("textarea[name=body]", "Gibt es das Modell auch in Blau?")
    chat_window.click("[data-testid=chat-start]")
    chat_window.wait_for_selector("[data-chat-pane][data-transport=websocket]")
    chat_window.wait_for_selector("text=Gibt es das Modell auch in Blau?")
