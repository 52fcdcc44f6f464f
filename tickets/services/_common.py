"""Helpers shared by the ticket services: locking, the access check, the event row and the
notification hand-off. Not public: call the services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets import rules
from tickets.models import Comment, Ticket, TicketEvent
from tickets.notifications import ticket_mails_record


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()


def require_may_see(actor, ticket: Ticket) -> None:
    """System actions (actor None: tasks, devices) pass; people must be able to see the ticket."""
    if actor is not None and not rules.may_see(actor, ticket):
        raise PermissionDenied(_("You cannot change this ticket."))


def lock(ticket: Ticket) -> Ticket:
    """Re-read the ticket with its row locked, so concurrent changes queue up instead of
    overwriting each other."""
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def user_ref(user) -> dict | None:
    """How people appear in payloads: id plus the name at the time (names are not translations)."""
    if user is None:
        return None
    return {"id": user.pk, "name": str(user)}


def team_ref(team) -> dict | None:
    if team is None:
        return None
    return {"id": team.pk, "name": team.name}


def event_write(
    *,
    ticket: Ticket,
    code: str,
    actor,
    payload: dict | None = None,
    is_public: bool = True,
    comment: Comment | None = None,
    filed: bool = False,
) -> TicketEvent:
    """Write one event in the caller's transaction, mark the ticket's activity and record the
    event's mails in the outbox, in the same transaction (`tickets.notifications`; sent after the
    commit). Only public events count as
    activity: the customer's list must not move because of an internal note. `filed=True`: the
    ticket has just been inserted; the event takes its last activity (the filing instant) as its
    time instead of updating the ticket."""
    event = TicketEvent.objects.create(
        ticket=ticket, code=code, actor=actor, payload=payload or {}, is_public=is_public, comment=comment,
        created_at=ticket.last_activity_at if filed else timezone.now(),
    )
    if is_public and not filed:
        ticket.last_activity_at = event.created_at
        Ticket.objects.filter(pk=ticket.pk).update(last_activity_at=event.created_at, updated_at=timezone.now())
    ticket_mails_record(event=event)
    return event
