"""What happens to an inbound mail.

1. A mail seen before (same Message-ID, or same bytes when it has none) is skipped.
2. Mail sent by a machine or to a list (X-Loop naming our address, Auto-Submitted other than
   "no", Precedence bulk / junk / list, X-Autoreply, List-Id, delivery reports, mailer-daemon,
   no-reply senders, our own address) is ignored: nothing is created and nothing is answered, so
   no mail loops. A delivery report marks the recipients it names as failed as bouncing
   (`accounts.bounces`).
3. Whom the mail acts as is decided in one place, `trust` (docs/mail-trust.md): the person of a
   valid reply token (on the ticket the token names), or a customer whose domain the receiving
   server authenticated (DMARC, or aligned SPF). A staff address without a token, or a customer
   address that is not authenticated, acts as nobody: the mail is *held* (step 7).
4. A reply — the token's ticket; or for an authenticated customer an In-Reply-To / References
   header naming one of our Message-IDs, or a ticket reference (HD-2026-000042) in the subject, of
   a ticket the sender may see — becomes a public reply on it (channel e-mail), with the quoted
   earlier mail and the signature removed.
5. Any other mail of an authenticated customer contact opens a ticket (channel e-mail, category
   fault, severity minor — severe when the mail is marked high priority — reported at the mail's
   Date when that lies within the last 7 days, else now). The requester gets the usual confirmation.
6. Unknown senders, readers and people who may not file or reply get an automatic answer that
   says how to get access (at most one per address per AUTO_ANSWER_INTERVAL), and nothing is
   created.
7. A held mail posts nothing and touches no ticket (no reaction, no customer reply, no status,
   no clock): agents see it on the ticket it names (or in the list of unverified mail, when it
   names none) and accept or discard it (`review`). Its sender is answered (within the same
   limit) that it was not recognised and how to write so that it is: reply to our mail, or use
   the portal.
Attachments go through `tickets.uploads.check_upload`, like the portal's: accepted files are
attached, refused ones are named in the text. A text longer than its limit (`tickets.limits`: the
description of a new ticket, a reply) is shortened to fit, ending with a note in the sender's
language that says how long the e-mail was; the mail is still handled, not refused."""

from __future__ import annotations

import logging
import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts import access
from accounts.bounces import mail_bounce_record
from accounts.models import User
from api.models import InboundMail
from notifications.reply_tokens import reply_mailbox
from sla.choices import Category, Severity, Status
from tickets import rules, selectors
from tickets import services as ticket_services
from tickets.choices import Channel
from tickets.errors import AttachmentRefused
from tickets.limits import COMMENT_MAX_LENGTH, TICKET_DESCRIPTION_MAX_LENGTH
from tickets.models import Ticket
from tickets.notifications import ticket_references_in
from tickets.services.filing_rules import CLOCK_SKEW
from tickets.uploads import check_upload

from .answers import (
    NOT_ALLOWED,
    READER,
    STAFF_UNVERIFIED,
    TICKET_CLOSED,
    UNKNOWN_SENDER,
    UNVERIFIED,
    auto_answer_queue,
)
from .html_text import html_to_text
from .parsing import ParsedMail, mail_parse
from .quotes import quoted_text_strip
from .trust import MailIdentity, Trust, mail_identity

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


@dataclass
class Handled:
    """What `_handle` decided for a mail: the fields of its `InboundMail` row."""

    outcome: str
    reason: str = ""
    ticket: Ticket | None = None
    answer_language: str = ""
    answer_due: bool = False
    review: str = ""
    body: str = ""
    file_names: list[str] = field(default_factory=list)
    raw: bytes | None = None


def own_addresses() -> set[str]:
    """The helpdesk's own addresses: mail from them (or naming them in X-Loop) is never handled."""
    addresses = {parseaddr(settings.DEFAULT_FROM_EMAIL)[1], parseaddr(settings.SERVER_EMAIL)[1], reply_mailbox()}
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
        identity = MailIdentity(Trust.UNKNOWN) if mail.machine else mail_identity(mail)
        handled = _handle(mail, identity, raw)
        inbound.trust = "" if mail.machine else identity.trust
        inbound.person = identity.person
        for name in ("outcome", "reason", "ticket", "answer_language", "answer_due", "review", "body",
                     "file_names", "raw"):
            setattr(inbound, name, getattr(handled, name))
        inbound.save(update_fields=[
            "outcome", "reason", "ticket", "answer_language", "answer_due", "review", "body", "file_names", "raw",
            "trust", "person",
        ])
        if handled.answer_due:
            auto_answer_queue(inbound=inbound)
    logger.info("inbound mail %s from %s (%s): %s %s", inbound.pk, mail.sender, inbound.trust or "-",
                handled.outcome, handled.reason)
    return IngestResult(handled.outcome, handled.reason, handled.ticket, inbound)


def ticket_answered(mail: ParsedMail, person: User) -> Ticket | None:
    """The ticket the mail answers, if the person may see it (else the mail counts as new)."""
    references = [r for header in mail.answers for r in ticket_references_in(header)]
    references += [r.upper() for r in REFERENCE_IN_SUBJECT.findall(mail.subject)]
    for reference in dict.fromkeys(references):
        ticket = Ticket.objects.filter(reference=reference).select_related("organisation").first()
        if ticket is not None and rules.may_see(person, ticket):
            return ticket
    return None


def _answer_due(mail: ParsedMail) -> bool:
    """At most one automatic answer per address per AUTO_ANSWER_INTERVAL."""
    return not InboundMail.objects.filter(
        sender=mail.sender, answer_due=True, received_at__gte=timezone.now() - AUTO_ANSWER_INTERVAL
    ).exists()


def _auto_answer(mail: ParsedMail, reason: str, language: str, ticket: Ticket | None = None) -> Handled:
    if not _answer_due(mail):
        return Handled(Outcome.IGNORED, "already_answered", ticket)
    return Handled(Outcome.AUTO_ANSWERED, reason, ticket, language, answer_due=True)


def _record_bounces(mail: ParsedMail) -> None:
    now = timezone.now()
    for bounce in mail.bounces:
        reason = " ".join(part for part in (bounce.status, bounce.diagnostic) if part)
        mail_bounce_record(address=bounce.address, reason=reason, now=now)


def _handle(mail: ParsedMail, identity: MailIdentity, raw: bytes) -> Handled:
    if mail.machine:
        if mail.bounces:
            _record_bounces(mail)
            return Handled(Outcome.IGNORED, "bounce")
        return Handled(Outcome.IGNORED, mail.machine)
    person = identity.person
    if person is None:
        return _auto_answer(mail, UNKNOWN_SENDER, "")
    language = person.language or settings.LANGUAGE_CODE
    with translation.override(language):
        if identity.trust == Trust.TOKEN:
            return _on_ticket(mail, person, identity.ticket, language)
        ticket = ticket_answered(mail, person)
        if ticket is not None:  # an answer to a merged duplicate goes on where its conversation went
            ticket = selectors.ticket_continued_in(ticket)
        if identity.acts:
            if ticket is not None:
                return _on_ticket(mail, person, ticket, language)
            if access.can_file_tickets(person):
                return open_ticket(mail, person)
            return _auto_answer(mail, READER if access.is_reader(person) else NOT_ALLOWED, language)
        # Unverified: nothing is posted in the person's name.
        if identity.claims_staff:
            if ticket is None:  # staff do not open tickets by mail
                return _auto_answer(mail, NOT_ALLOWED, language)
            return _hold(mail, raw, ticket, STAFF_UNVERIFIED, language)
        if access.is_reader(person):
            return _auto_answer(mail, READER, language)
        if ticket is not None:
            if not (rules.may_reply(person, ticket) and access.can_file_tickets(person)):
                if ticket.status == Status.CLOSED:
                    return _auto_answer(mail, TICKET_CLOSED, language, ticket)
                return _auto_answer(mail, NOT_ALLOWED, language)
            return _hold(mail, raw, ticket, UNVERIFIED, language)
        if access.can_file_tickets(person):
            return _hold(mail, raw, None, UNVERIFIED, language)
        return _auto_answer(mail, NOT_ALLOWED, language)


def _on_ticket(mail: ParsedMail, person: User, ticket: Ticket, language: str) -> Handled:
    """A mail that acts as `person` on `ticket`: a reply, or the answer why not."""
    ticket = selectors.ticket_continued_in(ticket)
    if rules.may_reply(person, ticket) and (access.can_file_tickets(person) or access.is_agent(person)):
        return post_reply(mail, person, ticket)
    if access.is_reader(person):
        return _auto_answer(mail, READER, language)
    if ticket.status == Status.CLOSED:
        return _auto_answer(mail, TICKET_CLOSED, language, ticket)
    return _auto_answer(mail, NOT_ALLOWED, language)


def _hold(mail: ParsedMail, raw: bytes, ticket: Ticket | None, reason: str, language: str) -> Handled:
    """Keep an unverified mail for an agent's review: what it would post, and the message (for
    its files). Nothing else is written; the sender is told (within the answers' limit)."""
    body = _reply_text(mail) if ticket is not None else _description_text(mail)
    if not body and not mail.attachments:
        return Handled(Outcome.IGNORED, "empty_reply", ticket)
    return Handled(
        Outcome.HELD, reason, ticket, language, answer_due=_answer_due(mail), review=InboundMail.Review.PENDING,
        body=body, file_names=[a.name for a in mail.attachments], raw=raw,
    )


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


def _reply_text(mail: ParsedMail, refused: list[str] = ()) -> str:
    """The reply a mail makes: without the quoted mail and the signature, fitted to the limit."""
    text = html_to_text(mail.html, drop_quotes=True) if mail.html else mail.text
    return _fitted(_with_refusals(quoted_text_strip(text), list(refused)), COMMENT_MAX_LENGTH)


def _text_language(language: str | None):
    """Notes in a mail's text (refused files, shortening) in the sender's language; without one,
    the active language (`_handle` has switched to the sender's already)."""
    return translation.override(language) if language else nullcontext()


def post_reply(mail: ParsedMail, person: User | None, ticket: Ticket, *, author: User | None = None,
               is_internal: bool = False, heading: str = "", language: str | None = None) -> Handled:
    """Add the mail's text and files to the ticket: as `person`'s public reply, or (accepting a
    held mail, `review`) as `author`'s reply or internal note, under `heading`."""
    with _text_language(language):
        files, refused = _files(mail)
        body = _reply_text(mail, refused)
    if not body and not files:
        return Handled(Outcome.IGNORED, "empty_reply", ticket)
    if heading:
        body = _fitted(f"{heading}\n\n{body}", COMMENT_MAX_LENGTH)
    ticket_services.comment_add(ticket=ticket, author=author or person, body=body, files=files,
                                channel=Channel.EMAIL, is_internal=is_internal)
    return Handled(Outcome.REPLY_ADDED, "", ticket)


def _reported_at(mail: ParsedMail):
    now = timezone.now().replace(microsecond=0)
    if mail.date is not None and now - REPORTED_AT_WINDOW <= mail.date <= now + CLOCK_SKEW:
        return min(mail.date.replace(microsecond=0), now)
    return now


def _description_text(mail: ParsedMail, refused: list[str] = ()) -> str:
    return _fitted(_with_refusals(mail.text or _("(The e-mail had no text.)"), list(refused)),
                   TICKET_DESCRIPTION_MAX_LENGTH)


def open_ticket(mail: ParsedMail, person: User, *, language: str | None = None) -> Handled:
    """A new ticket of `person` from the mail (its text, files and priority)."""
    with _text_language(language):
        files, refused = _files(mail)
        description = _description_text(mail, refused)
        subject = (mail.subject or _("E-mail without subject"))[:200]
    ticket = ticket_services.ticket_create(
        via=Channel.EMAIL,
        organisation=person.organisation,
        requester=person,
        actor=person,
        subject=subject,
        description=description,
        category=Category.FAULT,
        severity=Severity.SEVERE if mail.priority_high else Severity.MINOR,
        reported_at=_reported_at(mail),
        files=files,
    ).ticket
    return Handled(Outcome.TICKET_OPENED, "", ticket)
