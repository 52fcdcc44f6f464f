"""Team routing (`tickets.routing.team_for`, one written-out statement) against the rule written out
as plain Python, over generated organisations, resellers, teams and routes.

The rule: a route to an inactive team counts as none; the route for the category, else the default
route (empty category). An end customer of a reseller always goes to the reseller: that route if
its team is the reseller's, else the reseller's first active team by name (none: unrouted)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import pytest

from accounts.models import Team
from sla.choices import Category
from tests.factories import OrganisationFactory, ResellerFactory, TeamFactory, TeamRouteFactory, VendorFactory
from tickets.routing import team_for

pytestmark = pytest.mark.django_db
# Names whose first letters differ, so every collation orders them alike.
WORDS = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett"]


@dataclass
class Generated:
    """What was written, kept in plain Python (the expectations never read the database)."""

    organisations: dict[int, object] = field(default_factory=dict)  # customers by id
    partner: dict[int, int | None] = field(default_factory=dict)  # customer → its reseller
    routes: dict[int, dict[str, int]] = field(default_factory=dict)  # customer → category → team
    team_owner: dict[int, int] = field(default_factory=dict)
    team_active: dict[int, bool] = field(default_factory=dict)
    team_name: dict[int, str] = field(default_factory=dict)
    teams_of: dict[int, list[int]] = field(default_factory=dict)  # vendor or reseller → teams


def generate(seed: int) -> Generated:
    """A vendor and three resellers (one without any active team) with active and inactive teams,
    direct customers and resellers' end customers, each with no routes, a default route, category
    routes or both, to active or inactive teams of the vendor or of a reseller."""
    rng = random.Random(seed)
    out = Generated()

    def teams(owner, count: int, inactive: float) -> list[int]:
        created = []
        for number, word in enumerate(rng.sample(WORDS, count)):
            active = number == 0 if inactive is None else rng.random() >= inactive  # None: only the first
            team = TeamFactory(organisation=owner, name=f"{word} {len(out.team_owner)}", is_active=active)
            out.team_owner[team.pk], out.team_active[team.pk], out.team_name[team.pk] = (owner.pk, active, team.name)
            out.teams_of.setdefault(owner.pk, []).append(team.pk)
            created.append(team.pk)
        return created

    def route(customer, category: str, team: int) -> None:
        TeamRouteFactory(organisation=customer, category=category, team_id=team)
        out.routes[customer.pk][category] = team

    def add(customer):
        out.organisations[customer.pk] = customer
        out.partner[customer.pk] = customer.support_partner_id
        out.routes[customer.pk] = {}
        return customer

    vendor = VendorFactory()
    vendor_active, vendor_inactive = teams(vendor, 2, inactive=None)
    teams(vendor, 4, inactive=0.25)
    resellers = [ResellerFactory() for _ in range(3)]
    teams(resellers[0], 4, inactive=0.4)
    teams(resellers[1], 2, inactive=None)
    teams(resellers[2], 2, inactive=1.0)  # no active team at all
    every_team = list(out.team_owner)
    # Always there: a category route to an inactive team over a default route, and a reseller's
    # end customer routed to the vendor.
    direct = add(OrganisationFactory())
    route(direct, Category.FAULT, vendor_inactive)
    route(direct, "", vendor_active)
    end_customer = add(OrganisationFactory(support_partner=resellers[1]))
    route(end_customer, "", vendor_active)
    customers = [OrganisationFactory() for _ in range(5)]
    customers += [OrganisationFactory(support_partner=rng.choice(resellers)) for _ in range(6)]
    for customer in customers:
        add(customer)
        if rng.random() < 0.15:
            continue  # no routes
        candidates = every_team
        if customer.support_partner_id and rng.random() < 0.6:  # mostly its reseller's teams
            candidates = out.teams_of[customer.support_partner_id] + out.teams_of[vendor.pk][:1]
        categories = rng.sample(Category.values, rng.randint(0, 3))
        if rng.random() < 0.7:
            categories.append("")
        for category in categories:
            route(customer, category, rng.choice(candidates))
    return out


def expected_team(generated: Generated, customer: int, category: str) -> int | None:
    """The rule, plainly."""
    routes = {c: t for c, t in generated.routes[customer].items() if generated.team_active[t]}
    routed = routes.get(category) or routes.get("")
    partner = generated.partner[customer]
    if partner is None:
        return routed
    if routed is not None and generated.team_owner[routed] == partner:
        return routed
    active = sorted((generated.team_name[t], t) for t in generated.teams_of[partner] if generated.team_active[t])
    return active[0][1] if active else None


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_team_for_follows_the_rule(seed):
    generated = generate(seed)
    seen = dict.fromkeys(["category route", "default route", "reseller's first team", "unrouted",
                          "route to an inactive team", "reseller's customer routed elsewhere"], 0)
    for customer, organisation in generated.organisations.items():
        routes = generated.routes[customer]
        for category in Category.values:
            expected = expected_team(generated, customer, category)
            team = team_for(organisation=organisation, category=category)
            assert (team.pk if team else None) == expected, (customer, category, routes)
            if expected is None:
                seen["unrouted"] += 1
            elif expected == routes.get(category):
                seen["category route"] += 1
            elif expected == routes.get(""):
                seen["default route"] += 1
            else:
                seen["reseller's first team"] += 1
            if any(not generated.team_active[routes[c]] for c in (category, "") if c in routes):
                seen["route to an inactive team"] += 1
            if generated.partner[customer] and any(
                generated.team_owner[routes[c]] != generated.partner[customer] for c in (category, "") if c in routes
            ):
                seen["reseller's customer routed elsewhere"] += 1
    assert all(seen.values()), seen  # the data reached every branch of the rule


def test_the_team_is_a_complete_saved_instance_from_one_statement(django_assert_num_queries):
    route = TeamRouteFactory(category="fault")
    with django_assert_num_queries(1):
        team = team_for(organisation=route.organisation, category="fault")
    stored = Team.objects.get(pk=route.team_id)
    for field_ in Team._meta.concrete_fields:
        assert getattr(team, field_.attname) == getattr(stored, field_.attname), field_.name
    assert not team._state.adding
