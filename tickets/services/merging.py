"""Merging a duplicate into a main ticket, and splitting a comment off into a ticket of its own.

Both run in one transaction under the row locks of every ticket they touch (taken in id order, so
two merges of the same pair in opposite directions queue up instead of deadlocking), and both ask
the access gate for every ticket: the actor must be an agent who may see each of them.

Merge (docs/agent-desk.md, "Merge and split"): the duplicate's conversation (comments with their
events), attachments, effort (every time entry, deleted ones too) and watchers move to the main
ticket; its requester becomes a watcher of the main ticket when they are someone else. The
duplicate is closed with a link to the main ticket (`Ticket.merged_into`) and can no longer be
reopened; both histories say so, and the duplicate's requester is told by mail. SLA: the main
ticket's targets stay as they are; the duplicate's met and breached targets stay as they were (the
reports count them), an overdue one is recorded as breached, and its open or paused targets that
are not overdue end without a verdict (the main ticket carries the customer's expectation on).

Split: a public comment becomes a new ticket of the same organisation (same category and severity
unless given) with its own SLA from the comment's time (`reported_at` = the comment's time). The
comment, its files and its events move to the new ticket; both histories say so; the new ticket's
requester (the comment's author when a contact of the organisation wrote it, else the original
requester) gets the usual confirmation."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from sla.choices import Status
from sla.engine import clock
from tickets import transitions
from tickets.errors import TicketRuleError
from tickets.limits import text_length_errors
from tickets.models import Attachment, Comment, EventCode, Ticket, TicketEvent, TicketWatcher, TimeEntry

from ._common import event_write, require_may_see
from .creation import ticket_create
from .sla import SLA_FIELDS, next_reply_cycles_save, sla_state_compute

# The events that belong to what moves: they move with it, so each history stays whole.
CONVERSATION_CODES = (EventCode.REPLY_ADDED, EventCode.NOTE_ADDED, EventCode.ATTACHMENT_ADDED)
EFFORT_CODES = (EventCode.EFFORT_LOGGED, EventCode.EFFORT_CHANGED, EventCode.EFFORT_DELETED)
SUBJECT_MAX_LENGTH = Ticket._meta.get_field("subject").max_length


class MergeRefused(TicketRuleError):
    """A merge or split that the tickets' state does not allow (422 in the API)."""


@dataclass(frozen=True)
class Merged:
    """What a merge moved: counts of comments, attachments, time entries and their minutes."""

    main: Ticket
    duplicate: Ticket
    comments: int
    attachments: int
    time_entries: int
    minutes: int


def _require_agent(actor) -> None:
    if not access.is_agent(actor):
        raise PermissionDenied(_("Your role does not allow this change."))


def lock_in_order(*tickets: Ticket) -> dict[int, Ticket]:
    """Lock the tickets' rows in id order (the order every service takes them in); by id."""
    ids = sorted({ticket.pk for ticket in tickets})
    locked = {}
    for pk in ids:  # one statement per row: the order of the locks is the order of the statements
        locked[pk] = Ticket.objects.select_for_update().get(pk=pk)
    return locked


def _ref(ticket: Ticket) -> dict:
    return {"id": ticket.pk, "reference": ticket.reference, "subject": ticket.subject}


def ticket_merge(*, duplicate: Ticket, main: Ticket, actor) -> Merged:
    """Merge `duplicate` into `main` (see the module's text). Refused: the same ticket twice,
    tickets of two organisations, a closed ticket on either side; customers and readers."""
    _require_agent(actor)
    require_may_see(actor, duplicate)
    require_may_see(actor, main)
    if duplicate.pk == main.pk:
        raise ValidationError({"main": _("A ticket cannot be merged into itself.")})
    if duplicate.organisation_id != main.organisation_id:
        raise ValidationError({"main": _("Only tickets of the same organisation can be merged.")})
    with transaction.atomic():
        locked = lock_in_order(duplicate, main)
        dup, into = locked[duplicate.pk], locked[main.pk]
        if dup.status == Status.CLOSED:
            raise MergeRefused(
                _("%(reference)s is closed and cannot be merged.") % {"reference": dup.reference}, code="closed"
            )
        if into.status == Status.CLOSED:
            raise MergeRefused(
                _("%(reference)s is closed: merge into an open ticket.") % {"reference": into.reference},
                code="closed",
            )
        now = timezone.now()
        moved = _move_everything(dup=dup, into=into, actor=actor)
        _close_as_duplicate(dup=dup, into=into, now=now)
        counts = {"comments": moved.comments, "attachments": moved.attachments,
                  "time_entries": moved.time_entries, "minutes": moved.minutes}
        event_write(ticket=dup, code=EventCode.MERGED_INTO, actor=actor, payload={"main": _ref(into), **counts})
        event_write(
            ticket=into, code=EventCode.MERGED_FROM, actor=actor,
            payload={"duplicate": _ref(dup), "description": dup.description, **counts},
        )
    return Merged(main=into, duplicate=dup, comments=moved.comments, attachments=moved.attachments,
                  time_entries=moved.time_entries, minutes=moved.minutes)


def _move_everything(*, dup: Ticket, into: Ticket, actor) -> Merged:
    entries = TimeEntry.all_objects.filter(ticket=dup)
    minutes = entries.filter(deleted_at__isnull=True).aggregate(total=Sum("minutes"))["total"] or 0
    time_entries = entries.filter(deleted_at__isnull=True).count()
    comments = Comment.objects.filter(ticket=dup).update(ticket=into)
    attachments = Attachment.objects.filter(ticket=dup).update(ticket=into)
    entries.update(ticket=into)
    TicketEvent.objects.filter(ticket=dup, code__in=(*CONVERSATION_CODES, *EFFORT_CODES)).update(ticket=into)
    # Watchers: the duplicate's, and its requester when that is someone else than the main's.
    people = dict(TicketWatcher.objects.filter(ticket=dup).values_list("user_id", "added_by_id"))
    if dup.requester_id and dup.requester_id != into.requester_id:
        people.setdefault(dup.requester_id, actor.pk)
    already = set(TicketWatcher.objects.filter(ticket=into).values_list("user_id", flat=True))
    TicketWatcher.objects.bulk_create([
        TicketWatcher(ticket=into, user_id=user_id, added_by_id=added_by)
        for user_id, added_by in people.items()
        if user_id not in already and user_id != into.requester_id
    ])
    TicketWatcher.objects.filter(ticket=dup).delete()
    return Merged(main=into, duplicate=dup, comments=comments, attachments=attachments,
                  time_entries=time_entries, minutes=minutes)


def _close_as_duplicate(*, dup: Ticket, into: Ticket, now) -> None:
    """Closed with the link; the SLA targets as the module's text says (no verdict is invented)."""
    if not transitions.is_allowed(dup.status, Status.CLOSED):  # every open status may close; kept as a guard
        raise MergeRefused(_("This ticket cannot be closed now."), code="transition")
    for kind in clock.KINDS:
        state = clock.state(dup, kind)
        if state in clock.DECIDED or not state:
            continue
        if clock.is_overdue(dup, kind, now):
            setattr(dup, f"{kind}_state", clock.BREACHED)
        else:
            clock.drop_target(dup, kind)
    if not dup.resolution_state:
        dup.resolution_paused_since = None
    dup.status, dup.closed_at, dup.merged_into = Status.CLOSED, now, into
    next_reply_cycles_save([dup], settled_at=now)  # its row follows: breached, or gone when dropped
    sla_state_compute(ticket=dup, now=now)
    dup.save(update_fields=["status", "closed_at", "merged_into", *SLA_FIELDS, "updated_at"])


# --- split -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    origin: Ticket
    ticket: Ticket
    comment: Comment


def comment_split(
    *, comment: Comment, actor, subject: str, category: str = "", severity: str | None = None
) -> Split:
    """Make a new ticket of `comment` (see the module's text). `category` and `severity` default
    to the original ticket's. Refused: internal notes (their text is not the customer's), a comment
    that moved in the meantime, customers and readers."""
    _require_agent(actor)
    origin = comment.ticket
    require_may_see(actor, origin)
    subject = (subject or "").strip()
    if not subject:
        raise ValidationError({"subject": _("Please give the new ticket a subject.")})
    if too_long := text_length_errors({"subject": (subject, SUBJECT_MAX_LENGTH)}):
        raise ValidationError(too_long)
    if comment.is_internal:
        raise ValidationError({"comment": _("Internal notes cannot be split off: only the customer's messages.")})
    with transaction.atomic():
        locked = lock_in_order(origin)[origin.pk]
        current = (Comment.objects.select_for_update(of=("self",)).select_related("author")
                   .filter(pk=comment.pk).first())
        if current is None or current.ticket_id != locked.pk:
            raise MergeRefused(_("This comment is no longer on this ticket."), code="moved")
        author = current.author
        requester = author if (
            author is not None and access.can_file_tickets(author) and author.organisation_id == locked.organisation_id
        ) else locked.requester
        body = current.body or subject
        filed = ticket_create(
            actor=actor, organisation=locked.organisation, requester=requester, subject=subject,
            description=body, category=category or locked.category,
            severity=locked.severity if severity is None else severity,
            channel=current.channel, reported_at=current.created_at, affected_system=locked.affected_system,
        )
        new = filed.ticket
        Comment.objects.filter(pk=current.pk).update(ticket=new)
        Attachment.objects.filter(comment=current).update(ticket=new)
        TicketEvent.objects.filter(ticket=locked, comment=current).update(ticket=new)
        event_write(ticket=locked, code=EventCode.SPLIT_OFF, actor=actor,
                    payload={"ticket": _ref(new), "comment_id": current.pk})
        event_write(ticket=new, code=EventCode.SPLIT_FROM, actor=actor,
                    payload={"ticket": _ref(locked), "comment_id": current.pk})
    current.ticket = new
    return Split(origin=locked, ticket=new, comment=current)
