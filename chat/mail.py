"""The chat's transcript by mail (kind `chat_transcript`), on the customer's request: an outbox row
written in the request's transaction, rendered when it is sent in the recipient's language (a
visitor's: the chat's) — `docs/mail.md`."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from notifications.kinds import Kind
from notifications.models import OutboxMail
from notifications.services import outbox_mails_add

from . import access as chat_access
from .models import Chat
from .services import transcript_text


def chat_transcript_mail(*, chat: Chat, side: str | None, now: datetime) -> OutboxMail:
    """Queue the transcript for the chat's customer (a visitor: to the address it gave). One mail
    per state of the chat: asking again without a new message records nothing new."""
    if side != chat_access.CUSTOMER:
        raise PermissionDenied(_("The transcript is mailed to the customer of the chat."))
    if chat.customer_id is not None and not chat.customer.email:
        raise ValidationError(_("Your account has no e-mail address."))
    last = chat.messages.order_by("-pk").values_list("pk", flat=True).first() or 0
    mail = OutboxMail(
        key=f"chat-transcript:{chat.pk}:{last}", recipient=chat.customer, kind=TRANSCRIPT_KIND.code,
        payload={"chat": chat.pk, "address": "" if chat.customer_id else chat.visitor_email,
                 "language": chat.language},
    )
    with transaction.atomic():
        outbox_mails_add(mails=[mail], now=now)
    return mail


def _context(mail: OutboxMail) -> dict:
    chat = Chat.objects.select_related("customer", "desk__calendar").get(pk=mail.payload["chat"])
    return {"chat": chat, "name": chat.customer_name, "transcript": transcript_text(chat, language=get_language())}


TRANSCRIPT_KIND = Kind(
    code="chat_transcript",
    mail_templates="chat/email/chat_transcript",
    mail_context=_context,
    mail_address=lambda mail: mail.payload.get("address", ""),
    mail_language=lambda mail: mail.payload.get("language", ""),
)
