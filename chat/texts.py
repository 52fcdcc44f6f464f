"""How messages look to a reader: system messages rendered from code and payload in the reader's
language, times as ISO instants (the browser shows them in its zone)."""

from __future__ import annotations

from datetime import UTC

from django.utils import translation
from django.utils.translation import gettext as _

from .models import ChatMessage, MessageCode


def system_text(message: ChatMessage) -> str:
    payload = message.payload or {}
    if message.code == MessageCode.ACCEPTED:
        return _("%(agent)s joined the chat.") % {"agent": payload.get("agent", "")}
    if message.code == MessageCode.TRANSFERRED:
        return _("%(old)s handed the chat over to %(new)s.") % {"old": payload.get("from", ""),
                                                                 "new": payload.get("to", "")}
    if message.code == MessageCode.CLOSED:
        return _("The chat was closed.")
    if message.code == MessageCode.TICKET:
        return _("This chat continues in ticket %(reference)s.") % {"reference": payload.get("reference", "")}
    return message.body


def message_data(message: ChatMessage, *, language: str | None) -> dict:
    """What a client receives of one message (WebSocket and polling alike)."""
    with translation.override(language):
        text = system_text(message) if message.sender == "system" else message.body
        author = ""
        if message.author_id is not None:
            author = message.author.get_full_name() or message.author.username
        elif message.sender == "customer":
            author = message.chat.visitor_name
    return {
        "type": "message",
        "id": message.pk,
        "sender": message.sender,
        "author": author,
        "text": text,
        "code": message.code,
        "client_id": message.client_id,
        "at": message.created_at.astimezone(UTC).isoformat(),
    }
