"""Canned replies with their placeholders filled for one ticket. The text is for the customer:
the deadline is written in the requester's language and time zone."""

from __future__ import annotations

import re
from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext as _

from accounts.formatting import format_moment

PLACEHOLDERS = ("customer_name", "reference", "deadline", "agent_name")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


def running_deadline(ticket) -> datetime | None:
    """The deadline the customer is waiting for: the reaction's until someone reacted, then the
    resolution's while the ticket is open."""
    if ticket.first_reaction_at is None and ticket.reaction_due_at is not None:
        return ticket.reaction_due_at
    if ticket.resolution_state in ("open", "paused", "breached"):
        return ticket.resolution_due_at
    return None


def canned_reply_fill(*, body: str, ticket, agent) -> str:
    """`body` with {customer_name}, {reference}, {deadline} and {agent_name} replaced; other
    braces stay as written."""
    requester = ticket.requester
    reader = requester or agent
    language = getattr(requester, "language", "") or getattr(ticket.organisation, "language", "") or None
    with translation.override(language):
        deadline = running_deadline(ticket)
        customer = (requester.get_full_name() or requester.username) if requester else str(ticket.organisation)
        values = {
            "customer_name": customer,
            "reference": ticket.reference,
            "deadline": format_moment(deadline, reader) if deadline else _("as soon as possible"),
            "agent_name": agent.get_full_name() or agent.username,
        }
    return _PLACEHOLDER.sub(lambda match: values[match[1]], body)
