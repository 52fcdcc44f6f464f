"""Telling the open sockets of a chat that something happened: after the transaction commits,
one event on the chat's group in the channel layer (Redis between processes, in memory in one).
The event carries ids only; each socket reads what it may see (`chat.consumers`)."""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)

QUEUE_GROUP = "chat-queue"


def group_name(chat_id: int) -> str:
    return f"chat-{chat_id}"


def publish_after_commit(chat_id: int, event: dict) -> None:
    transaction.on_commit(lambda: publish(group_name(chat_id), event))


def publish(group: str, event: dict) -> None:
    """Send now; a layer that is down loses only the push (clients resume from the database)."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception:
        log.warning("chat: could not publish to %s", group, exc_info=True)
