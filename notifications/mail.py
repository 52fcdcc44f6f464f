"""Outbox mails rendered at sending time, in the recipient's language and time zone.

The templates and extra context come from the mail's kind (`notifications.kinds.Kind`):
``<prefix>_subject.txt``, ``<prefix>.txt`` and ``<prefix>.html``. A mail of a kind that is not
registered cannot be rendered: it fails like any other sending error and is retried, then given up."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.formatting import time_zone_for

from .kinds import kind_for
from .models import OutboxMail


class UnknownKind(LookupError):
    """An outbox mail of a kind no installed app registered."""


def message_id_for(mail: OutboxMail) -> str:
    """A Message-ID fixed per outbox row: a mail sent again after a crash carries the same id,
    so mail systems that de-duplicate by Message-ID show it once."""
    domain = urlsplit(settings.SITE_URL).hostname or "helpdesk.invalid"
    return f"<outbox-{mail.pk}.{mail.key.replace(':', '.')}@{domain}>"


def mail_render(*, mail: OutboxMail) -> EmailMultiAlternatives:
    recipient, ticket = mail.recipient, mail.ticket
    kind = kind_for(mail.kind)
    if kind is None:
        raise UnknownKind(f"no notification kind {mail.kind!r} is registered")
    language = recipient.language or settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(time_zone_for(recipient)):
        context = {"recipient": recipient, "ticket": ticket, "payload": mail.payload}
        if ticket is not None:
            context["url"] = settings.SITE_URL + reverse("tickets:detail", kwargs={"reference": ticket.reference})
        if kind.mail_context is not None:
            context.update(kind.mail_context(mail))
        prefix = kind.mail_template_prefix
        subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
        text = render_to_string(f"{prefix}.txt", context)
        html = render_to_string(f"{prefix}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    message.extra_headers["Message-ID"] = message_id_for(mail)
    message.extra_headers["X-Helpdesk-Outbox"] = mail.key
    if ticket is not None:
        message.extra_headers["X-Helpdesk-Ticket"] = ticket.reference
    return message
