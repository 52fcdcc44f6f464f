"""Reads of tickets, and the access gate: `ticket_get_for_user` is the only way a view gets a
ticket, and it answers 404 for anything the user may not see (a foreign ticket does not exist
as far as the user can tell)."""

from __future__ import annotations

import re
import uuid

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from accounts import access
from sla.choices import OPEN_STATUSES
from tickets import rules
from tickets.models import Attachment, Ticket, TicketEvent

REFERENCE_RE = re.compile(r"^HD-\d{4}-\d{6}$", re.IGNORECASE)

TAB_OPEN, TAB_CLOSED = "open", "closed"


def tickets_visible_to(*, user) -> QuerySet[Ticket]:
    return Ticket.objects.filter(access.organisation_filter_for(user))


def ticket_get_for_user(*, user, reference_or_id: str | int) -> Ticket:
    """The ticket with this reference (HD-2026-000042) or id, if `user` may see it; else Http404."""
    value = str(reference_or_id).strip()
    if REFERENCE_RE.match(value):
        lookup = Q(reference=value.upper())
    elif value.isdigit():
        lookup = Q(pk=int(value))
    else:
        raise Http404("no such ticket")
    ticket = (
        tickets_visible_to(user=user)
        .filter(lookup)
        .select_related(
            "organisation__support_partner", "requester", "team", "assignee", "out_of_hours_accepted_by",
            "sla_calendar", "fixed_release__product",
        )
        .first()
    )
    if ticket is None:
        raise Http404("no such ticket")
    return ticket


def tickets_for_customer(*, user, tab: str = TAB_OPEN, query: str = "") -> QuerySet[Ticket]:
    """The user's organisation's tickets, newest activity first. `tab` "open" are the open
    statuses, "closed" the resolved and closed ones. `query` matches the reference or subject."""
    tickets = tickets_visible_to(user=user)
    if tab == TAB_CLOSED:
        tickets = tickets.exclude(status__in=OPEN_STATUSES)
    else:
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    query = (query or "").strip()
    if query:
        tickets = tickets.filter(Q(reference__icontains=query) | Q(subject__icontains=query))
    return tickets.select_related("requester", "sla_calendar").order_by("-last_activity_at", "-pk")


def ticket_counts_for_customer(*, user, query: str = "") -> dict[str, int]:
    open_count = tickets_for_customer(user=user, tab=TAB_OPEN, query=query).count()
    closed_count = tickets_for_customer(user=user, tab=TAB_CLOSED, query=query).count()
    return {TAB_OPEN: open_count, TAB_CLOSED: closed_count}


def ticket_events_for_user(*, ticket: Ticket, user) -> list[TicketEvent]:
    """The ticket's history as this user may see it (customers: public events only), with the
    comments and their attachments loaded."""
    events = ticket.events.select_related("actor", "comment")
    attachments = Attachment.objects.order_by("created_at", "pk")
    if not rules.sees_internal(user):
        events = events.filter(is_public=True)
        attachments = attachments.filter(is_internal=False)
    return list(events.prefetch_related(Prefetch("comment__attachments", queryset=attachments)))


def ticket_attachments_for_user(*, ticket: Ticket, user) -> dict[int, Attachment]:
    """The ticket's attachments the user may see, by id."""
    attachments = ticket.attachments.all()
    if not rules.sees_internal(user):
        attachments = attachments.filter(is_internal=False)
    return {a.pk: a for a in attachments}


def attachment_get_for_user(*, user, reference_or_id: str | int, public_id) -> Attachment:
    """An attachment of a ticket the user may see; internal ones only for agents. Else Http404."""
    ticket = ticket_get_for_user(user=user, reference_or_id=reference_or_id)
    try:
        public_id = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404("no such attachment") from None
    attachments = ticket.attachments.filter(public_id=public_id)
    if not rules.sees_internal(user):
        attachments = attachments.filter(is_internal=False)
    attachment = attachments.first()
    if attachment is None:
        raise Http404("no such attachment")
    attachment.ticket = ticket
    return attachment


def ticket_continued_in(ticket: Ticket) -> Ticket:
    """Where a ticket's conversation goes on: the ticket itself, or for a merged duplicate the
    ticket it was merged into (following a chain of merges). Same organisation by construction."""
    seen = {ticket.pk}
    while ticket.merged_into_id is not None and ticket.merged_into_id not in seen:
        ticket = ticket.merged_into
        seen.add(ticket.pk)
    return ticket
