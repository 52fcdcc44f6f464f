"""The chat's WebSocket: `ws/chat/<public id>/?after=<last seen id>`.

The gate (`chat.access.side_of`) is asked on connect, again for every message the client sends
(the chat and the person re-read from the database: a chat handed over to a colleague, a person
deactivated or signed out stops at the next message) and for every message delivered to it.
Frames above `chat.limits.frame_max_bytes` are refused unparsed; the services apply the length
and rate limits. Every message is stored before it is pushed; a client that reconnects sends the
last id it saw and gets what it missed.

Client → server: {"type": "message", "text", "client_id"}, {"type": "typing"},
{"type": "read", "up_to"}, {"type": "resume", "after"}.
Server → client: {"type": "message", ...} (`chat.texts.message_data`), {"type": "typing",
"sender"}, {"type": "read", "side", "up_to"}, {"type": "error", "message", "client_id"}."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from . import access as chat_access
from . import limits, realtime, selectors, services
from .models import Chat, ChatMessage
from .texts import message_data

# The sockets' database calls: each is self-contained (reads the gate, writes in its own
# transaction), so they run in a pool of their own rather than one after another on channels'
# single thread, which queued every socket behind one another's commits (`CHAT_DB_THREADS`).
_EXECUTOR = ThreadPoolExecutor(max_workers=int(getattr(settings, "CHAT_DB_THREADS", 16)),
                               thread_name_prefix="chat-db")


def db(function):
    return database_sync_to_async(function, thread_sensitive=False, executor=_EXECUTOR)


CLOSE_NOT_FOUND = 4404  # the chat does not exist, or this session may not see it (any more)
TOO_LONG = gettext_lazy("The message is too long.")
UNREADABLE = gettext_lazy("The message could not be read.")


def _errors_text(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(message for messages in error.message_dict.values() for message in messages)
    return " ".join(error.messages)


class ChatConsumer(AsyncJsonWebsocketConsumer):
    chat_id: int | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.acknowledged: set[int] = set()  # ids this socket sent and was given directly

    async def connect(self):
        self.public_id = str(self.scope["url_route"]["kwargs"]["public_id"])
        self.user_id = getattr(self.scope.get("user"), "pk", None)
        self.visitors = chat_access.visitor_chats(self.scope.get("session"))
        checked = await self._check()
        if checked is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        chat, self.side, self.language, _user = checked
        self.chat_id = chat.pk
        self.group = realtime.group_name(chat.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        query = parse_qs(self.scope.get("query_string", b"").decode())
        await self._send_after(self._int(query.get("after", ["0"])[0]))

    async def disconnect(self, code):
        if self.chat_id is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None or len(text_data.encode()) > limits.frame_max_bytes():
            await self.send_json({"type": "error", "message": self._text(TOO_LONG)})
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            content = None
        if not isinstance(content, dict):
            await self.send_json({"type": "error", "message": self._text(UNREADABLE)})
            return
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type")
        if kind == "message":  # the gate and the write in one trip to the database
            await self._post(content)
            return
        checked = await self._check()
        if checked is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        chat, self.side, self.language, _user = checked
        if kind == "typing":
            await self.channel_layer.group_send(self.group, {"type": "chat.typing", "sender": self.side})
        elif kind == "read":
            up_to = self._int(content.get("up_to"))
            await db(services.chat_read)(chat=chat, side=self.side, up_to=up_to)
        elif kind == "resume":
            await self._send_after(self._int(content.get("after")))

    async def _post(self, content: dict) -> None:
        client_id = str(content.get("client_id") or "")[:64]
        try:
            data = await db(self._post_sync)(str(content.get("text") or ""), client_id)
        except (ValidationError, PermissionDenied) as error:
            message = _errors_text(error) if isinstance(error, ValidationError) else str(error)
            await self.send_json({"type": "error", "message": message, "client_id": client_id})
            return
        if data is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        # The sender has it from here (stored, as it may see it): its copy from the group is skipped.
        self.acknowledged.add(data["id"])
        await self.send_json(data)

    def _post_sync(self, text: str, client_id: str) -> dict | None:
        """Check the gate again, then store the message: what the sender receives of it, or None
        when the gate refuses."""
        checked = self._check_sync()
        if checked is None:
            return None
        chat, self.side, self.language, user = checked
        with translation.override(self.language):
            posted = services.message_post(chat=chat, user=user, side=self.side, body=text,
                                           client_id=client_id, now=timezone.now())
        posted.message.chat = chat
        return message_data(posted.message, language=self.language)

    # --- events from the group: each is checked against the gate before it is delivered ---------

    async def chat_message(self, event):
        if event["id"] in self.acknowledged:
            self.acknowledged.discard(event["id"])
            return
        data = await self._message_for_me(event["id"])
        if data is None:
            await self.close(code=CLOSE_NOT_FOUND)
        elif data:
            await self.send_json(data)

    async def chat_typing(self, event):
        if event["sender"] != self.side:
            await self.send_json({"type": "typing", "sender": event["sender"]})

    async def chat_read(self, event):
        await self.send_json({"type": "read", "side": event["side"], "up_to": event["up_to"]})

    # --- helpers ------------------------------------------------------------------------------

    @db
    def _message_for_me(self, message_id: int) -> dict | None:
        """The message as this socket's person may see it (the gate asked with the chat read in the
        same query); None when the gate refuses."""
        message = (
            ChatMessage.objects.select_related("author", "chat__organisation", "chat__customer", "chat__agent")
            .filter(pk=message_id, chat_id=self.chat_id)
            .first()
        )
        checked = self._check_sync(message.chat if message is not None else None)
        if checked is None:
            return None
        return message_data(message, language=checked[2]) if message is not None else {}

    async def _send_after(self, after: int) -> None:
        for data in await self._backlog(after):
            await self.send_json(data)

    @db
    def _backlog(self, after: int) -> list[dict]:
        checked = self._check_sync()
        if checked is None:
            return []
        chat, _side, language, _user = checked
        messages = selectors.messages_after(chat=chat, after=after)
        for message in messages:
            message.chat = chat
        return [message_data(message, language=language) for message in messages]

    @db
    def _check(self):
        return self._check_sync()

    def _user_sync(self):
        if self.user_id is None:
            return None
        return get_user_model().objects.select_related("organisation").filter(pk=self.user_id).first()

    def _check_sync(self, chat: Chat | None = None):
        """(chat, side, language, person) if this socket's person may still see the chat (read
        now, unless given), else None."""
        user = self._user_sync()
        if self.user_id is not None and (user is None or not user.is_active):
            return None
        if chat is None:
            chat = Chat.objects.select_related("organisation", "customer", "agent").filter(
                public_id=self.public_id
            ).first()
        side = chat_access.side_of(user, chat, self.visitors) if chat is not None else None
        if side is None:
            return None
        language = (user.language if user is not None else "") or chat.language
        return chat, side, language, user

    def _text(self, text) -> str:
        with translation.override(getattr(self, "language", None)):
            return str(text)

    @staticmethod
    def _int(value) -> int:
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            return 0
