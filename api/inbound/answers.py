"""The automatic answer to a mail that could not be handled: why, and how to get access; or, for a
mail held because its sender could not be verified (docs/mail-trust.md), that it waits for
review and how to write so that it is recognised. It goes to the From address: to the owner of
the address, whoever wrote the mail. In the sender's language (German and English for an unknown sender), marked
`Auto-Submitted: auto-replied` so that other systems do not answer it (RFC 3834), and sent like
every mail through the outbox (`notifications`): recorded with the inbound mail, in its
transaction, rendered and sent after the commit. The row names no address: the answer goes to the
inbound mail's sender, read when it is sent (so an erased sender is not answered)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from api.models import InboundMail
from notifications.kinds import Kind
from notifications.mail import message_id_for
from notifications.models import OutboxMail
from notifications.services import outbox_mails_add

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


AUTO_ANSWER = "inbound_auto_answer"


def auto_answer_queue(*, inbound: InboundMail) -> None:
    """Record the automatic answer to `inbound` in the outbox, in the caller's transaction."""
    outbox_mails_add(mails=[OutboxMail(key=f"auto-answer:{inbound.pk}", kind=AUTO_ANSWER,
                                       payload={"inbound": inbound.pk})])


def _inbound(mail: OutboxMail) -> InboundMail:
    """The answered inbound mail, read once per outbox row (context, address and language ask)."""
    if getattr(mail, "_answered_inbound", None) is None:
        mail._answered_inbound = InboundMail.objects.select_related("ticket", "person__organisation").get(
            pk=(mail.payload or {})["inbound"]
        )
    return mail._answered_inbound


def mail_context(mail: OutboxMail) -> dict:
    inbound = _inbound(mail)
    person = inbound.person or (
        User.objects.filter(email__iexact=inbound.sender, is_active=True).select_related("organisation").first()
        if inbound.reason != UNKNOWN_SENDER else None
    )
    languages = [inbound.answer_language] if inbound.answer_language else ["de", "en"]
    sections = [_rendered(inbound, person, language) for language in languages]
    context = {
        "subject": sections[0][0],
        "sections": [section[1] for section in sections],
    }
    if inbound.message_key.startswith("<"):
        context["headers"] = {"In-Reply-To": inbound.message_key, "References": inbound.message_key}
    return context


def mail_address(mail: OutboxMail) -> str:
    return _inbound(mail).sender


def mail_language(mail: OutboxMail) -> str:
    return _inbound(mail).answer_language  # empty for an unknown sender: German and English


def mail_sent(mail: OutboxMail) -> None:
    InboundMail.objects.filter(pk=(mail.payload or {})["inbound"]).update(
        answered_at=timezone.now(), answer_message_id=message_id_for(mail)
    )


AUTO_ANSWER_KIND = Kind(
    code=AUTO_ANSWER, mail_context=mail_context, mail_templates="api/email/auto_answer", mail_address=mail_address,
    mail_language=mail_language, auto_submitted="auto-replied", mail_sent=mail_sent,
)


# Registered under its name of old, `api.tasks.inbound_auto_answer_send`: a message of the sending
# task before the outbox, still queued when this version started, records its answer in the outbox.
@shared_task(name="api.tasks.inbound_auto_answer_send", acks_late=True)
def inbound_auto_answer_send(inbound_id: int) -> bool:
    """Queue the automatic answer of one inbound mail unless it went out or is queued already."""
    with transaction.atomic():
        inbound = InboundMail.objects.select_for_update(of=("self",)).filter(pk=inbound_id).first()
        if inbound is None or inbound.answered_at is not None or not inbound.answer_due:
            return False
        if OutboxMail.objects.filter(key=f"auto-answer:{inbound.pk}").exists():
            return False
        auto_answer_queue(inbound=inbound)
    return True
