"""Watchers: a customer contact adds colleagues of their own organisation to a ticket (they get the
customer's ticket mails, like the requester); an agent follows a ticket (they get the agents' mails
about the customer's replies). Everyone may stop watching; contacts may remove their colleagues.
Under the ticket's row lock; one history event per change (public for customers' colleagues,
internal for agents following)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import CUSTOMER_ROLES, User
from tickets import rules
from tickets.models import EventCode, Ticket, TicketWatcher

from ._common import event_write, lock, require_may_see, user_ref


def _may_add(actor, ticket: Ticket, person) -> None:
    if access.is_agent(actor):
        if person.pk != actor.pk:
            raise PermissionDenied(_("Agents follow tickets themselves; they do not add others."))
        return
    if not access.can_file_tickets(actor):
        raise PermissionDenied(_("Your role does not allow this change."))
    if not (person.is_active and access.is_customer(person) and person.organisation_id == ticket.organisation_id):
        raise ValidationError({"user": _("Only colleagues of your own organisation can watch this ticket.")})
    if person.pk == ticket.requester_id:
        raise ValidationError({"user": _("The requester gets the ticket's mails anyway.")})


def ticket_watcher_add(*, ticket: Ticket, actor, person) -> TicketWatcher:
    """Add `person` as a watcher (a colleague, by a contact) or as a follower (an agent, themselves).
    Adding someone who already watches returns their row and writes nothing."""
    require_may_see(actor, ticket)
    _may_add(actor, ticket, person)
    with transaction.atomic():
        locked = lock(ticket)
        watcher, created = TicketWatcher.objects.get_or_create(ticket=locked, user=person,
                                                               defaults={"added_by": actor})
        if created:
            event_write(ticket=locked, code=EventCode.WATCHER_ADDED, actor=actor,
                        payload={"person": user_ref(person)}, is_public=not access.is_agent(person))
    return watcher


def ticket_watcher_remove(*, ticket: Ticket, actor, person) -> bool:
    """Stop `person` watching: themselves, or (contacts) a colleague. False when they did not watch."""
    require_may_see(actor, ticket)
    if person.pk != actor.pk and not (access.can_file_tickets(actor) and access.is_customer(person)):
        raise PermissionDenied(_("Your role does not allow this change."))
    with transaction.atomic():
        locked = lock(ticket)
        deleted, _rows = TicketWatcher.objects.filter(ticket=locked, user=person).delete()
        if deleted:
            event_write(ticket=locked, code=EventCode.WATCHER_REMOVED, actor=actor,
                        payload={"person": user_ref(person)}, is_public=not access.is_agent(person))
    return bool(deleted)


def watchers_of(*, ticket: Ticket, user) -> list[TicketWatcher]:
    """The ticket's watchers as `user` may see them: customers see their colleagues, agents everyone."""
    watchers = ticket.watchers.select_related("user").order_by("created_at", "pk")
    if not rules.sees_internal(user):
        watchers = watchers.filter(user__organisation_id=ticket.organisation_id)
    return list(watchers)


def colleagues_for_page(*, ticket: Ticket, user) -> tuple[list[User], list[User]]:
    """(watching, may be added) among the ticket's organisation's people, for a customer's page, in
    one query: the colleagues who watch, and (for contacts) the active ones who could (not the
    requester). Agents see the watchers with `watchers_of`."""
    if not access.is_customer(user):
        return [], []
    people = User.objects.filter(organisation_id=ticket.organisation_id, role__in=CUSTOMER_ROLES,
                                 is_superuser=False).annotate(
        watching=Exists(TicketWatcher.objects.filter(ticket=ticket, user=OuterRef("pk"))))
    people = people.filter(Q(watching=True) | Q(is_active=True)).order_by("last_name", "first_name", "username")
    watching, addable = [], []
    for person in people:
        if person.watching:
            watching.append(person)
        elif access.can_file_tickets(user) and person.is_active and person.pk != ticket.requester_id:
            addable.append(person)
    return watching, addable


def colleagues_to_add(*, ticket: Ticket, user) -> list[User]:
    """Whom a contact may add: active people of the ticket's organisation who are not watching yet
    and are not the requester."""
    return colleagues_for_page(ticket=ticket, user=user)[1]
