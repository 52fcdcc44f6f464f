"""Who the load's tickets belong to: customer organisations (most in Germany, some in the US, a few
supported by resellers), their contacts, contracts and team routes, and the agents who work them.
Existing rows of the same seed are reused, so a second run adds tickets to the same organisations.

Bulk-created, bypassing the services like the tickets themselves."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError

from accounts.models import Organisation, Role, Team, User
from bench.loadgen.plan import YEARS_BACK, OrgInfo, PolicyInfo
from bench.loadgen.vocabulary import FIRST_DE, FIRST_US, KINDS_DE, KINDS_US, LAST_DE, LAST_US, NAMES_DE, NAMES_US
from sla.calendars import business_calendar_for
from sla.models import Contract, ContractOverride, Policy
from tickets.models import TeamRoute


def organisations(rng, people, seed, tickets, wanted, now) -> list[OrgInfo]:
    """The customer organisations of seed `seed` (`wanted`, or one per 500 tickets, 4 to 5000), with
    everything the generator needs to know about them. `rng` draws the organisations, `people` the
    agents' and contacts' names."""
    total = wanted or max(4, min(5000, tickets // 500))
    password = make_password("demo")
    prefix = f"L{seed:03d}"
    vendor = Organisation.objects.filter(kind=Organisation.Kind.VENDOR).order_by("pk").first()
    partner = Organisation.objects.filter(customer_number="40001", kind=Organisation.Kind.RESELLER).first()
    reseller, _created = Organisation.objects.get_or_create(
        customer_number=f"{prefix}R",
        defaults={"name": f"Load Partner {seed} GmbH", "kind": Organisation.Kind.RESELLER, "country": "DE",
                  "language": "de"},
    )
    infos = policies()
    teams = _teams(people, seed, vendor, reseller, partner, password)
    existing = {o.customer_number: o for o in Organisation.objects.filter(customer_number__startswith=prefix + "C")}
    specs, new_orgs = [], []
    for index in range(total):
        us = rng.random() < 0.2
        name = (f"{rng.choice(NAMES_US)} {rng.choice(KINDS_US)}" if us
                else f"{rng.choice(NAMES_DE)} {rng.choice(KINDS_DE)}")
        draw = rng.random()
        supporter = partner if (draw < 0.04 and partner) else (reseller if draw < 0.08 else None)
        number = f"{prefix}C{index:05d}"
        specs.append((number, us, supporter, rng.randint(1, 20) if rng.random() < 0.1 else 1, rng.random() < 0.1))
        if number not in existing:
            new_orgs.append(Organisation(
                name=f"{name} {seed}-{index}", customer_number=number, kind=Organisation.Kind.CUSTOMER,
                country="US" if us else "DE", language="en" if us else "de", support_partner=supporter,
            ))
    Organisation.objects.bulk_create(new_orgs, batch_size=1000)
    orgs = {o.customer_number: o for o in Organisation.objects.filter(customer_number__startswith=prefix + "C")}
    contacts = _contacts(people, seed, orgs, password)
    _contracts(orgs, specs, infos, now)
    result, routes = [], []
    for number, us, supporter, weight, pos in specs:
        org = orgs[number]
        if supporter is not None:
            team = teams["partner" if supporter == partner else "reseller"]
        else:
            team = rng.choice(teams["us"] if us else teams["de"])
        routes.append(TeamRoute(organisation=org, category="", team=team["team"]))
        policy = infos["us-desk" if us else "standard-de"]
        result.append(OrgInfo(
            id=org.pk, name=org.name, language=org.language, contacts=contacts.get(org.pk, []),
            team_id=team["team"].pk, agents=team["agents"], policy=policy,
            pos_policy=infos.get("pos") if pos and not us else None, weight=weight,
        ))
    TeamRoute.objects.bulk_create(routes, ignore_conflicts=True, batch_size=1000)
    return result


def policies() -> dict[str, PolicyInfo]:
    """Every SLA policy by slug, with its business calendar; the demo's two must exist."""
    infos = {}
    for policy in Policy.objects.select_related("calendar").prefetch_related("targets"):
        infos[policy.slug] = PolicyInfo(
            id=policy.pk, calendar_id=policy.calendar_id,
            business=business_calendar_for(calendar=policy.calendar),
            targets={t.severity: (t.reaction_target, t.resolution_target) for t in policy.targets.all()},
            threshold=policy.warning_threshold_percent, post_breach_after=policy.post_breach_after or "",
            pause_statuses=frozenset(policy.pause_statuses or ()),
        )
    if "standard-de" not in infos or "us-desk" not in infos:
        raise CommandError("The demo policies standard-de and us-desk are missing: run seed_demo.")
    return infos


def _agents(rng, usernames, organisation, password) -> list[User]:
    existing = {u.username: u for u in User.objects.filter(username__in=usernames)}
    new = []
    for username in usernames:
        if username not in existing:
            new.append(User(username=username, first_name=rng.choice(FIRST_DE), last_name=rng.choice(LAST_DE),
                            email=f"{username}@load.example", organisation=organisation, role=Role.AGENT,
                            language="de", password=password))
    User.objects.bulk_create(new)
    return list(User.objects.filter(username__in=usernames).order_by("username"))


def _teams(rng, seed, vendor, reseller, partner, password) -> dict:
    """Vendor teams (the demo's plus four load teams), the load reseller's team and, when the
    demo reseller exists, its team: each with agents."""
    groups = {"de": [], "us": []}
    specs = [("de", f"Anwendungsbetreuung {seed}"), ("de", f"Datenbanken {seed}"), ("de", f"Kasse & Waage {seed}"),
             ("us", f"North America {seed}")]
    for index, (region, name) in enumerate(specs):
        team, _created = Team.objects.get_or_create(slug=f"load-{seed}-{index}",
                                                    defaults={"name": name, "organisation": vendor})
        agents = _agents(rng, [f"l{seed}-agent{index}-{n}" for n in range(6)], vendor, password)
        team.members.add(*agents)
        groups[region].append({"team": team, "agents": [a.pk for a in agents]})
    for region, slug in (("de", "de-1st-level"), ("us", "us-desk")):
        demo_team = Team.objects.filter(slug=slug).first()
        if demo_team is not None:
            members = list(demo_team.members.order_by("pk").values_list("pk", flat=True))
            groups[region].append({"team": demo_team, "agents": members})
    team, _created = Team.objects.get_or_create(
        slug=f"load-{seed}-reseller", defaults={"name": f"Load Partner {seed} Support", "organisation": reseller}
    )
    agents = _agents(rng, [f"l{seed}-partner-agent{n}" for n in range(2)], reseller, password)
    team.members.add(*agents)
    groups["reseller"] = {"team": team, "agents": [a.pk for a in agents]}
    partner_team = Team.objects.filter(organisation=partner).first() if partner else None
    if partner_team is not None:
        groups["partner"] = {"team": partner_team,
                             "agents": list(partner_team.members.order_by("pk").values_list("pk", flat=True))}
    return groups


def _contacts(rng, seed, orgs, password) -> dict[int, list[int]]:
    existing = set(User.objects.filter(username__startswith=f"l{seed}-c").values_list("username", flat=True))
    new = []
    for org in orgs.values():
        us = org.country == "US"
        for n in range(2):
            username = f"l{seed}-c{org.customer_number}-{n}"
            if username in existing:
                continue
            new.append(User(
                username=username, first_name=rng.choice(FIRST_US if us else FIRST_DE),
                last_name=rng.choice(LAST_US if us else LAST_DE), email=f"{username}@load.example",
                organisation=org, role=Role.CONTACT, language=org.language, password=password,
            ))
    User.objects.bulk_create(new, batch_size=1000)
    contacts: dict[int, list[int]] = {}
    rows = User.objects.filter(username__startswith=f"l{seed}-c").order_by("username")
    for pk, org_id in rows.values_list("pk", "organisation_id"):
        contacts.setdefault(org_id, []).append(pk)
    return contacts


def _contracts(orgs, specs, infos, now) -> None:
    have = set(Contract.objects.filter(organisation__in=orgs.values()).values_list("organisation_id", flat=True))
    start = (now - timedelta(days=365 * (YEARS_BACK + 1))).date()
    contracts = [
        Contract(organisation=orgs[number], policy_id=infos["us-desk" if us else "standard-de"].id,
                 valid_from=start, daily_rate=960, hours_per_day=8)
        for number, us, _supporter, _weight, _pos in specs if orgs[number].pk not in have
    ]
    Contract.objects.bulk_create(contracts, batch_size=1000)
    if "pos" in infos:
        pos_orgs = [orgs[number].pk for number, us, _s, _w, pos in specs if pos and not us]
        overrides = [ContractOverride(contract=c, category="fault", policy_id=infos["pos"].id)
                     for c in Contract.objects.filter(organisation_id__in=pos_orgs, overrides__isnull=True)]
        ContractOverride.objects.bulk_create(overrides, batch_size=1000, ignore_conflicts=True)
