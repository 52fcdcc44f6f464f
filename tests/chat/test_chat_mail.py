"""The transcript by mail: queued in the outbox on the customer's request, rendered in the
recipient's language; a visitor's goes to the address it gave."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from chat import services
from chat.access import AGENT, CUSTOMER
from chat.mail import chat_transcript_mail
from notifications.models import OutboxMail
from notifications.tasks import outbox_deliver
from tests.chat.factories import MONDAY_10, ChatDeskFactory, available_agent, started_chat
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    return ChatDeskFactory()


@pytest.fixture
def agent(desk):
    return available_agent(first_name="Anna", last_name="Agentin")


def test_customer_gets_the_transcript_in_its_language(desk, agent):
    customer = ContactFactory(language="de")
    chat = started_chat(desk, customer=customer, body="Der Drucker druckt nicht.")
    services.chat_accept(chat=chat, agent=agent, now=MONDAY_10)
    services.message_post(chat=chat, user=agent, side=AGENT, body="Bitte neu starten.", now=MONDAY_10)
    chat_transcript_mail(chat=chat, side=CUSTOMER, now=MONDAY_10)
    outbox_deliver()
    sent = mail.outbox[-1]
    assert sent.to == [customer.email]
    assert "Ihr Chat mit dem Support" in sent.subject
    assert "Der Drucker druckt nicht." in sent.body and "[10:00] Anna Agentin: Bitte neu starten." in sent.body
    assert "Anna Agentin ist dem Chat beigetreten." in sent.body


def test_asking_twice_without_news_queues_one_mail(desk, agent):
    chat = started_chat(desk)
    chat_transcript_mail(chat=chat, side=CUSTOMER, now=MONDAY_10)
    chat_transcript_mail(chat=chat, side=CUSTOMER, now=MONDAY_10)
    assert OutboxMail.objects.filter(kind="chat_transcript").count() == 1
    services.message_post(chat=chat, user=chat.customer, side=CUSTOMER, body="Noch was", now=MONDAY_10)
    chat_transcript_mail(chat=chat, side=CUSTOMER, now=MONDAY_10)
    assert OutboxMail.objects.filter(kind="chat_transcript").count() == 2


def test_visitor_gets_it_at_the_address_it_gave(desk, agent):
    chat = services.chat_start(desk=desk, visitor_name="Jörg", visitor_email="joerg@example.com", body="Hallo",
                               now=MONDAY_10, language="en")
    chat_transcript_mail(chat=chat, side=CUSTOMER, now=MONDAY_10)
    outbox_deliver()
    assert mail.outbox[-1].to == ["joerg@example.com"]
    assert "Your chat with support" in mail.outbox[-1].subject


def test_agents_do_not_order_transcripts(desk, agent):
    chat = started_chat(desk)
    with pytest.raises(PermissionDenied):
        chat_transcript_mail(chat=chat, side=AGENT, now=MONDAY_10)


def test_customer_without_address_is_told(desk, agent):
    chat = started_chat(desk, customer=ContactFactory(email=""))
    with pytest.raises(ValidationError):
        chat_transcript_mail(chat=chat, side=CUSTOMER, now=MONDAY_10)


def test_transcript_button(client, desk, agent):
    customer = ContactFactory(language="en")
    chat = started_chat(desk, customer=customer)
    client.force_login(customer)
    response = client.post(reverse("chat:transcript", args=[chat.public_id]), follow=True)
    assert "The transcript is on its way" in response.content.decode()
    assert OutboxMail.objects.filter(kind="chat_transcript", recipient=customer).exists()
