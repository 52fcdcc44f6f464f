"""Absences of agents and what follows from them: auto-assignment skips an absent agent; when an
agent goes absent with open tickets, the leads of their teams are told and may hand the tickets on
with the fair choice (`auto_assignment`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Absence, Team
from notifications.models import OutboxMail
from notifications.services import notification_create, outbox_mails_add
from sla.choices import OPEN_STATUSES
from tickets.absence_kinds import ABSENT_WITH_OPEN_TICKETS
from tickets.models import EventCode, Ticket

from . import auto_assignment
from ._common import event_write, lock, team_ref, user_ref


def _require(actor, agent) -> None:
    if not access.may_record_absence(actor, agent):
        raise PermissionDenied(_("You may not record absences of this person."))


def _check_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The absence cannot end before it starts.")})


def open_tickets_of(agent):
    return Ticket.objects.filter(assignee=agent, status__in=OPEN_STATUSES)


def absence_record(
    *, actor, agent, starts_on: date, ends_on: date, kind: str = Absence.Kind.HOLIDAY, note: str = "",
    now: datetime | None = None,
) -> Absence:
    """Record that `agent` is away from `starts_on` to `ends_on` (both included). If the absence
    has not ended yet and the agent has open tickets, the leads of the agent's teams (other than the
    agent) get a notification offering to reassign them."""
    _require(actor, agent)
    _check_dates(starts_on, ends_on)
    if kind not in Absence.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of absence.")})
    now = now or timezone.now()
    with transaction.atomic():
        absence = Absence.objects.create(
            agent=agent, starts_on=starts_on, ends_on=ends_on, kind=kind, note=note.strip(), created_by=actor
        )
        _tell_leads(absence, now=now)
    return absence


def absence_delete(*, actor, absence: Absence) -> None:
    _require(actor, absence.agent)
    absence.delete()


def _tell_leads(absence: Absence, *, now: datetime) -> int:
    if absence.ends_on < timezone.localdate(now):
        return 0
    count = open_tickets_of(absence.agent).count()
    if not count:
        return 0
    teams = Team.objects.filter(members=absence.agent, lead__isnull=False).select_related("lead")
    leads = {team.lead for team in teams}
    payload = {"absence": absence.pk, "agent": user_ref(absence.agent), "open": count,
               "starts_on": absence.starts_on.isoformat(), "ends_on": absence.ends_on.isoformat()}
    told = [lead for lead in leads if lead.pk != absence.agent_id and lead.is_active]
    for lead in told:
        notification_create(recipient=lead, kind=ABSENT_WITH_OPEN_TICKETS, now=now, payload=payload)
    stamp = f"{absence.starts_on:%Y%m%d}-{absence.ends_on:%Y%m%d}-{count}"
    outbox_mails_add(now=now, mails=[
        OutboxMail(key=f"agent-absent:{absence.pk}:{stamp}:{lead.pk}", recipient=lead,
                   kind=ABSENT_WITH_OPEN_TICKETS, payload=payload)
        for lead in told if lead.email
    ])
    return len(told)


@dataclass(frozen=True)
class Reassigned:
    moved: list  # [(ticket, new agent)]
    unassigned: list  # tickets nobody was available for: they go back to their team's queue


def tickets_reassign_from_absent(*, actor, absence: Absence, tickets, now: datetime | None = None) -> Reassigned:
    """Hand `tickets` of the absent agent on, each with the fair choice of its team (the absent agent
    excluded). A ticket nobody of its team can take loses its assignee and waits in its team's queue.
    Tickets that are no longer the agent's, closed or invisible to `actor` are left alone."""
    _require(actor, absence.agent)
    now = now or timezone.now()
    agent = absence.agent
    moved, unassigned = [], []
    for ticket in tickets:
        with transaction.atomic():
            locked = lock(ticket)
            if locked.assignee_id != agent.pk or locked.status not in OPEN_STATUSES:
                continue
            if not access.organisations_for(actor).filter(pk=locked.organisation_id).exists():
                continue
            team = locked.team
            choice = None
            if team is not None and team.is_active:
                choice = auto_assignment.pick(team=team, organisation_id=locked.organisation_id, now=now,
                                              exclude={agent.pk})
            old = {"assignee": user_ref(agent), "team": team_ref(team)}
            locked.assignee = choice.agent if choice else None
            locked.save(update_fields=["assignee", "updated_at"])
            payload = {"old": old, "new": {"assignee": user_ref(locked.assignee), "team": team_ref(team)}}
            if choice:
                payload["auto"] = choice.payload(auto_assignment.REASON_ABSENCE, absent_agent=agent)
                moved.append((locked, choice.agent))
            else:
                unassigned.append(locked)
            event_write(ticket=locked, code=EventCode.ASSIGNED, actor=actor, payload=payload, is_public=False)
    return Reassigned(moved=moved, unassigned=unassigned)
