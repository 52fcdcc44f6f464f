"""The one renderer of outgoing mail: every outbox row becomes a message here, at sending time, in
the recipient's language and time zone, with a text and an HTML part.

The templates and extra context come from the mail's kind (`notifications.kinds.Kind`):
``<prefix>_subject.txt``, ``<prefix>.txt`` and ``<prefix>.html``. A mail of a kind that is not
registered cannot be rendered: it fails like any other sending error and is retried, then given up.

Headers on every mail (docs/mail.md):
- ``Message-ID`` from the row's key, so a mail sent again after a crash carries the same id:
  ``<hd.<reference>.<key>@<site host>>`` for a mail about a ticket, ``<hd.<key>@<site host>>``
  otherwise (the inbound side finds the ticket of a reply by it: `ticket_references_in`);
- for a mail about a ticket, ``In-Reply-To`` and ``References`` name the ticket's thread id
  ``<hd.<reference>.thread@<site host>>``, so mail clients show a ticket's mails as one thread, and
  ``Reply-To`` is the recipient's signed reply address (`notifications.reply_tokens`);
- ``Auto-Submitted`` (``auto-generated``; an automatic answer says ``auto-replied``),
  ``X-Auto-Response-Suppress: All`` (no out-of-office answers to us) and ``X-Loop`` with our
  address, so that other systems do not answer and no mail loops."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.formatting import time_zone_for

from .kinds import Kind, kind_for
from .models import OutboxMail
from .reply_tokens import reply_address, reply_mailbox


class UnknownKind(LookupError):
    """An outbox mail of a kind no installed app registered."""


class NoAddress(LookupError):
    """A mail whose recipient has no address (any more): no retry can deliver it."""


def mail_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "helpdesk.invalid"


def thread_id_for(reference: str) -> str:
    """The thread id every mail about the ticket refers to (In-Reply-To, References)."""
    return f"<hd.{reference}.thread@{mail_domain()}>"


_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def message_id_for(mail: OutboxMail) -> str:
    """Fixed per outbox row (from its unique key): a mail sent again after a crash carries the same
    id, so mail systems that de-duplicate by Message-ID show it once."""
    token = _UNSAFE.sub(".", mail.key).strip(".")
    reference = mail.ticket.reference if mail.ticket_id else ""
    return f"<hd.{reference}.{token}@{mail_domain()}>" if reference else f"<hd.{token}@{mail_domain()}>"


# Our Message-IDs that name a ticket: the thread id and every mail about a ticket (and the ids of
# ticket mail before the outbox, <hd.HD-2026-000042.e<event>.u<person>@host>).
_TICKET_MESSAGE_ID = re.compile(r"<hd\.(HD-\d{4}-\d{6})\.[^@>\s]*@[^>\s]+>", re.IGNORECASE)


def ticket_references_in(header: str) -> list[str]:
    """The ticket references named by our Message-IDs in a header (In-Reply-To, References)."""
    return [match.upper() for match in _TICKET_MESSAGE_ID.findall(header or "")]


@dataclass(frozen=True)
class MailFile:
    """A file a mail may carry: `read()` returns its bytes at sending time; `url` is where the
    recipient downloads it when it is not attached."""

    name: str
    content_type: str
    size: int
    read: Callable[[], bytes]
    url: str


@dataclass(frozen=True)
class FilesSplit:
    attached: list[MailFile]
    linked: list[MailFile]


def files_split(files: list[MailFile], *, limit_bytes: int | None = None) -> FilesSplit:
    """Which files a mail carries and which it only links: in order, each file that still fits
    into the total of ``MAIL_ATTACHMENTS_MAX_MB`` is attached, the others are linked."""
    if limit_bytes is None:
        limit_bytes = int(settings.MAIL_ATTACHMENTS_MAX_MB * 1024 * 1024)
    attached, linked, total = [], [], 0
    for file in files:
        if total + file.size <= limit_bytes:
            attached.append(file)
            total += file.size
        else:
            linked.append(file)
    return FilesSplit(attached, linked)


def mail_address(mail: OutboxMail, kind: Kind) -> str:
    if mail.recipient_id is not None:
        if not (mail.recipient.is_active and mail.recipient.email):
            raise NoAddress("the recipient is inactive or has no e-mail address")
        return mail.recipient.email
    address = kind.mail_address(mail) if kind.mail_address is not None else ""
    if not address:
        raise NoAddress("the mail has no recipient and its kind names no address")
    return address


def mail_render(*, mail: OutboxMail) -> EmailMultiAlternatives:
    recipient, ticket = mail.recipient, mail.ticket
    kind = kind_for(mail.kind)
    if kind is None:
        raise UnknownKind(f"no notification kind {mail.kind!r} is registered")
    address = mail_address(mail, kind)
    if recipient is not None:
        language = recipient.language
    else:
        language = kind.mail_language(mail) if kind.mail_language is not None else ""
    language = language or settings.LANGUAGE_CODE
    zone = time_zone_for(recipient) if recipient else timezone.get_default_timezone()
    with translation.override(language), timezone.override(zone):
        context = {"recipient": recipient, "ticket": ticket, "payload": mail.payload, "site_url": settings.SITE_URL}
        if ticket is not None:
            context["url"] = settings.SITE_URL + reverse("tickets:detail", kwargs={"reference": ticket.reference})
        if kind.mail_context is not None:
            context.update(kind.mail_context(mail))
        files: list[MailFile] = context.pop("files", [])
        headers: dict = context.pop("headers", {})
        prefix = kind.mail_template_prefix
        subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
        text = render_to_string(f"{prefix}.txt", context)
        html = render_to_string(f"{prefix}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[address])
    message.attach_alternative(html, "text/html")
    for file in files:
        message.attach(file.name, file.read(), file.content_type)
    message.extra_headers.update(_headers(mail, kind))
    message.extra_headers.update(headers)
    return message


def _headers(mail: OutboxMail, kind: Kind) -> dict[str, str]:
    headers = {
        "Message-ID": message_id_for(mail),
        "Auto-Submitted": kind.auto_submitted,
        "X-Auto-Response-Suppress": "All",
        "X-Loop": reply_mailbox(),
        "X-Helpdesk-Outbox": mail.key,
    }
    if mail.ticket_id is not None:
        reference = mail.ticket.reference
        headers["X-Helpdesk-Ticket"] = reference
        headers["In-Reply-To"] = headers["References"] = thread_id_for(reference)
        if mail.recipient_id is not None:
            headers["Reply-To"] = reply_address(ticket_id=mail.ticket_id, user_id=mail.recipient_id)
    return headers
