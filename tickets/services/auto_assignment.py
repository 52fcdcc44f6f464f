"""Fair auto-assignment: a new ticket routed to a team with `Team.auto_assign` goes to the available
agent with the least open weighted load.

The rule, in order:
1. Candidates are the team's active members who work tickets (`access.is_agent`) and may see the
   ticket's organisation (`access.organisations_for`): never someone who cannot see the ticket.
2. Agents with an `Absence` covering the day (the site's time zone) are skipped. The project keeps
   no working hours per agent: absences are the only availability there is (docs/agent-desk.md).
3. The load of an agent is the sum of `SEVERITY_WEIGHTS` over the open tickets assigned to them
   (all teams): a severe ticket weighs `SEVERE_WEIGHT`, a minor one or one without severity
   `MINOR_WEIGHT`. The lowest load wins.
4. Among equal loads, the agent whose last automatic turn in this team lies furthest back (never:
   first), then the lowest id: round robin.

`pick` runs in the caller's transaction and locks the team's row first, so two tickets filed at the
same moment for the same team queue up and see each other's assignment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Absence, AssignmentTurn, Team
from sla.choices import OPEN_STATUSES, Severity
from tickets.models import Ticket

SEVERE_WEIGHT = 3
MINOR_WEIGHT = 1
SEVERITY_WEIGHTS = {Severity.SEVERE: SEVERE_WEIGHT, Severity.MINOR: MINOR_WEIGHT}

# Why an agent got a ticket (the history's payload `auto.reason`).
REASON_NEW = "new_ticket"
REASON_ABSENCE = "absence"


@dataclass(frozen=True)
class Choice:
    """The chosen agent, their load before this ticket, how many agents were available and how
    many of the team's agents were skipped as absent."""

    agent: object
    load: int
    available: int
    absent: int

    def payload(self, reason: str, *, absent_agent=None) -> dict:
        data = {"reason": reason, "load": self.load, "available": self.available, "absent": self.absent}
        if absent_agent is not None:
            data["instead_of"] = {"id": absent_agent.pk, "name": str(absent_agent)}
        return data


def absent_ids(agent_ids, *, day) -> set[int]:
    """Of `agent_ids`, those with an absence covering `day`."""
    return set(
        Absence.objects.filter(agent_id__in=list(agent_ids), starts_on__lte=day, ends_on__gte=day)
        .values_list("agent_id", flat=True)
    )


def loads_for(agent_ids) -> dict[int, int]:
    """{agent id: weighted open load} (0 for agents without open tickets)."""
    loads = dict.fromkeys(agent_ids, 0)
    rows = (
        Ticket.objects.filter(assignee_id__in=list(agent_ids), status__in=OPEN_STATUSES)
        .values("assignee_id", "severity").annotate(count=Count("pk")).order_by()
    )
    for row in rows:
        loads[row["assignee_id"]] += row["count"] * SEVERITY_WEIGHTS.get(row["severity"], MINOR_WEIGHT)
    return loads


def _candidates(team: Team, organisation_id: int, exclude: set[int]) -> list:
    members = team.members.filter(is_active=True).exclude(pk__in=exclude).select_related("organisation")
    return [
        member for member in members
        if access.is_agent(member) and access.organisations_for(member).filter(pk=organisation_id).exists()
    ]


def fair_choice(*, team: Team, organisation_id: int, now: datetime, exclude=()) -> Choice | None:
    """Who of `team` gets a ticket of `organisation_id` now (None: nobody is available). Reads only;
    `pick` is the locked version that records the turn."""
    candidates = _candidates(team, organisation_id, set(exclude))
    if not candidates:
        return None
    absent = absent_ids([c.pk for c in candidates], day=timezone.localdate(now))
    available = [c for c in candidates if c.pk not in absent]
    if not available:
        return None
    loads = loads_for([c.pk for c in available])
    turns = dict(
        AssignmentTurn.objects.filter(team=team, agent_id__in=[c.pk for c in available])
        .values_list("agent_id", "turn")
    )
    agent = min(available, key=lambda c: (loads[c.pk], turns.get(c.pk, 0), c.pk))
    return Choice(agent=agent, load=loads[agent.pk], available=len(available), absent=len(absent))


def pick(*, team: Team, organisation_id: int, now: datetime, exclude=()) -> Choice | None:
    """`fair_choice` under the team's row lock, recording the chosen agent's turn. Call inside the
    transaction that assigns the ticket, so the lock holds until the assignment is committed."""
    Team.objects.select_for_update().filter(pk=team.pk).first()
    choice = fair_choice(team=team, organisation_id=organisation_id, now=now, exclude=exclude)
    if choice is not None:
        last = AssignmentTurn.objects.filter(team=team).aggregate(last=Max("turn"))["last"] or 0
        AssignmentTurn.objects.update_or_create(team=team, agent=choice.agent, defaults={"turn": last + 1})
    return choice


def team_auto_assign_set(*, actor, team: Team, enabled: bool) -> Team:
    """Switch a team's auto-assignment: its lead and the managers of its organisation
    (`access.may_configure_team`)."""
    if not access.may_configure_team(actor, team):
        raise PermissionDenied(_("Only the team lead and managers may change this."))
    with transaction.atomic():
        locked = Team.objects.select_for_update().get(pk=team.pk)
        if locked.auto_assign != enabled:
            locked.auto_assign = enabled
            locked.save(update_fields=["auto_assign"])
    return locked
