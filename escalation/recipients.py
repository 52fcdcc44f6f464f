"""Who hears about an escalation. Only active agents who may see the ticket, each person once
per level:
- warning: the assignee; when nobody is assigned, the members of the ticket's team; with
  neither, the managers;
- breach: the team lead and the managers;
- post-breach: the managers.
"The managers" are the people with the manager role who may see the ticket; administrators
(who have manager rights for the screens) are not told about every escalation.

One `Audience` serves a whole scan: the managers, the teams, the people and what each person
may see are read once, and the answer per (level, assignee, team, organisation) is kept."""

from __future__ import annotations

from collections import defaultdict

from accounts import access
from accounts.models import Organisation, Team, User

from .models import EscalationLevel


class Audience:
    def __init__(self) -> None:
        self._managers: list[User] | None = None
        self._users: dict[int, User] = {}
        self._teams: dict[int, tuple[int | None, list[int]]] = {}
        self._visible: dict[int, set[int]] = {}
        self._answers: dict[tuple, list[User]] = {}

    def load_for(self, tickets) -> None:
        """Read the teams and people these tickets need that are not known yet."""
        team_ids = {t.team_id for t in tickets if t.team_id} - set(self._teams)
        if team_ids:
            members: dict[int, list[int]] = defaultdict(list)
            through = Team.members.through.objects.filter(team_id__in=team_ids)
            for team_id, user_id in through.values_list("team_id", "user_id"):
                members[team_id].append(user_id)
            for team_id, lead_id in Team.objects.filter(pk__in=team_ids).values_list("pk", "lead_id"):
                self._teams[team_id] = (lead_id, members[team_id])
        wanted = {t.assignee_id for t in tickets if t.assignee_id}
        for team_id in {t.team_id for t in tickets if t.team_id}:
            lead_id, member_ids = self._teams.get(team_id, (None, []))
            wanted.update(member_ids)
            wanted.add(lead_id)
        wanted -= {None, *self._users}
        if wanted:
            self._users.update((user.pk, user) for user in User.objects.filter(pk__in=wanted))

    def managers(self) -> list[User]:
        """People with manager rights who run the desk: administrators have those rights too, but
        are not told about every escalation."""
        if self._managers is None:
            staff = User.objects.filter(is_active=True).exclude(organisation__kind=Organisation.Kind.CUSTOMER)
            self._managers = [user for user in staff if access.is_manager(user) and not access.is_admin(user)]
        return self._managers

    def _may_see(self, user, organisation_id: int) -> bool:
        if user.pk not in self._visible:
            self._visible[user.pk] = set(access.organisations_for(user).values_list("pk", flat=True))
        return organisation_id in self._visible[user.pk]

    def _reachable(self, people, organisation_id: int) -> list[User]:
        chosen: dict[int, User] = {}
        for person in people:
            if person is not None and access.is_agent(person) and self._may_see(person, organisation_id):
                chosen.setdefault(person.pk, person)
        return list(chosen.values())

    def recipients(self, *, ticket, level: str) -> list[User]:
        """Call `load_for` with the ticket first."""
        assignee_id = ticket.assignee_id if level == EscalationLevel.WARNING else None
        key = (level, assignee_id, ticket.team_id, ticket.organisation_id)
        if key not in self._answers:
            self._answers[key] = self._choose(level, assignee_id, ticket.team_id, ticket.organisation_id)
        return self._answers[key]

    def _choose(self, level: str, assignee_id, team_id, organisation_id: int) -> list[User]:
        lead_id, member_ids = self._teams.get(team_id, (None, [])) if team_id else (None, [])
        if level == EscalationLevel.WARNING:
            if assignee_id:
                people = self._reachable([self._users.get(assignee_id)], organisation_id)
            else:
                people = self._reachable([self._users.get(pk) for pk in member_ids], organisation_id)
            return people or self._reachable(self.managers(), organisation_id)
        if level == EscalationLevel.BREACH:
            return self._reachable([self._users.get(lead_id), *self.managers()], organisation_id)
        return self._reachable(self.managers(), organisation_id)
