"""Who hears about an event, and the mail they get (in their own language and time zone).

Rules:
- ticket filed → the requester: confirmation with the reference and the reaction deadline;
- public reply by an agent → the requester;
- reply by the customer → the assignee, or the active members of the ticket's team when
  nobody is assigned;
- status "workaround provided" or "resolved" → the requester.
Nobody is mailed about their own action, except the confirmation of their own ticket.
Each (event, recipient) is sent at most once: `NotificationSent` records it in the same
transaction as the sending, so a task that runs twice sends nothing twice."""

from __future__ import annotations

import re
import smtplib
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts import access
from accounts.formatting import format_moment, time_zone_for
from sla.choices import Status
from tickets.markdown import render_markdown
from tickets.models import EventCode, NotificationSent, TicketEvent

CONFIRMATION, AGENT_REPLY, CUSTOMER_REPLY, WORKAROUND, RESOLVED = (
    "confirmation",
    "agent_reply",
    "customer_reply",
    "workaround",
    "resolved",
)


def _reachable(user) -> bool:
    return bool(user and user.is_active and user.email)


def plan_for(event: TicketEvent) -> list[tuple[object, str]]:
    """[(recipient, kind)] for an event; empty when nobody is to be told."""
    ticket, actor = event.ticket, event.actor
    plan: list[tuple[object, str]] = []
    if event.code == EventCode.CREATED:
        plan = [(ticket.requester, CONFIRMATION)]
    elif event.code == EventCode.REPLY_ADDED:
        if access.is_agent(actor):
            plan = [(ticket.requester, AGENT_REPLY)]
        elif ticket.assignee_id:
            plan = [(ticket.assignee, CUSTOMER_REPLY)]
        elif ticket.team_id:
            plan = [(member, CUSTOMER_REPLY) for member in ticket.team.members.filter(is_active=True)]
    elif event.code == EventCode.STATUS_CHANGED:
        new = (event.payload or {}).get("new")
        if new == Status.WORKAROUND:
            plan = [(ticket.requester, WORKAROUND)]
        elif new == Status.RESOLVED:
            plan = [(ticket.requester, RESOLVED)]
    return [
        (recipient, kind)
        for recipient, kind in plan
        if _reachable(recipient) and (kind == CONFIRMATION or recipient.pk != getattr(actor, "pk", None))
    ]


def render_email(*, event: TicketEvent, recipient, kind: str) -> EmailMultiAlternatives:
    ticket = event.ticket
    language = recipient.language or settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(time_zone_for(recipient)):
        comment = event.comment
        context = {
            "recipient": recipient,
            "ticket": ticket,
            "event": event,
            "actor": str(event.actor) if event.actor else "",
            "url": settings.SITE_URL + reverse("tickets:detail", kwargs={"reference": ticket.reference}),
            "reaction_due": format_moment(ticket.reaction_due_at, recipient),
            "comment": comment,
            "comment_html": render_markdown(comment.body) if comment else "",
            "attachment_names": [a.original_name for a in comment.attachments.all()] if comment else [],
            "workaround_html": render_markdown(ticket.workaround),
            "support_partner": ticket.organisation.support_partner,
        }
        subject = " ".join(render_to_string(f"tickets/email/{kind}_subject.txt", context).split())
        text = render_to_string(f"tickets/email/{kind}.txt", context)
        html = render_to_string(f"tickets/email/{kind}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    message.extra_headers["X-Helpdesk-Ticket"] = ticket.reference
    message.extra_headers["Message-ID"] = message_id_for(event=event, recipient=recipient)
    message.extra_headers["References"] = thread_id_for(ticket)
    message.extra_headers["In-Reply-To"] = thread_id_for(ticket)
    return message


# Message-IDs of ticket mail: stable per (event, recipient), so a retried send carries the same
# id, and carrying the ticket's reference, so that a reply (In-Reply-To / References) finds its
# ticket (`api.inbound`). Every mail of a ticket also refers to the ticket's thread id.
_MESSAGE_ID = re.compile(r"<hd\.(HD-\d{4}-\d{6})\.[^@>\s]*@[^>\s]+>", re.IGNORECASE)


def _mail_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "helpdesk.invalid"


def message_id_for(*, event: TicketEvent, recipient) -> str:
    return f"<hd.{event.ticket.reference}.e{event.pk}.u{recipient.pk}@{_mail_domain()}>"


def thread_id_for(ticket) -> str:
    return f"<hd.{ticket.reference}.thread@{_mail_domain()}>"


def ticket_references_in(header: str) -> list[str]:
    """The ticket references named by our Message-IDs in a header (In-Reply-To, References)."""
    return [match.upper() for match in _MESSAGE_ID.findall(header or "")]


def send_for_event(*, event_id: int) -> int:
    """Send every notification of the event that has not been sent yet; returns how many."""
    event = (
        TicketEvent.objects.select_related(
            "ticket__requester", "ticket__assignee", "ticket__team", "ticket__organisation__support_partner",
            "actor", "comment",
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return 0
    sent = 0
    for recipient, kind in plan_for(event):
        with transaction.atomic():
            _, created = NotificationSent.objects.get_or_create(
                event=event, recipient=recipient, defaults={"kind": kind}
            )
            if not created:
                continue
            # Sent inside the transaction: if sending fails, the record goes and a retry sends again.
            render_email(event=event, recipient=recipient, kind=kind).send()
            sent += 1
    return sent


# Defined here, below the services that enqueue it after their commit (`tickets.services._common`),
# so that they need not import `tickets.tasks`, which imports the services. Registered (and
# re-exported) under its name of old, `tickets.tasks.notify_event`.
@shared_task(
    name="tickets.tasks.notify_event",
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def notify_event(event_id: int) -> int:
    """Mail everyone who should hear about this ticket event (idempotent per recipient)."""
    return send_for_event(event_id=event_id)


def mark_as_sent(*, event_ids) -> int:
    """Record the notifications of these events as sent without sending them (demo data)."""
    rows = []
    for event in TicketEvent.objects.filter(pk__in=list(event_ids)).select_related(
        "ticket__requester", "ticket__assignee", "ticket__team", "actor"
    ):
        rows += [NotificationSent(event=event, recipient=r, kind=k) for r, k in plan_for(event)]
    NotificationSent.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
