"""Every write of a chat: start, messages, read marks, accept, transfer, close, availability, and
turning a chat into a ticket (through `tickets.services`). Keyword-only, atomic, the chat's row
locked; `now` comes from the caller. The open sockets hear of it after the commit
(`chat.realtime`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import access
from accounts.formatting import time_zone_for
from tickets import rules as ticket_rules
from tickets.choices import Channel
from tickets.services import comment_add, ticket_create

from . import access as chat_access
from . import limits, realtime
from .models import AgentAvailability, Availability, Chat, ChatDesk, ChatMessage, ChatStatus, MessageCode, Sender
from .selectors import desk_state
from .texts import system_text


@dataclass(frozen=True)
class Posted:
    """What `message_post` did: stored the message now, or found it stored under the same client id."""

    message: ChatMessage
    created: bool


def _lock(chat: Chat) -> Chat:
    return (
        Chat.objects.select_for_update(of=("self",))
        .select_related("desk", "organisation", "customer", "agent")
        .get(pk=chat.pk)
    )


def _system_message(chat: Chat, code: str, payload: dict, now: datetime) -> ChatMessage:
    message = ChatMessage.objects.create(chat=chat, sender=Sender.SYSTEM, code=code, payload=payload, created_at=now)
    realtime.publish_after_commit(chat.pk, {"type": "chat.message", "id": message.pk})
    return message


def _name(user) -> str:
    return user.get_full_name() or user.username


def _closed_message(state, user) -> str:
    if state.is_open:
        return _("No agent is free for chat right now. Please file a ticket, or try again in a few minutes.")
    if state.opens_at is None:
        return _("Chat is closed. Please file a ticket.")
    local = state.opens_at.astimezone(time_zone_for(user)) if user is not None else state.opens_at
    return _("Chat is closed. It opens again on %(when)s. Please file a ticket meanwhile.") % {
        "when": date_format(local, "DATETIME_FORMAT")
    }


def _check_text(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Please write a message.")})
    if len(body) > limits.message_max_length():
        raise ValidationError({"body": _("A chat message has at most %(limit)d characters; this one has %(length)d.")
                               % {"limit": limits.message_max_length(), "length": len(body)}})
    return body


def chat_start(
    *,
    desk: ChatDesk,
    body: str,
    now: datetime,
    customer=None,
    visitor_name: str = "",
    visitor_email: str = "",
    language: str = "",
) -> Chat:
    """Start a chat with its first message: a signed-in contact (`customer`), or an anonymous
    visitor with name and e-mail (unverified). Only while the desk's chat hours are open and an
    agent is available; otherwise a `ValidationError` that says when chat opens next."""
    if customer is not None and not chat_access.may_start_chat(customer):
        if access.is_reader(customer):
            raise PermissionDenied(_("Your account can read your organisation's tickets but cannot start chats."))
        raise PermissionDenied(_("Your role does not allow starting a chat."))
    errors = {}
    if customer is None:
        visitor_name = (visitor_name or "").strip()
        visitor_email = (visitor_email or "").strip()
        if not visitor_name:
            errors["visitor_name"] = _("Please give your name.")
        elif len(visitor_name) > 100:
            errors["visitor_name"] = _("A name has at most 100 characters.")
        try:
            validate_email(visitor_email)
        except ValidationError:
            errors["visitor_email"] = _("Please give a valid e-mail address.")
    try:
        body = _check_text(body)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    state = desk_state(desk=desk, now=now)
    if not desk.is_active or not state.offers_chat:
        raise ValidationError({"desk": _closed_message(state, customer)})
    with transaction.atomic():
        chat = Chat.objects.create(
            desk=desk,
            customer=customer,
            organisation=customer.organisation if customer is not None else None,
            visitor_name="" if customer is not None else visitor_name,
            visitor_email="" if customer is not None else visitor_email,
            language=(customer.language if customer is not None else language) or translation.get_language() or "de",
            started_at=now,
        )
        ChatMessage.objects.create(chat=chat, sender=Sender.CUSTOMER, author=customer, body=body, created_at=now)
        transaction.on_commit(lambda: realtime.publish(realtime.QUEUE_GROUP, {"type": "queue.changed"}))
    return chat


def message_post(
    *, chat: Chat, user, side: str | None, body: str, now: datetime, client_id: str = ""
) -> Posted:
    """Store one message from the customer's or the agent's side (as the gate decided it for
    this user: `chat.access.side_of`), within the length and rate limits. The same `client_id`
    again (a resend after a reconnect) returns the stored message and writes nothing."""
    client_id = (client_id or "")[:64]
    body = _check_text(body)
    sender = Sender.CUSTOMER if side == chat_access.CUSTOMER else Sender.AGENT
    author = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        locked = _lock(chat)
        if client_id:
            earlier = ChatMessage.objects.filter(chat=locked, sender=sender, client_id=client_id).first()
            if earlier is not None:
                return Posted(earlier, created=False)
        if not chat_access.may_write(side, user, locked):
            if locked.status == ChatStatus.CLOSED:
                raise ValidationError({"body": _("This chat is closed.")})
            raise PermissionDenied(_("Only the agent serving this chat writes in it."))
        count, seconds = limits.rate_limit()
        recent = ChatMessage.objects.filter(chat=locked, sender=sender, created_at__gt=now - timedelta(seconds=seconds))
        if recent.count() >= count:
            raise ValidationError({"body": _("Too many messages at once. Please wait a moment and send it again.")})
        try:
            with transaction.atomic():
                message = ChatMessage.objects.create(
                    chat=locked, sender=sender, author=author, body=body, client_id=client_id, created_at=now
                )
        except IntegrityError:  # the same client id raced past the check
            return Posted(ChatMessage.objects.get(chat=locked, sender=sender, client_id=client_id), created=False)
        realtime.publish_after_commit(locked.pk, {"type": "chat.message", "id": message.pk})
    return Posted(message, created=True)


def chat_read(*, chat: Chat, side: str, up_to: int) -> int:
    """Mark the messages up to `up_to` as read by one side; read marks only move forward."""
    field = "customer_read_id" if side == chat_access.CUSTOMER else "agent_read_id"
    last = ChatMessage.objects.filter(chat=chat).order_by("-pk").values_list("pk", flat=True).first() or 0
    up_to = min(int(up_to), last)
    updated = Chat.objects.filter(pk=chat.pk, **{f"{field}__lt": up_to}).update(**{field: up_to})
    if updated:
        setattr(chat, field, up_to)
        realtime.publish(realtime.group_name(chat.pk), {"type": "chat.read", "side": side, "up_to": up_to})
    return getattr(chat, field)


def _serving_count(agent) -> int:
    return Chat.objects.filter(agent=agent, status=ChatStatus.ACTIVE).count()


def _check_agent_may_take(agent, chat: Chat) -> None:
    if chat_access.side_of(agent, chat) != chat_access.AGENT or not access.is_agent(agent):
        raise PermissionDenied(_("You cannot take this chat."))
    if _serving_count(agent) >= chat.desk.max_chats_per_agent:
        raise ValidationError(_("%(agent)s already serves %(limit)d chats, the most this desk allows.")
                              % {"agent": _name(agent), "limit": chat.desk.max_chats_per_agent})


def chat_accept(*, chat: Chat, agent, now: datetime) -> Chat:
    """An agent takes a waiting chat (within the desk's limit of chats per agent)."""
    with transaction.atomic():
        locked = _lock(chat)
        if locked.status != ChatStatus.WAITING:
            if locked.status == ChatStatus.ACTIVE and locked.agent_id == agent.pk:
                return locked  # taken already by this agent: nothing to do
            raise ValidationError(_("This chat was taken by someone else or has ended."))
        _check_agent_may_take(agent, locked)
        locked.status, locked.agent, locked.accepted_at = ChatStatus.ACTIVE, agent, now
        locked.save(update_fields=["status", "agent", "accepted_at"])
        _system_message(locked, MessageCode.ACCEPTED, {"agent": _name(agent)}, now)
        transaction.on_commit(lambda: realtime.publish(realtime.QUEUE_GROUP, {"type": "queue.changed"}))
    return locked


def chat_transfer(*, chat: Chat, agent, to, now: datetime) -> Chat:
    """The serving agent hands the chat over to a colleague who sees its customer."""
    with transaction.atomic():
        locked = _lock(chat)
        if locked.status != ChatStatus.ACTIVE or locked.agent_id != agent.pk:
            raise PermissionDenied(_("Only the agent serving this chat can hand it over."))
        if to is None or to.pk == agent.pk or not access.colleagues_for(agent).filter(pk=to.pk).exists():
            raise ValidationError({"to": _("Choose a colleague who works on this customer's chats.")})
        try:
            _check_agent_may_take(to, locked)
        except PermissionDenied:
            raise ValidationError({"to": _("Choose a colleague who works on this customer's chats.")}) from None
        locked.agent = to
        locked.save(update_fields=["agent"])
        _system_message(locked, MessageCode.TRANSFERRED, {"from": _name(agent), "to": _name(to)}, now)
    return locked


def chat_close(*, chat: Chat, user, side: str | None, now: datetime) -> Chat:
    """Either side ends the chat (an agent: only one it serves, or a waiting one it sees)."""
    with transaction.atomic():
        locked = _lock(chat)
        if locked.status == ChatStatus.CLOSED:
            return locked
        if side == chat_access.AGENT and locked.status == ChatStatus.ACTIVE and locked.agent_id != user.pk:
            raise PermissionDenied(_("Only the agent serving this chat can close it."))
        if side is None:
            raise PermissionDenied(_("You cannot close this chat."))
        locked.status, locked.closed_at = ChatStatus.CLOSED, now
        locked.save(update_fields=["status", "closed_at"])
        _system_message(locked, MessageCode.CLOSED, {}, now)
        transaction.on_commit(lambda: realtime.publish(realtime.QUEUE_GROUP, {"type": "queue.changed"}))
    return locked


def availability_set(*, agent, status: str, now: datetime) -> AgentAvailability:
    """An agent says whether it takes chats: available, busy or away."""
    if not access.is_agent(agent):
        raise PermissionDenied(_("Only agents take chats."))
    if status not in Availability.values:
        raise ValidationError({"status": _("Choose available, busy or away.")})
    row, created = AgentAvailability.objects.get_or_create(agent=agent, defaults={"status": status, "changed_at": now})
    if not created and row.status != status:
        row.status, row.changed_at = status, now
        row.save(update_fields=["status", "changed_at"])
    return row


def transcript_text(chat: Chat, *, language: str | None = None) -> str:
    """The conversation as plain text, one line per message, times in the desk's zone."""
    zone = time_zone_for(chat.customer) if chat.customer_id else ZoneInfo(chat.desk.calendar.time_zone)
    lines = []
    with translation.override(language or chat.language):
        for message in chat.messages.select_related("author").order_by("pk"):
            at = message.created_at.astimezone(zone)
            if message.sender == Sender.SYSTEM:
                lines.append(f"[{at:%H:%M}] {system_text(message)}")
            else:
                who = _name(message.author) if message.author_id else chat.visitor_name
                lines.append(f"[{at:%H:%M}] {who}: {message.body}")
    return "\n".join(lines)


def _first_question(chat: Chat) -> str:
    first = chat.messages.filter(sender=Sender.CUSTOMER).order_by("pk").values_list("body", flat=True).first()
    return first or transcript_text(chat)


def chat_to_ticket(
    *, chat: Chat, agent, subject: str, category: str, severity: str = "", now: datetime
):
    """The serving agent turns the chat into a ticket: filed through the chat channel for the
    chat's customer, `reported_at` = when the chat started (the SLA counts from the question),
    the transcript as its first comment; the chat shows the reference."""
    with transaction.atomic():
        locked = _lock(chat)
        _check_ticket_step(locked, agent)
        if locked.organisation_id is None:
            raise ValidationError({"ticket": _("An anonymous visitor's chat cannot become a ticket. "
                                               "Ask the visitor to file one, or append the chat to a ticket.")})
        ticket = ticket_create(
            actor=agent, via=Channel.CHAT, organisation=locked.organisation, requester=locked.customer,
            subject=subject, description=_first_question(locked), category=category, severity=severity,
            reported_at=locked.started_at,
        ).ticket
        _attach(locked, agent=agent, ticket=ticket, now=now)
    return ticket


def chat_append_to_ticket(*, chat: Chat, agent, ticket, now: datetime):
    """The serving agent appends the chat's transcript to an existing ticket of the same customer
    organisation (which the agent sees)."""
    with transaction.atomic():
        locked = _lock(chat)
        _check_ticket_step(locked, agent)
        if not ticket_rules.may_see(agent, ticket) or (
            locked.organisation_id is not None and ticket.organisation_id != locked.organisation_id
        ):
            raise ValidationError({"ticket": _("Choose a ticket of this customer's organisation.")})
        _attach(locked, agent=agent, ticket=ticket, now=now)
    return ticket


def _check_ticket_step(chat: Chat, agent) -> None:
    if chat.agent_id != agent.pk or not access.is_agent(agent):
        raise PermissionDenied(_("Only the agent serving this chat can turn it into a ticket."))
    if chat.ticket_id is not None:
        raise ValidationError({"ticket": _("This chat already belongs to a ticket.")})


def _attach(chat: Chat, *, agent, ticket, now: datetime) -> None:
    body = _("Chat transcript") + "\n\n" + transcript_text(chat)
    comment_add(ticket=ticket, author=agent, body=body, channel=Channel.CHAT)
    chat.ticket = ticket
    chat.save(update_fields=["ticket"])
    _system_message(chat, MessageCode.TICKET, {"reference": ticket.reference}, now)


def chats_offer_to_leads(*, now: datetime) -> list[Chat]:
    """Mark the chats that have waited longer than their desk allows as offered to the desk
    team's lead (shown in the lead's console). Safe to run twice: each chat is offered once."""
    offered = []
    waiting = Chat.objects.filter(status=ChatStatus.WAITING, lead_offered_at__isnull=True).select_related("desk")
    for chat in waiting:
        due = chat.started_at + timedelta(minutes=chat.desk.lead_after_minutes) <= now
        if due and Chat.objects.filter(pk=chat.pk, lead_offered_at__isnull=True).update(lead_offered_at=now):
            chat.lead_offered_at = now
            offered.append(chat)
    if offered:
        realtime.publish(realtime.QUEUE_GROUP, {"type": "queue.changed"})
    return offered


__all__ = [
    "Posted", "availability_set", "chat_accept", "chat_append_to_ticket", "chat_close", "chat_read",
    "chat_start", "chat_to_ticket", "chat_transfer", "chats_offer_to_leads", "message_post",
    "transcript_text",
]
