"""Outbox mails rendered at sending time, in the recipient's language and time zone.

Templates: ``notifications/email/<kind>_subject.txt``, ``<kind>.txt`` and ``<kind>.html`` (the
HTML ones extend the tickets' mail layout). A kind may add context through `MAIL_CONTEXT`."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from accounts.formatting import format_moment, time_zone_for

from .kinds import SLA_ESCALATION, SLA_SUBJECTS, SLA_TEXTS, agent_ticket_path
from .models import OutboxMail


def _sla_escalation_context(mail: OutboxMail) -> dict:
    """The headline and subject of an escalation mail, whole sentences from `kinds`."""
    payload = mail.payload or {}
    key = (payload.get("level"), payload.get("target"))
    reference = mail.ticket.reference if mail.ticket else payload.get("reference", "")
    due = format_moment(parse_datetime(payload.get("due_at") or ""), mail.recipient)
    return {
        "level": payload.get("level"),
        "target": payload.get("target"),
        "due": due,
        "headline": str(SLA_TEXTS[key]) % {"reference": reference, "due": due},
        "url": settings.SITE_URL + agent_ticket_path(reference),
        "subject": str(SLA_SUBJECTS[key])
        % {"reference": reference, "subject": mail.ticket.subject if mail.ticket else ""},
    }


MAIL_CONTEXT: dict[str, Callable[[OutboxMail], dict]] = {SLA_ESCALATION: _sla_escalation_context}


def message_id_for(mail: OutboxMail) -> str:
    """A Message-ID fixed per outbox row: a mail sent again after a crash carries the same id,
    so mail systems that de-duplicate by Message-ID show it once."""
    domain = urlsplit(settings.SITE_URL).hostname or "helpdesk.invalid"
    return f"<outbox-{mail.pk}.{mail.key.replace(':', '.')}@{domain}>"


def mail_render(*, mail: OutboxMail) -> EmailMultiAlternatives:
    recipient, ticket = mail.recipient, mail.ticket
    language = recipient.language or settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(time_zone_for(recipient)):
        context = {"recipient": recipient, "ticket": ticket, "payload": mail.payload}
        if ticket is not None:
            context["url"] = settings.SITE_URL + reverse("tickets:detail", kwargs={"reference": ticket.reference})
        context.update(MAIL_CONTEXT.get(mail.kind, lambda _mail: {})(mail))
        subject = " ".join(render_to_string(f"notifications/email/{mail.kind}_subject.txt", context).split())
        text = render_to_string(f"notifications/email/{mail.kind}.txt", context)
        html = render_to_string(f"notifications/email/{mail.kind}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    message.extra_headers["Message-ID"] = message_id_for(mail)
    message.extra_headers["X-Helpdesk-Outbox"] = mail.key
    if ticket is not None:
        message.extra_headers["X-Helpdesk-Ticket"] = ticket.reference
    return message
