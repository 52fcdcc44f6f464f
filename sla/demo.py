"""Demo calendars, policies and contracts (SEMANTICS.md §1) for `manage.py seed_demo`. Idempotent."""

from datetime import date
from decimal import Decimal

from sla.choices import Category, Severity

from . import services
from .models import Calendar, Closure, Contract, Policy

WORKDAY = [(9 * 60, 17 * 60)]
BY = {"actor": None, "origin": services.command_origin("seed_demo")}  # the audit trail's "who"

CALENDARS = [
    {
        "slug": "de-nrw-standard",
        "name": "Support Deutschland",
        "time_zone": "Europe/Berlin",
        "holiday_country": "DE",
        "holiday_subdivision": "NW",
        "hours": {0: WORKDAY, 1: WORKDAY, 2: WORKDAY, 3: WORKDAY, 4: [(9 * 60, 16 * 60)]},
        "closures": [(date(2026, 12, 24), date(2027, 1, 1), "Betriebsferien", Closure.Kind.COMPANY_HOLIDAYS)],
    },
    {
        "slug": "us-east",
        "name": "Support North America",
        "time_zone": "America/New_York",
        "holiday_country": "US",
        "holiday_subdivision": "",
        "hours": dict.fromkeys(range(5), WORKDAY),
        "closures": [],
    },
    {
        "slug": "pos-extended",
        "name": "Kassen-Hotline",
        "time_zone": "Europe/Berlin",
        "is_public": False,  # the extended desk of one contract: its customers see it, the public does not
        "holiday_country": "DE",
        "holiday_subdivision": "NW",
        "hours": {day: [(9 * 60, 20 * 60)] for day in range(6)},
        "closures": [],
    },
]

REACTION = {Severity.SEVERE: "6h", Severity.MINOR: "1.5d"}
POLICIES = [
    # slug, name, calendar slug, {severity: (reaction, resolution)}
    ("standard-de", "Standard DE", "de-nrw-standard", {s: (r, "") for s, r in REACTION.items()}),
    ("us-desk", "US desk", "us-east", {s: (r, "") for s, r in REACTION.items()}),
    ("pos", "POS", "pos-extended", {Severity.SEVERE: ("6h", "3d"), Severity.MINOR: ("1.5d", "10d")}),
]

CONTRACTS = [
    # organisation key, policy slug, {category: policy slug}
    ("mueller", "standard-de", {}),
    ("acme", "us-desk", {}),
    ("retail", "standard-de", {Category.FAULT: "pos"}),
    ("baeckerei", "standard-de", {}),
]
CONTRACT_START = date(2024, 1, 1)
DAILY_RATE, HOURS_PER_DAY = Decimal("960.00"), Decimal("8")


def _calendar(spec: dict) -> Calendar:
    fields = {k: v for k, v in spec.items() if k not in {"slug", "hours", "closures"}}
    calendar = Calendar.objects.filter(slug=spec["slug"]).first()
    if calendar is None:
        calendar = services.calendar_create(slug=spec["slug"], hours=spec["hours"], **fields, **BY)
    else:
        services.calendar_update(calendar=calendar, data=fields, **BY)
        services.calendar_set_hours(calendar=calendar, hours=spec["hours"], **BY)
        services.calendar_holidays_sync(calendar=calendar, **BY)
    for start, end, reason, kind in spec["closures"]:
        if not calendar.closures.filter(start_date=start, end_date=end).exists():
            services.closure_add(calendar=calendar, start_date=start, end_date=end, reason=reason, kind=kind, **BY)
    return calendar


def seed(context: dict[str, object]) -> dict[str, object]:
    calendars = {spec["slug"]: _calendar(spec) for spec in CALENDARS}
    policies: dict[str, Policy] = {}
    for slug, name, calendar_slug, targets in POLICIES:
        policy = Policy.objects.filter(slug=slug).first()
        if policy is None:
            policy = services.policy_create(name=name, slug=slug, calendar=calendars[calendar_slug], targets=targets,
                                            **BY)
        else:
            services.policy_update(policy=policy, data={"name": name, "calendar": calendars[calendar_slug]}, **BY)
            for severity, (reaction, resolution) in targets.items():
                services.policy_target_set(
                    policy=policy, severity=severity, reaction_target=reaction, resolution_target=resolution, **BY)
        policies[slug] = policy
    organisations = context["organisations"]
    contracts: dict[str, Contract] = {}
    for key, policy_slug, overrides in CONTRACTS:
        organisation = organisations[key]
        contract = Contract.objects.filter(organisation=organisation, valid_from=CONTRACT_START).first()
        data = {"policy": policies[policy_slug], "daily_rate": DAILY_RATE, "hours_per_day": HOURS_PER_DAY}
        if contract is None:
            contract = services.contract_create(organisation=organisation, valid_from=CONTRACT_START, **data, **BY)
        else:
            services.contract_update(contract=contract, data=data, **BY)
        for category, override_slug in overrides.items():
            services.contract_override_set(contract=contract, category=category, policy=policies[override_slug],
                                           **BY)
        contracts[key] = contract
    return {"calendars": calendars, "policies": policies, "contracts": contracts}
