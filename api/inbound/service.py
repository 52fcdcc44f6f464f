"""What happens to an inbound mail.

1. A mail seen before (same Message-ID, or same bytes when it has none) is skipped.
2. Mail sent by a machine or to a list (Auto-Submitted other than "no", Precedence bulk / junk /
   list, X-Autoreply, List-Id, delivery reports, mailer-daemon, no-reply senders, our own
   address) is ignored: nothing is created and nothing is answered, so no mail loops.
3. The sender is a person by e-mail address (active accounts only).
4. A reply — an In-Reply-To / References header naming one of our Message-IDs, or a ticket
   reference (HD-2026-000042) in the subject — to a ticket the sender may see becomes a public
   reply on it (channel e-mail), with the quoted earlier mail and the signature removed.
5. Any other mail of a customer contact opens a ticket (channel e-mail, category fault,
   severity minor — severe when the mail is marked high priority — reported at the mail's Date
   when that lies within the last 7 days, else now). The requester gets the usual confirmation.
6. Unknown senders, readers and people who may not file or reply get an automatic answer that
   says how to get access (at most one per address per AUTO_ANSWER_INTERVAL), and nothing is
   created.
Attachments go through `tickets.uploads.check_upload`, like the portal's: accepted files are
attached, refused ones are named in the text. A text longer than its limit (`tickets.limits`: the
description of a new ticket, a reply) is shortened to fit, ending with a note in the sender's
language that says how long the e-mail was; the mail is still handled, not refused."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from api.models import InboundMail
from sla.choices import Category, Severity, Status
from tickets import rules
from tickets import services as ticket_services
from tickets.choices import Channel
from tickets.errors import AttachmentRefused
from tickets.limits import COMMENT_MAX_LENGTH, TICKET_DESCRIPTION_MAX_LENGTH
from tickets.models import Ticket
from tickets.notifications import ticket_references_in
from tickets.services.filing_rules import CLOCK_SKEW
from tickets.uploads import check_upload

from .answers import NOT_ALLOWED, READER, TICKET_CLOSED, UNKNOWN_SENDER, auto_answer_queue
from .html_text import html_to_text
from .parsing import ParsedMail, mail_parse
from .quotes import quoted_text_strip

logger = logging.getLogger(__name__)

Outcome = InboundMail.Outcome
REFERENCE_IN_SUBJECT = re.compile(r"\bHD-\d{4}-\d{6}\b", re.IGNORECASE)
AUTO_ANSWER_INTERVAL = timedelta(hours=24)
REPORTED_AT_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class IngestResult:
    outcome: str  # InboundMail.Outcome
    reason: str
    ticket: Ticket | None
    inbound: InboundMail | None
    duplicate: bool = False


def own_addresses() -> set[str]:
    """The helpdesk's own addresses: mail from them is never handled (no loops)."""
    addresses = {parseaddr(settings.DEFAULT_FROM_EMAIL)[1], parseaddr(settings.SERVER_EMAIL)[1]}
    if "@" in getattr(settings, "IMAP_USER", ""):
        addresses.add(settings.IMAP_USER)
    return {a.lower() for a in addresses if a}


def mail_ingest(*, raw: bytes) -> IngestResult:
    """Handle one RFC 822 message (bytes). Safe to call twice with the same message."""
    mail = mail_parse(raw, own_addresses=own_addresses())
    existing = InboundMail.objects.filter(message_key=mail.message_key).select_related("ticket").first()
    if existing is not None:
        return IngestResult(existing.outcome, existing.reason, existing.ticket, existing, duplicate=True)
    with transaction.atomic():
        try:
            with transaction.atomic():
                # First, so that a concurrent run of the same message waits here and then fails.
                inbound = InboundMail.objects.create(
                    message_key=mail.message_key, sender=mail.sender[:254], subject=mail.subject[:255],
                    outcome=Outcome.IGNORED,
                )
        except IntegrityError:
            existing = InboundMail.objects.filter(message_key=mail.message_key).first()
            if existing is None:
                raise
            return IngestResult(existing.outcome, existing.reason, existing.ticket, existing, duplicate=True)
        outcome, reason, ticket, language = _handle(mail)
        inbound.outcome, inbound.reason, inbound.ticket, inbound.answer_language = outcome, reason, ticket, language
        inbound.save(update_fields=["outcome", "reason", "ticket", "answer_language"])
        if outcome == Outcome.AUTO_ANSWERED:
            auto_answer_queue(inbound=inbound)
    logger.info("inbound mail %s from %s: %s %s", inbound.pk, mail.sender, outcome, reason)
    return IngestResult(outcome, reason, ticket, inbound)


def _person(address: str) -> User | None:
    if not address:
        return None
    people = list(User.objects.filter(email__iexact=address, is_active=True).select_related("organisation"))
    # The same address on several accounts: the one that may file wins, then the rest by id.
    people.sort(key=lambda p: (not access.can_file_tickets(p), not access.is_agent(p), p.pk))
    return people[0] if people else None


def _ticket_answered(mail: ParsedMail, person: User) -> Ticket | None:
    """The ticket the mail answers, if the person may see it (else the mail counts as new)."""
    references = [r for header in mail.answers for r in ticket_references_in(header)]
    references += [r.upper() for r in REFERENCE_IN_SUBJECT.findall(mail.subject)]
    for reference in dict.fromkeys(references):
        ticket = Ticket.objects.filter(reference=reference).select_related("organisation").first()
        if ticket is not None and rules.may_see(person, ticket):
            return ticket
    return None


def _auto_answer(mail: ParsedMail, reason: str, language: str, ticket: Ticket | None = None):
    recent = InboundMail.objects.filter(
        sender=mail.sender, outcome=Outcome.AUTO_ANSWERED, received_at__gte=timezone.now() - AUTO_ANSWER_INTERVAL
    )
    if recent.exists():
        return Outcome.IGNORED, "already_answered", ticket, ""
    return Outcome.AUTO_ANSWERED, reason, ticket, language


def _handle(mail: ParsedMail):
    """(outcome, reason, ticket, answer language)."""
    if mail.machine:
        return Outcome.IGNORED, mail.machine, None, ""
    person = _person(mail.sender)
    if person is None:
        return _auto_answer(mail, UNKNOWN_SENDER, "")
    language = person.language or settings.LANGUAGE_CODE
    ticket = _ticket_answered(mail, person)
    with translation.override(language):
        if ticket is not None:
            if rules.may_reply(person, ticket) and (access.can_file_tickets(person) or access.is_agent(person)):
                return _reply(mail, person, ticket)
            if access.is_reader(person):
                return _auto_answer(mail, READER, language)
            if ticket.status == Status.CLOSED:
                return _auto_answer(mail, TICKET_CLOSED, language, ticket)
            return _auto_answer(mail, NOT_ALLOWED, language)
        if access.can_file_tickets(person):
            return _open(mail, person)
        if access.is_reader(person):
            return _auto_answer(mail, READER, language)
        return _auto_answer(mail, NOT_ALLOWED, language)


def _files(mail: ParsedMail) -> tuple[list, list[str]]:
    """(accepted uploads, sentences naming the refused files)."""
    accepted, refused = [], []
    for attachment in mail.attachments:
        upload = SimpleUploadedFile(attachment.name, attachment.content, content_type=attachment.content_type)
        try:
            check_upload(upload)
        except AttachmentRefused as error:
            refused.append(" ".join(error.messages))
            continue
        upload.seek(0)
        accepted.append(upload)
    return accepted, refused


def _with_refusals(text: str, refused: list[str]) -> str:
    if not refused:
        return text
    notes = "\n".join(f"- {sentence}" for sentence in refused)
    return f"{text}\n\n{notes}".strip()


def _fitted(text: str, limit: int) -> str:
    """The text, or as much of it as fits into `limit` characters together with a note that it
    was shortened (in the active language, the sender's)."""
    text = text.strip()
    if len(text) <= limit:
        return text

    def note(kept: str) -> str:
        return _(
            "[This e-mail was shortened: it had %(length)s characters, of which the first %(kept)s are shown. "
            "Please send longer texts as an attachment.]"
        ) % {"length": number_format(len(text), force_grouping=True), "kept": kept}

    # The note with the limit in it is at least as long as with the smaller number kept.
    kept = limit - len(note(number_format(limit, force_grouping=True))) - 2
    return f"{text[:kept].rstrip()}\n\n{note(number_format(kept, force_grouping=True))}"


def _reply(mail: ParsedMail, person: User, ticket: Ticket):
    text = html_to_text(mail.html, drop_quotes=True) if mail.html else mail.text
    body = quoted_text_strip(text)
    files, refused = _files(mail)
    body = _fitted(_with_refusals(body, refused), COMMENT_MAX_LENGTH)
    if not body and not files:
        return Outcome.IGNORED, "empty_reply", ticket, ""
    ticket_services.comment_add(ticket=ticket, author=person, body=body, files=files, channel=Channel.EMAIL)
    return Outcome.REPLY_ADDED, "", ticket, ""


def _reported_at(mail: ParsedMail):
    now = timezone.now().replace(microsecond=0)
    if mail.date is not None and now - REPORTED_AT_WINDOW <= mail.date <= now + CLOCK_SKEW:
        return min(mail.date.replace(microsecond=0), now)
    return now


def _open(mail: ParsedMail, person: User):
    files, refused = _files(mail)
    description = _fitted(_with_refusals(mail.text or _("(The e-mail had no text.)"), refused),
                          TICKET_DESCRIPTION_MAX_LENGTH)
    ticket = ticket_services.ticket_create(
        via=Channel.EMAIL,
        organisation=person.organisation,
        requester=person,
        actor=person,
        subject=(mail.subject or _("E-mail without subject"))[:200],
        description=description,
        category=Category.FAULT,
        severity=Severity.SEVERE if mail.priority_high else Severity.MINOR,
        reported_at=_reported_at(mail),
        files=files,
    ).ticket
    return Outcome.TICKET_OPENED, "", ticket, ""
