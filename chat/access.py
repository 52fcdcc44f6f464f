"""The access gate of a chat: who may see it and who may write in it. Built only from
`accounts.access`; the consumer asks here on every message it receives or delivers, not only
when the socket connects.

- the customer who started it (a signed-in contact), or the anonymous visitor whose session
  started it (its public id is in the session: `VISITOR_SESSION_KEY`);
- agents who see the chat's organisation (`accounts.access.organisations_for`: a reseller's
  agents only their customers'); an anonymous visitor's chat: the vendor's staff. The agent
  serving a chat sees it as long as it serves it."""

from __future__ import annotations

from accounts import access
from accounts.models import Organisation

from .models import Chat, ChatStatus, Sender

VISITOR_SESSION_KEY = "chat_visitor_chats"

CUSTOMER, AGENT = Sender.CUSTOMER.value, Sender.AGENT.value


def visitor_chats(session) -> frozenset[str]:
    """The public ids of the chats this (anonymous) browser session started."""
    if session is None:
        return frozenset()
    return frozenset(session.get(VISITOR_SESSION_KEY, ()))


def side_of(user, chat: Chat, visitors: frozenset[str] = frozenset()) -> str | None:
    """CUSTOMER or AGENT when `user` (or the visitor's session) may see `chat`, else None."""
    if chat.customer_id is None and str(chat.public_id) in visitors and not _signed_in(user):
        return CUSTOMER
    if not _signed_in(user):
        return None
    if access.is_customer(user):
        return CUSTOMER if chat.customer_id == user.pk else None
    if access.is_agent(user):
        if chat.agent_id == user.pk:
            return AGENT
        return AGENT if agent_sees_organisation(user, chat.organisation_id) else None
    return None


def agent_sees_organisation(agent, organisation_id: int | None) -> bool:
    if organisation_id is None:  # an anonymous visitor: the vendor's staff
        return agent.organisation_id is not None and Organisation.objects.filter(
            pk=agent.organisation_id, kind=Organisation.Kind.VENDOR
        ).exists()
    return access.organisations_for(agent).filter(pk=organisation_id).exists()


def may_write(side: str | None, user, chat: Chat) -> bool:
    """The customer writes in its open chat; an agent only in a chat it serves."""
    if side is None or chat.status == ChatStatus.CLOSED:
        return False
    if side == CUSTOMER:
        return True
    return chat.status == ChatStatus.ACTIVE and chat.agent_id == user.pk


def may_start_chat(user) -> bool:
    """Signed-in customer contacts start chats from the portal; readers may not."""
    return access.can_file_tickets(user)


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)
