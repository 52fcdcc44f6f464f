"""The agent's own things: saved queue views, canned replies of a team, and the presence rows
behind the collision hints."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import access
from tickets.models import CannedReply, SavedView, Ticket, TicketPresence

from ._common import require_may_see

# Presence rows older than this are removed when the ticket's presence is next touched.
PRESENCE_FORGET = timedelta(hours=1)


def saved_view_save(*, owner, name: str, query: str) -> SavedView:
    """Save the queue's current filters (`query`, a query string) under `name`; a view of the
    same name is replaced."""
    if not access.is_agent(owner):
        raise PermissionDenied(_("Your role does not allow this page."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Please give the view a name.")})
    if len(name) > 60:
        raise ValidationError({"name": _("Please keep the name under 60 characters.")})
    if len(query) > 1000:
        raise ValidationError({"name": _("These filters are too long to save.")})
    try:
        with transaction.atomic():
            view, _created = SavedView.objects.update_or_create(owner=owner, name=name, defaults={"query": query})
    except IntegrityError:  # the same name saved twice at once: the other one won
        view = SavedView.objects.get(owner=owner, name=name)
    return view


def saved_view_delete(*, view: SavedView, actor) -> None:
    if view.owner_id != actor.pk:
        raise PermissionDenied(_("This view belongs to someone else."))
    view.delete()


def canned_reply_save(*, team, title: str, body: str, is_active: bool = True, reply: CannedReply | None = None
                      ) -> CannedReply:
    """Create a team's canned reply, or update `reply`; without `reply`, one of the same team and
    title is updated (so seeding twice creates nothing twice)."""
    title, body = (title or "").strip(), (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Please give the reply a title.")
    if not body:
        errors["body"] = _("Please write the reply.")
    if errors:
        raise ValidationError(errors)
    if reply is None:
        reply, _created = CannedReply.objects.update_or_create(
            team=team, title=title, defaults={"body": body, "is_active": is_active}
        )
        return reply
    reply.team, reply.title, reply.body, reply.is_active = team, title, body, is_active
    reply.save()
    return reply


def presence_touch(*, ticket: Ticket, user, typing: bool, now: datetime, page: str = "") -> TicketPresence:
    """Record that `user` has the ticket open now (and is typing a reply, if so). Old rows of the
    ticket are forgotten on the way."""
    require_may_see(user, ticket)
    if not access.is_agent(user):
        raise PermissionDenied(_("Your role does not allow this page."))
    TicketPresence.objects.filter(ticket=ticket, seen_at__lt=now - PRESENCE_FORGET).delete()
    defaults = {"seen_at": now, "page": page}
    if typing:
        defaults["typing_at"] = now
    try:
        with transaction.atomic():
            presence, _created = TicketPresence.objects.update_or_create(ticket=ticket, user=user, defaults=defaults)
    except IntegrityError:  # two tabs of the same agent at once
        TicketPresence.objects.filter(ticket=ticket, user=user).update(**defaults)
        presence = TicketPresence.objects.get(ticket=ticket, user=user)
    return presence


def presence_leave(*, ticket: Ticket, user, page: str = "") -> None:
    """The agent closed the ticket's page `page`: its hint disappears at once instead of after
    expiry, unless another page of the agent touched it since (a reload's new page may do so
    before the old page's leave arrives)."""
    TicketPresence.objects.filter(ticket=ticket, user=user, page=page).delete()
