"""The automatic answer to a mail that could not be handled: why, and how to get access; or, for a
mail held because its sender could not be verified (docs/mail-trust.md), that it waits for
review and how to write so that it is recognised. Plain text, in the sender's language (German
and English for an unknown sender), marked `Auto-Submitted: auto-replied` so that other systems
do not answer it (RFC 3834). It goes to the From address: to the owner of the address, whoever
wrote the mail."""

from __future__ import annotations

import smtplib
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from api.models import InboundMail

# Why a mail was answered automatically (InboundMail.reason); `service` decides which applies.
UNKNOWN_SENDER, READER, NOT_ALLOWED, TICKET_CLOSED = "unknown_sender", "reader", "not_allowed", "ticket_closed"
# Why a mail was held for review (InboundMail.reason of a held mail; answered too).
UNVERIFIED, STAFF_UNVERIFIED = "unverified_sender", "staff_without_token"


def _paragraphs(inbound: InboundMail, person: User | None) -> list[str]:
    portal = settings.SITE_URL + reverse("login")
    nothing = _("Nothing has been filed from your e-mail.")
    if inbound.reason == UNVERIFIED:
        first = (
            _("We could not confirm that your e-mail about ticket %(reference)s was sent from your address "
              "%(address)s, so it has not been added to the ticket yet. Our support team will look at it.")
            % {"reference": inbound.ticket.reference, "address": inbound.sender}
            if inbound.ticket is not None else
            _("We could not confirm that your e-mail was sent from your address %(address)s, so no ticket has "
              "been opened from it yet. Our support team will look at it.") % {"address": inbound.sender}
        )
        return [
            first,
            _("So that your e-mails are recognised at once, please answer with “Reply” to an e-mail you received "
              "from us about your ticket (its reply address identifies you), or use the portal: %(url)s")
            % {"url": portal},
            _("If you did not write this e-mail, you need not do anything."),
        ]
    if inbound.reason == STAFF_UNVERIFIED and inbound.ticket is not None:
        return [
            _("An e-mail from your address %(address)s about ticket %(reference)s did not come to the ticket's "
              "reply address, so it cannot be verified as yours and was not posted. It waits in the list of "
              "unverified e-mails, where an agent can accept or discard it.")
            % {"address": inbound.sender, "reference": inbound.ticket.reference},
            _("To answer by e-mail, reply to the notification you received about the ticket; or answer in the "
              "workspace: %(url)s")
            % {"url": settings.SITE_URL + reverse("tickets:workspace", kwargs={"reference": inbound.ticket.reference})},
            _("If you did not write this e-mail, someone used your address: please tell your administrator."),
        ]
    if inbound.reason == READER and person is not None:
        return [
            _("Your account can read your organisation's tickets but cannot file or answer them. "
              "Please contact %(contact)s.") % {"contact": access.contact_for_refusal(person)},
            nothing,
        ]
    if inbound.reason == TICKET_CLOSED and inbound.ticket is not None:
        return [
            _("Ticket %(reference)s is closed, so your e-mail was not added to it. You can reopen it in the "
              "portal within %(days)d days of closing: %(url)s")
            % {"reference": inbound.ticket.reference, "days": settings.TICKET_REOPEN_DAYS,
               "url": settings.SITE_URL + reverse("tickets:detail", kwargs={"reference": inbound.ticket.reference})},
            _("For a new request, please write a new e-mail without the ticket reference in the subject."),
        ]
    if inbound.reason == NOT_ALLOWED:
        return [
            _("Tickets are opened by e-mail for the registered contacts of our customers only. "
              "Please use the helpdesk: %(url)s") % {"url": portal},
            nothing,
        ]
    return [
        _("Thank you for your e-mail. The address %(address)s is not registered with our support, so we "
          "could not file your e-mail as a ticket.") % {"address": inbound.sender},
        _("Only registered contacts of our customers can open tickets by e-mail. If your organisation has a "
          "support contract, please ask your organisation's registered support contact to have you registered, "
          "or write from your registered address. Registered contacts can also use the portal: %(url)s")
        % {"url": portal},
        nothing,
    ]


def _rendered(inbound: InboundMail, person: User | None, language: str) -> tuple[str, list[str]]:
    with translation.override(language):
        return _("Automatic answer: %(subject)s") % {"subject": inbound.subject or "—"}, _paragraphs(inbound, person)


def auto_answer_render(inbound: InboundMail) -> EmailMessage:
    person = inbound.person or (
        User.objects.filter(email__iexact=inbound.sender, is_active=True).select_related("organisation").first()
        if inbound.reason != UNKNOWN_SENDER else None
    )
    languages = [inbound.answer_language] if inbound.answer_language else ["de", "en"]
    sections = [_rendered(inbound, person, language) for language in languages]
    subject = sections[0][0]
    body = render_to_string("api/email/auto_answer.txt", {"sections": [s[1] for s in sections]})
    domain = urlsplit(settings.SITE_URL).hostname or "helpdesk.invalid"
    message = EmailMessage(subject=subject, body=body, to=[inbound.sender])
    message.extra_headers["Message-ID"] = f"<hd-auto.{inbound.pk}@{domain}>"
    message.extra_headers["Auto-Submitted"] = "auto-replied"
    message.extra_headers["X-Auto-Response-Suppress"] = "All"
    if inbound.message_key.startswith("<"):
        message.extra_headers["In-Reply-To"] = inbound.message_key
        message.extra_headers["References"] = inbound.message_key
    return message


# Defined here, below `service`, which enqueues it after the commit that recorded the mail, so
# that `service` need not import `api.tasks` (which imports `service` through the IMAP poll).
# Registered (and re-exported) under its name of old, `api.tasks.inbound_auto_answer_send`.
@shared_task(name="api.tasks.inbound_auto_answer_send", acks_late=True,
             autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=True, retry_backoff_max=600,
             max_retries=8)
def inbound_auto_answer_send(inbound_id: int) -> bool:
    """Send the automatic answer of one inbound mail, once (`answered_at` records it in the
    same transaction as the sending; a failed send rolls back and is retried)."""
    with transaction.atomic():
        inbound = (
            InboundMail.objects.select_for_update(of=("self",)).filter(pk=inbound_id)
            .select_related("ticket", "person__organisation").first()
        )
        if inbound is None or inbound.answered_at is not None or not inbound.answer_due:
            return False
        message = auto_answer_render(inbound)
        message.send()
        inbound.answered_at = timezone.now()
        inbound.answer_message_id = message.extra_headers["Message-ID"]
        inbound.save(update_fields=["answered_at", "answer_message_id"])
    return True
