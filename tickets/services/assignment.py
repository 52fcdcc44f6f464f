"""Assigning a ticket to a team and an agent."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import access
from tickets.models import EventCode, Ticket

from ._common import UNSET, event_write, lock, require_may_see, team_ref, user_ref


def ticket_assign(*, ticket: Ticket, actor, assignee=UNSET, team=UNSET) -> Ticket:
    """Set the assignee and/or the team (None clears; leave out what stays). The assignee must
    be an agent who may see the ticket's organisation; a person moves tickets only to active teams
    of their own organisation (`access.teams_for`: a reseller's agent cannot hand a ticket to the
    vendor's teams, nor the vendor's staff to a reseller's). Internal event: customers do not see
    who works on their ticket in the history."""
    require_may_see(actor, ticket)
    if actor is not None and not access.is_agent(actor):
        raise PermissionDenied(_("Your role does not allow this change."))
    if assignee not in (UNSET, None) and not (
        access.is_agent(assignee) and access.organisations_for(assignee).filter(pk=ticket.organisation_id).exists()
    ):
        raise ValidationError({"assignee": _("This person cannot work on tickets of this organisation.")})
    if team not in (UNSET, None):
        if not team.is_active:
            raise ValidationError({"team": _("This team is not active.")})
        if actor is not None and not access.teams_for(actor).filter(pk=team.pk).exists():
            raise ValidationError({"team": _("You can move tickets only to the teams of your own organisation.")})
    with transaction.atomic():
        locked = lock(ticket)
        old = {"assignee": user_ref(locked.assignee), "team": team_ref(locked.team)}
        fields = []
        if assignee is not UNSET and locked.assignee_id != getattr(assignee, "pk", None):
            locked.assignee = assignee
            fields.append("assignee")
        if team is not UNSET and locked.team_id != getattr(team, "pk", None):
            locked.team = team
            fields.append("team")
        if not fields:
            return locked
        locked.save(update_fields=[*fields, "updated_at"])
        new = {"assignee": user_ref(locked.assignee), "team": team_ref(locked.team)}
        event_write(
            ticket=locked, code=EventCode.ASSIGNED, actor=actor, payload={"old": old, "new": new}, is_public=False
        )
    return locked
