"""The chat's services: starting in announced hours only, messages (limits, resend), accept,
transfer, close, availability, the lead's offer, and turning a chat into a ticket."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chat import services
from chat.access import AGENT, CUSTOMER
from chat.models import ChatMessage, ChatStatus, MessageCode, Sender
from chat.selectors import available_agents, chats_waiting_for, desk_state
from tests.chat.factories import MONDAY_10, MONDAY_18, TUESDAY_9, ChatDeskFactory, available_agent, started_chat
from tests.factories import AgentFactory, ContactFactory, ResellerFactory, TeamFactory, UserFactory
from tests.sla.factories import contract, policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    return ChatDeskFactory()


@pytest.fixture
def agent(desk):
    return available_agent()


def test_desk_offers_chat_only_while_open_and_someone_is_available(desk):
    assert not desk_state(desk=desk, now=MONDAY_10).offers_chat  # nobody available yet
    available_agent()
    state = desk_state(desk=desk, now=MONDAY_10)
    assert state.is_open and state.agents_available == 1 and state.offers_chat and state.opens_at is None
    closed = desk_state(desk=desk, now=MONDAY_18)
    assert not closed.is_open and not closed.offers_chat
    assert closed.opens_at == TUESDAY_9


def test_busy_and_away_agents_and_full_agents_do_not_count(desk, agent):
    services.availability_set(agent=AgentFactory(), status="busy", now=MONDAY_10)
    assert list(available_agents(desk=desk)) == [agent]
    for _ in range(desk.max_chats_per_agent):
        services.chat_accept(chat=started_chat(desk), agent=agent, now=MONDAY_10)
    assert not desk_state(desk=desk, now=MONDAY_10).offers_chat


def test_team_desk_counts_only_its_team(desk, agent):
    desk.team = TeamFactory()
    desk.save()
    assert desk_state(desk=desk, now=MONDAY_10).agents_available == 0
    desk.team.members.add(agent)
    assert desk_state(desk=desk, now=MONDAY_10).agents_available == 1


def test_start_outside_hours_says_when_chat_opens(desk, agent):
    with pytest.raises(ValidationError) as error:
        started_chat(desk, now=MONDAY_18)
    assert "opens again" in str(error.value.message_dict["desk"])


def test_start_writes_chat_and_first_message(desk, agent):
    customer = ContactFactory()
    chat = started_chat(desk, customer=customer)
    assert chat.status == ChatStatus.WAITING and chat.organisation == customer.organisation
    assert chat.started_at == MONDAY_10
    assert [m.body for m in chat.messages.all()] == ["Grüß Gott, der Drucker druckt nicht."]
    assert chats_waiting_for(agent=agent) == [chat]


def test_reader_may_not_start_a_chat(desk, agent):
    reader = UserFactory(role="reader")
    with pytest.raises(PermissionDenied):
        started_chat(desk, customer=reader)


def test_agent_may_not_start_a_chat(desk, agent):
    with pytest.raises(PermissionDenied):
        started_chat(desk, customer=AgentFactory())


@pytest.mark.parametrize(("name", "email", "field"), [
    ("", "besucher@example.com", "visitor_name"),
    ("Jörg", "kein-mail", "visitor_email"),
])
def test_visitor_must_give_name_and_email(desk, agent, name, email, field):
    with pytest.raises(ValidationError) as error:
        services.chat_start(desk=desk, visitor_name=name, visitor_email=email, body="Hallo", now=MONDAY_10)
    assert field in error.value.message_dict


def test_visitor_chat_is_unverified_and_seen_by_vendor_staff_only(desk, agent):
    chat = services.chat_start(desk=desk, visitor_name="Jörg Weiß", visitor_email="j@example.com", body="Hallo",
                               now=MONDAY_10, language="de")
    assert chat.is_anonymous and chat.organisation is None
    assert chats_waiting_for(agent=agent) == [chat]
    partner_agent = AgentFactory(organisation=ResellerFactory())
    assert chats_waiting_for(agent=partner_agent) == []


def test_empty_and_long_messages_are_refused(desk, agent, settings):
    settings.CHAT_MESSAGE_MAX_LENGTH = 10
    chat = started_chat(desk, body="kurz")
    with pytest.raises(ValidationError):
        services.message_post(chat=chat, user=chat.customer, side=CUSTOMER, body="   ", now=MONDAY_10)
    with pytest.raises(ValidationError) as error:
        services.message_post(chat=chat, user=chat.customer, side=CUSTOMER, body="x" * 11, now=MONDAY_10)
    assert "at most 10 characters" in str(error.value)


def test_rate_limit_per_side(desk, agent, settings):
    settings.CHAT_RATE_MESSAGES, settings.CHAT_RATE_SECONDS = 3, 60
    chat = started_chat(desk)  # the first message counts
    for n in range(2):
        services.message_post(chat=chat, user=chat.customer, side=CUSTOMER, body=f"Nr. {n}", now=MONDAY_10)
    with pytest.raises(ValidationError) as error:
        services.message_post(chat=chat, user=chat.customer, side=CUSTOMER, body="zu viel", now=MONDAY_10)
    assert "Too many messages" in str(error.value)
    later = MONDAY_10 + timedelta(seconds=61)
    assert services.message_post(chat=chat, user=chat.customer, side=CUSTOMER, body="jetzt", now=later).created


def test_resend_with_same_client_id_is_stored_once(desk, agent):
    chat = started_chat(desk)
    first = services.message_post(chat=chat, user=chat.customer, side=CUSTOMER, body="Hallo?", client_id="c-1",
                                  now=MONDAY_10)
    again = services.message_post(chat=chat, user=chat.customer, side=CUSTOMER, body="Hallo?", client_id="c-1",
                                  now=MONDAY_10)
    assert first.created and not again.created and again.message.pk == first.message.pk
    assert chat.messages.filter(client_id="c-1").count() == 1


def test_agent_writes_only_in_a_chat_it_serves(desk, agent):
    chat = started_chat(desk)
    with pytest.raises(PermissionDenied):
        services.message_post(chat=chat, user=agent, side=AGENT, body="Hallo", now=MONDAY_10)
    services.chat_accept(chat=chat, agent=agent, now=MONDAY_10)
    posted = services.message_post(chat=chat, user=agent, side=AGENT, body="Guten Tag!", now=MONDAY_10)
    assert posted.message.sender == Sender.AGENT and posted.message.author == agent
    colleague = available_agent(organisation=agent.organisation)
    with pytest.raises(PermissionDenied):
        services.message_post(chat=chat, user=colleague, side=AGENT, body="Ich auch", now=MONDAY_10)


def test_accept_once_and_within_the_limit(desk, agent):
    chat = started_chat(desk)
    accepted = services.chat_accept(chat=chat, agent=agent, now=MONDAY_10)
    assert accepted.status == ChatStatus.ACTIVE and accepted.agent == agent and accepted.accepted_at == MONDAY_10
    assert accepted.messages.filter(code=MessageCode.ACCEPTED).count() == 1
    other = available_agent(organisation=agent.organisation)
    with pytest.raises(ValidationError):
        services.chat_accept(chat=chat, agent=other, now=MONDAY_10)
    services.chat_accept(chat=started_chat(desk), agent=agent, now=MONDAY_10)
    with pytest.raises(ValidationError) as error:
        services.chat_accept(chat=started_chat(desk), agent=agent, now=MONDAY_10)
    assert "the most this desk allows" in str(error.value)


def test_reseller_agent_cannot_accept_a_vendor_customers_chat(desk, agent):
    chat = started_chat(desk)
    with pytest.raises(PermissionDenied):
        services.chat_accept(chat=chat, agent=AgentFactory(organisation=ResellerFactory()), now=MONDAY_10)


def test_transfer_to_a_colleague(desk, agent):
    chat = services.chat_accept(chat=started_chat(desk), agent=agent, now=MONDAY_10)
    colleague = AgentFactory(organisation=agent.organisation)
    moved = services.chat_transfer(chat=chat, agent=agent, to=colleague, now=MONDAY_10)
    assert moved.agent == colleague
    assert moved.messages.get(code=MessageCode.TRANSFERRED).payload["to"] == str(colleague)
    with pytest.raises(PermissionDenied):  # no longer the one serving it
        services.chat_transfer(chat=chat, agent=agent, to=colleague, now=MONDAY_10)


def test_transfer_only_to_a_colleague_of_the_same_organisation(desk, agent):
    chat = services.chat_accept(chat=started_chat(desk), agent=agent, now=MONDAY_10)
    with pytest.raises(ValidationError):
        services.chat_transfer(chat=chat, agent=agent, to=AgentFactory(), now=MONDAY_10)
    with pytest.raises(ValidationError):
        services.chat_transfer(chat=chat, agent=agent, to=agent, now=MONDAY_10)


def test_close_by_customer_stops_messages(desk, agent):
    chat = started_chat(desk)
    closed = services.chat_close(chat=chat, user=chat.customer, side=CUSTOMER, now=MONDAY_10)
    assert closed.status == ChatStatus.CLOSED and closed.closed_at == MONDAY_10
    with pytest.raises(ValidationError):
        services.message_post(chat=chat, user=chat.customer, side=CUSTOMER, body="noch da?", now=MONDAY_10)
    assert services.chat_close(chat=chat, user=chat.customer, side=CUSTOMER, now=MONDAY_10).pk == chat.pk
    assert chat.messages.filter(code=MessageCode.CLOSED).count() == 1


def test_only_the_serving_agent_closes_an_active_chat(desk, agent):
    chat = services.chat_accept(chat=started_chat(desk), agent=agent, now=MONDAY_10)
    with pytest.raises(PermissionDenied):
        services.chat_close(chat=chat, user=AgentFactory(organisation=agent.organisation), side=AGENT, now=MONDAY_10)


def test_read_marks_only_move_forward(desk, agent):
    chat = started_chat(desk)
    last = chat.messages.last().pk
    assert services.chat_read(chat=chat, side=AGENT, up_to=last + 100) == last
    assert services.chat_read(chat=chat, side=AGENT, up_to=0) == last
    chat.refresh_from_db()
    assert chat.agent_read_id == last and chat.customer_read_id == 0


def test_availability(desk):
    agent = AgentFactory()
    row = services.availability_set(agent=agent, status="busy", now=MONDAY_10)
    assert row.status == "busy"
    with pytest.raises(ValidationError):
        services.availability_set(agent=agent, status="asleep", now=MONDAY_10)
    with pytest.raises(PermissionDenied):
        services.availability_set(agent=ContactFactory(), status="available", now=MONDAY_10)


def test_long_waits_are_offered_to_the_lead_once(desk, agent):
    chat = started_chat(desk)
    assert services.chats_offer_to_leads(now=MONDAY_10 + timedelta(minutes=4)) == []
    later = MONDAY_10 + timedelta(minutes=desk.lead_after_minutes)
    assert [c.pk for c in services.chats_offer_to_leads(now=later)] == [chat.pk]
    assert services.chats_offer_to_leads(now=later) == []


# --- chat to ticket -----------------------------------------------------------------------------

@pytest.fixture
def served(desk, agent):
    customer = ContactFactory()
    contract(customer.organisation, policy(desk.calendar, reaction=("2h", "1d")))
    chat = started_chat(desk, customer=customer, body="Die Waage zeigt „Err 7“.")
    services.chat_accept(chat=chat, agent=agent, now=MONDAY_10 + timedelta(minutes=3))
    services.message_post(chat=chat, user=agent, side=AGENT, body="Ich schaue nach.",
                          now=MONDAY_10 + timedelta(minutes=4))
    return chat


def test_chat_becomes_a_ticket_reported_when_the_chat_started(served, agent):
    later = MONDAY_10 + timedelta(minutes=30)
    ticket = services.chat_to_ticket(chat=served, agent=agent, subject="Waage: Err 7", category="fault",
                                     severity="severe", now=later)
    assert ticket.channel == "chat" and ticket.reported_at == MONDAY_10
    assert ticket.requester == served.customer and ticket.organisation == served.organisation
    assert ticket.reaction_due_at == MONDAY_10 + timedelta(hours=2)  # counted from the question
    assert ticket.description == "Die Waage zeigt „Err 7“."
    transcript = ticket.comments.get()
    assert "Die Waage zeigt „Err 7“." in transcript.body and "Ich schaue nach." in transcript.body
    served.refresh_from_db()
    assert served.ticket == ticket
    assert served.messages.get(code=MessageCode.TICKET).payload == {"reference": ticket.reference}


def test_chat_becomes_a_ticket_once(served, agent):
    services.chat_to_ticket(chat=served, agent=agent, subject="Waage", category="question", now=MONDAY_10)
    with pytest.raises(ValidationError):
        services.chat_to_ticket(chat=served, agent=agent, subject="Waage", category="question", now=MONDAY_10)


def test_only_the_serving_agent_files_the_ticket(served, agent):
    with pytest.raises(PermissionDenied):
        services.chat_to_ticket(chat=served, agent=AgentFactory(organisation=agent.organisation), subject="Waage",
                                category="question", now=MONDAY_10)


def test_bad_ticket_fields_are_refused_and_nothing_is_written(served, agent):
    with pytest.raises(ValidationError):
        services.chat_to_ticket(chat=served, agent=agent, subject="", category="fault", severity="", now=MONDAY_10)
    served.refresh_from_db()
    assert served.ticket is None and not served.messages.filter(code=MessageCode.TICKET).exists()


def test_visitor_chat_cannot_become_a_ticket(desk, agent):
    chat = services.chat_start(desk=desk, visitor_name="Jörg", visitor_email="j@example.com", body="Hallo",
                               now=MONDAY_10)
    services.chat_accept(chat=chat, agent=agent, now=MONDAY_10)
    with pytest.raises(ValidationError):
        services.chat_to_ticket(chat=chat, agent=agent, subject="Frage", category="question", now=MONDAY_10)


def test_chat_appended_to_an_existing_ticket(served, agent):
    from tests.factories import TicketFactory

    ticket = TicketFactory(requester=served.customer)
    services.chat_append_to_ticket(chat=served, agent=agent, ticket=ticket, now=MONDAY_10)
    assert "Ich schaue nach." in ticket.comments.get().body
    served.refresh_from_db()
    assert served.ticket == ticket


def test_append_only_to_a_ticket_of_the_same_organisation(served, agent):
    from tests.factories import TicketFactory

    with pytest.raises(ValidationError):
        services.chat_append_to_ticket(chat=served, agent=agent, ticket=TicketFactory(), now=MONDAY_10)


def test_system_messages_are_stored_as_codes(served):
    accepted = ChatMessage.objects.get(chat=served, code=MessageCode.ACCEPTED)
    assert accepted.body == "" and accepted.sender == Sender.SYSTEM
