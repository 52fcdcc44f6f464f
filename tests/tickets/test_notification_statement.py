"""Who of a team hears about its tickets (`tickets.notifications.team_members`, one written-out
statement) against the rule in plain Python, over generated teams, members and settings: the team's
active members, by id, each with their stored notification choices ({} without a row)."""

from __future__ import annotations

import random

import pytest

from notifications.models import NotificationSettings
from tests.factories import AgentFactory, TeamFactory
from tickets.notifications import team_members

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_team_members_match_the_rule(seed):
    rng = random.Random(seed)
    teams = [TeamFactory() for _ in range(4)]
    people = [AgentFactory(is_active=rng.random() > 0.25) for _ in range(12)]
    expected: dict[int, list[tuple[int, dict]]] = {team.pk: [] for team in teams}
    choices: dict[int, dict] = {}
    for person in people:
        if rng.random() < 0.5:
            stored = {"ticket_new_in_team": rng.choice(["mail", "off"])}
            NotificationSettings.objects.create(user=person, choices=stored)
            choices[person.pk] = stored
        else:
            choices[person.pk] = {}
    for team in teams:
        members = rng.sample(people, rng.randint(0, 6))
        team.members.set(members)
        expected[team.pk] = sorted((p.pk, choices[p.pk]) for p in members if p.is_active)
    for team in teams:
        found = [(person.pk, stored) for person, stored in team_members(team_id=team.pk)]
        assert found == expected[team.pk]
    assert team_members(team_id=None) == []
    rows = [row for team in teams for row in team_members(team_id=team.pk)]
    assert rows and all(person.email and person.role for person, _stored in rows)  # whole instances
