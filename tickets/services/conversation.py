"""Replies, internal notes and attachments."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from accounts import access
from sla.choices import Status
from tickets import rules
from tickets.choices import Channel
from tickets.errors import IdempotencyConflict
from tickets.limits import COMMENT_MAX_LENGTH, text_length_errors
from tickets.models import Attachment, Comment, EventCode, Ticket
from tickets.uploads import check_upload

from ._common import event_write, lock, require_may_see
from .sla import sla_agent_reply, sla_customer_message, sla_reaction_record
from .status import REASON_CUSTOMER_REPLIED, apply_status


@dataclass(frozen=True)
class Commented:
    """What `comment_add` did: `created` the comment now, or found it written earlier under the
    same idempotency key (a repeat: nothing was written)."""

    comment: Comment
    created: bool


def comment_add(
    *,
    ticket: Ticket,
    author,
    body: str,
    is_internal: bool = False,
    files: Iterable = (),
    channel: str = Channel.PORTAL,
    idempotency_key: str = "",
) -> Commented:
    """Add a public reply or (agents only) an internal note, with attachments; see `Commented`.

    Every file must pass `tickets.uploads.check_upload` (the portal checks first and passes on
    only the accepted ones, so the text is saved even when a file is refused). The first public
    reply of an agent is the reaction. A customer's reply to a ticket that waits on the
    customer moves it back to in progress.

    `idempotency_key` is the author's (one comment per author and key): the same author sending
    the same comment (ticket, text, reply or note) with the same key again gets the first one
    (`created=False`). The key with another comment is never swallowed: through the API it is an
    `IdempotencyConflict`; a form's token (a page restored by the browser, say) saves the comment
    as a new one, without the key.
    """
    require_may_see(author, ticket)
    files = list(files)
    body = (body or "").strip()
    strict = channel == Channel.API
    if author is None:
        idempotency_key = ""
    earlier = _already_written(author, idempotency_key)
    if earlier is not None:
        if _same_comment(earlier, ticket=ticket, body=body, is_internal=is_internal):
            return Commented(earlier, created=False)
        if strict:
            raise _conflict(earlier)
        idempotency_key = ""
    if is_internal and author is not None and not rules.may_add_note(author):
        raise PermissionDenied(_("Only agents can write internal notes."))
    if author is not None and not (is_internal or rules.may_reply(author, ticket)):
        if ticket.status == Status.CLOSED:
            raise ValidationError({"body": _("This ticket is closed. Reopen it to reply.")})
        raise PermissionDenied(_("Your role does not allow replies."))
    if not body and not files:
        raise ValidationError({"body": _("Please write a reply or attach a file.")})
    if too_long := text_length_errors({"body": (body, COMMENT_MAX_LENGTH)}):
        raise ValidationError(too_long)
    checked = list(zip(files, [check_upload(f) for f in files], strict=True))

    def write(key: str) -> Comment:
        with files_removed_on_error(), transaction.atomic():
            return _add(ticket=ticket, author=author, body=body, is_internal=is_internal, files=checked,
                        channel=channel, idempotency_key=key)

    try:
        return Commented(write(idempotency_key), created=True)
    except IntegrityError:
        # The same key raced past the check: the other request won, ours was rolled back.
        earlier = _already_written(author, idempotency_key)
        if earlier is None:
            raise
        if _same_comment(earlier, ticket=ticket, body=body, is_internal=is_internal):
            return Commented(earlier, created=False)
        if strict:
            raise _conflict(earlier) from None
        return Commented(write(""), created=True)


def _already_written(author, idempotency_key: str) -> Comment | None:
    """The author's comment under this key, with what an answer shows of it."""
    if author is None or not idempotency_key:
        return None
    attachments = Attachment.objects.order_by("created_at", "pk")
    found = Comment.objects.select_related("author").prefetch_related(Prefetch("attachments", queryset=attachments))
    return found.filter(author=author, idempotency_key=idempotency_key).first()


def _same_comment(comment: Comment, *, ticket: Ticket, body: str, is_internal: bool) -> bool:
    return comment.ticket_id == ticket.pk and comment.body == body and comment.is_internal == is_internal


def _conflict(comment: Comment) -> IdempotencyConflict:
    return IdempotencyConflict(comment.ticket, _(
        "This idempotency key was already used for another comment. Send that request again unchanged, or use "
        "a new key for a new comment."
    ))


def _add(*, ticket, author, body, is_internal, files, channel, idempotency_key) -> Comment:
    locked = lock(ticket)
    if locked.status == Status.CLOSED and not is_internal:
        raise ValidationError({"body": _("This ticket is closed. Reopen it to reply.")})
    comment = Comment.objects.create(
        ticket=locked, author=author, body=body, is_internal=is_internal, channel=channel,
        idempotency_key=idempotency_key,
    )
    event_write(
        ticket=locked,
        code=EventCode.NOTE_ADDED if is_internal else EventCode.REPLY_ADDED,
        actor=author,
        payload={"comment_id": comment.pk},
        is_public=not is_internal,
        comment=comment,
    )
    for uploaded, check in files:
        store_attachment(ticket=locked, actor=author, uploaded=uploaded, check=check, comment=comment)
    if not is_internal and access.is_agent(author) and locked.first_reaction_at is None:
        locked.first_reaction_at = comment.created_at
        sla_fields = sla_reaction_record(ticket=locked, now=comment.created_at)
        locked.save(update_fields=["first_reaction_at", *sla_fields, "updated_at"])
    elif (  # the next public agent reply settles a running next-reply cycle (docs/sla-semantics.md §8)
        not is_internal and access.is_agent(author)
        and (sla_fields := sla_agent_reply(ticket=locked, author=author, now=comment.created_at))
    ):
        locked.save(update_fields=[*sla_fields, "updated_at"])
    if (
        not is_internal
        and access.is_customer(author)
        and locked.status == Status.WAITING_ON_CUSTOMER
    ):
        apply_status(ticket=locked, actor=author, new=Status.IN_PROGRESS, reason=REASON_CUSTOMER_REPLIED)
    if (  # a customer message after the first reaction starts a next-reply cycle unless one runs
        not is_internal and access.is_customer(author)
        and (sla_fields := sla_customer_message(ticket=locked, now=comment.created_at))
    ):
        locked.save(update_fields=[*sla_fields, "updated_at"])
    ticket.status, ticket.last_activity_at = locked.status, locked.last_activity_at
    return comment


def store_attachment(*, ticket, actor, uploaded, check, comment=None, public_id=None) -> Attachment:
    is_internal = bool(comment and comment.is_internal)
    attachment = Attachment(
        public_id=public_id or uuid.uuid4(),
        ticket=ticket,
        comment=comment,
        original_name=check.name,
        content_type=check.content_type,
        size=check.size,
        uploaded_by=actor,
        is_internal=is_internal,
    )
    uploaded.seek(0)
    attachment.file.save(check.name, uploaded, save=False)
    _WRITTEN.get().append((attachment.file.storage, attachment.file.name))
    attachment.save()
    event_write(
        ticket=ticket,
        code=EventCode.ATTACHMENT_ADDED,
        actor=actor,
        payload={"attachment_id": attachment.pk, "name": attachment.original_name, "size": attachment.size},
        is_public=not is_internal,
        comment=comment,
    )
    return attachment


# Files written by the current service call: removed again when its transaction fails, so no
# file stays on disk without its row. (A rollback of an outer transaction can still leave one;
# such orphans are harmless: nothing links to them.)
_WRITTEN: ContextVar[list] = ContextVar("tickets_written_files")


@contextmanager
def files_removed_on_error():
    token = _WRITTEN.set([])
    try:
        yield
    except BaseException:
        for storage, name in _WRITTEN.get():
            storage.delete(name)
        raise
    finally:
        _WRITTEN.reset(token)


def attachment_add(*, ticket: Ticket, actor, file, comment: Comment | None = None, public_id=None) -> Attachment:
    """Attach one file to a ticket (or to one of its comments). Raises AttachmentRefused for a
    file that is too large, of a refused type or whose content does not match its name.
    `public_id` fixes the download id (imports and demo data); otherwise it is random."""
    require_may_see(actor, ticket)
    if actor is not None and not (access.can_file_tickets(actor) or access.is_agent(actor)):
        raise PermissionDenied(_("Your role does not allow attachments."))
    if comment is not None and comment.ticket_id != ticket.pk:
        raise ValidationError({"comment": _("The comment belongs to another ticket.")})
    check = check_upload(file)
    with files_removed_on_error(), transaction.atomic():
        locked = lock(ticket)
        attachment = store_attachment(
            ticket=locked, actor=actor, uploaded=file, check=check, comment=comment, public_id=public_id
        )
    return attachment
