"""Canned replies in the chat: the active ones of the agent's teams (the tickets' canned replies),
with {customer_name} and {agent_name} filled (and {reference} once the chat has a ticket)."""

from __future__ import annotations

from tickets.models import CannedReply


def canned_replies_for(*, agent, chat) -> list[dict]:
    replies = CannedReply.objects.filter(team__members=agent, is_active=True).order_by("title").distinct()
    values = {
        "{customer_name}": chat.customer_name,
        "{agent_name}": agent.get_full_name() or agent.username,
        "{reference}": chat.ticket.reference if chat.ticket_id else "{reference}",
    }
    result = []
    for reply in replies:
        body = reply.body
        for placeholder, value in values.items():
            body = body.replace(placeholder, value)
        result.append({"title": reply.title, "body": body})
    return result
