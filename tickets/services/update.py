"""Several changes to a ticket in one call (the API's PATCH): each through its own service, all in
one transaction, so a refused change leaves nothing half done."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Team, User
from tickets.models import Ticket

from ._common import UNSET
from .assignment import ticket_assign
from .status import ticket_change_severity, ticket_change_status, ticket_provide_workaround, ticket_set_fix_release


def ticket_update(
    *,
    ticket: Ticket,
    actor,
    status=UNSET,
    severity=UNSET,
    assignee=UNSET,
    team=UNSET,
    workaround=UNSET,
    fixed_in_release=UNSET,
) -> Ticket:
    """Apply the given changes (leave out what stays) in this order: assignee and team, severity,
    workaround, fix release, status. `assignee` and `team` are instances or ids (None clears).
    Everything but the status is for agents. Returns the ticket with its relations loaded."""
    agents_only = (severity, assignee, team, workaround, fixed_in_release)
    if actor is not None and not access.is_agent(actor) and any(v is not UNSET for v in agents_only):
        raise PermissionDenied(_("Your role does not allow this change."))
    with transaction.atomic():
        if assignee is not UNSET or team is not UNSET:
            ticket = ticket_assign(ticket=ticket, actor=actor, assignee=_person(assignee), team=_team(team))
        if severity is not UNSET:
            ticket = ticket_change_severity(ticket=ticket, actor=actor, severity=severity)
        if workaround is not UNSET:
            ticket = ticket_provide_workaround(ticket=ticket, actor=actor, workaround=workaround)
        if fixed_in_release is not UNSET:
            ticket = ticket_set_fix_release(ticket=ticket, actor=actor, release=fixed_in_release)
        if status is not UNSET:
            ticket = ticket_change_status(ticket=ticket, actor=actor, status=status)
    return Ticket.objects.select_related("organisation", "requester", "assignee", "team").get(pk=ticket.pk)


def _person(value):
    if not isinstance(value, int):
        return value  # UNSET, None or a person
    person = User.objects.filter(pk=value, is_active=True).first()
    if person is None:
        raise ValidationError({"assignee": _("No active person with this id.")})
    return person


def _team(value):
    if not isinstance(value, int):
        return value
    team = Team.objects.filter(pk=value).first()
    if team is None:
        raise ValidationError({"team": _("No team with this id.")})
    return team
