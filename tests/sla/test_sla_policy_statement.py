"""The policy rule's one statement (`sla.selectors._policy_statement`, behind `policy_for` and
`policy_target_for`) against the rule written out as plain Python, over generated contracts.

The rule: the organisation's contract valid on the local date (valid_from <= date <= valid_until,
no end when valid_until is empty) decides; its override for the ticket's category wins over its
policy; the policy's target row for the severity gives the targets (none: no SLA)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from sla.choices import Category, Severity
from sla.selectors import policy_for, policy_target_for
from tests.factories import OrganisationFactory, ResellerFactory
from tests.sla.factories import (
    CalendarFactory,
    ContractFactory,
    ContractOverrideFactory,
    PolicyFactory,
    PolicyTargetFactory,
)

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")  # settings.TIME_ZONE: the local date of a report
BASE = date(2026, 3, 1)
REACTIONS = ["30m", "2h", "6h", "1d", "1.5d"]
RESOLUTIONS = ["", "", "3d", "10d", "40h"]


@dataclass
class GeneratedContract:
    policy: int
    valid_from: date
    valid_until: date | None
    overrides: dict[str, int] = field(default_factory=dict)


@dataclass
class Generated:
    """What was written, kept in plain Python: the expectations are computed from this, never
    read back through the database."""

    contracts: dict[int, list[GeneratedContract]] = field(default_factory=dict)  # organisation id → contracts
    targets: dict[int, dict[str, tuple[str, str]]] = field(default_factory=dict)  # policy id → severity → texts
    calendars: dict[int, int] = field(default_factory=dict)  # policy id → calendar id
    organisations: dict[int, object] = field(default_factory=dict)  # id → Organisation


def generate(seed: int) -> Generated:
    """Calendars, policies with targets for some severities (some for none), and organisations with
    zero to four contracts each: one-day contracts, adjacent ones, gaps, an open end, overrides for
    some categories (some to the contract's own policy)."""
    rng = random.Random(seed)
    out = Generated()
    calendars = CalendarFactory.create_batch(3)
    policies = []
    for number in range(7):
        policy = PolicyFactory(calendar=rng.choice(calendars))
        severities = [] if number == 0 else rng.sample(Severity.values, rng.randint(1, len(Severity.values)))
        out.targets[policy.pk] = {}
        for severity in severities:
            texts = (rng.choice(REACTIONS), rng.choice(RESOLUTIONS))
            PolicyTargetFactory(policy=policy, severity=severity, reaction_target=texts[0], resolution_target=texts[1])
            out.targets[policy.pk][severity] = texts
        out.calendars[policy.pk] = policy.calendar_id
        policies.append(policy.pk)
    reseller = ResellerFactory()
    organisations = [OrganisationFactory() for _ in range(6)]
    organisations.append(OrganisationFactory(support_partner=reseller))  # a reseller's end customer
    for organisation in organisations:
        out.organisations[organisation.pk] = organisation
        out.contracts[organisation.pk] = []
        day = BASE + timedelta(days=rng.randint(-3, 3))
        for number in range(rng.randint(0, 4)):
            length = rng.choice([0, 0, 1, 7, 30, 200])  # 0: valid for one day only
            open_end = number > 0 and rng.random() < 0.3
            until = None if open_end else day + timedelta(days=length)
            contract = ContractFactory(organisation=organisation, policy_id=rng.choice(policies),
                                       valid_from=day, valid_until=until)
            generated = GeneratedContract(contract.policy_id, day, until)
            for category in rng.sample(Category.values, rng.randint(0, 3)):
                override = ContractOverrideFactory(contract=contract, category=category, policy_id=rng.choice(policies))
                generated.overrides[category] = override.policy_id
            out.contracts[organisation.pk].append(generated)
            if until is None:
                break
            day = until + timedelta(days=rng.choice([1, 1, 2, 15]))  # the next day, or after a gap
    return out


def expected_policy(generated: Generated, organisation: int, day: date, category: str) -> int | None:
    """The rule, plainly: the contract valid on `day`, its override for `category` or its policy."""
    valid = [c for c in generated.contracts[organisation]
             if c.valid_from <= day and (c.valid_until is None or day <= c.valid_until)]
    if not valid:
        return None
    contract = max(valid, key=lambda c: c.valid_from)
    return contract.overrides.get(category, contract.policy)


def probe_days(generated: Generated, organisation: int) -> list[date]:
    """Every validity boundary of the organisation's contracts, the day before and the day after,
    and days long before and long after."""
    days = {BASE - timedelta(days=400), BASE + timedelta(days=4000)}
    for contract in generated.contracts[organisation]:
        for edge in (contract.valid_from, contract.valid_until):
            if edge is not None:
                days.update(edge + timedelta(days=shift) for shift in (-1, 0, 1))
    return sorted(days)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_statement_gives_the_policy_and_targets_of_the_rule(seed):
    generated = generate(seed)
    checked = {"contract": 0, "override": 0, "no target": 0, "no contract": 0}
    for organisation in generated.contracts:
        for day in probe_days(generated, organisation):
            for category in Category.values:
                policy = expected_policy(generated, organisation, day, category)
                for severity in Severity.values:
                    found = policy_target_for(organisation=generated.organisations[organisation], category=category,
                                              severity=severity, on=day)
                    targets = generated.targets[policy].get(severity) if policy is not None else None
                    if targets is None:
                        assert found is None, (organisation, day, category, severity)
                        checked["no contract" if policy is None else "no target"] += 1
                        continue
                    assert found is not None, (organisation, day, category, severity)
                    found_policy, reaction, resolution, next_reply = found
                    assert (found_policy.pk, reaction, resolution) == (policy, *targets)
                    assert next_reply == ""
                    assert found_policy.calendar.pk == generated.calendars[policy]
                    overridden = any(category in c.overrides for c in generated.contracts[organisation]
                                     if c.valid_from <= day and (c.valid_until is None or day <= c.valid_until))
                    checked["override" if overridden else "contract"] += 1
    assert all(checked.values()), checked  # the data reached every branch of the rule


@pytest.mark.parametrize("seed", [5, 6])
def test_policy_for_decides_by_the_local_date_of_the_instant(seed):
    generated = generate(seed)
    for organisation in generated.contracts:
        for day in probe_days(generated, organisation):
            for category in (Category.FAULT, Category.QUESTION):
                for at, local_day in [
                    (datetime.combine(day, time(0, 0), tzinfo=BERLIN), day),
                    (datetime.combine(day, time(23, 59, 59), tzinfo=BERLIN), day),
                    (datetime.combine(day, time(23, 30), tzinfo=UTC), day + timedelta(days=1)),  # 00:30/01:30 local
                ]:
                    policy = policy_for(organisation=generated.organisations[organisation], category=category, at=at)
                    expected = expected_policy(generated, organisation, local_day, category)
                    assert (policy.pk if policy else None) == expected, (organisation, at, category)
                    if policy is not None:
                        assert policy.calendar.pk == generated.calendars[expected]


def test_a_lookup_is_one_statement(django_assert_num_queries):
    contract = ContractFactory()
    PolicyTargetFactory(policy=contract.policy, severity="severe")
    with django_assert_num_queries(1):
        found = policy_target_for(organisation=contract.organisation, category="fault", severity="severe",
                                  on=contract.valid_from)
    with django_assert_num_queries(0):
        assert found[0].calendar.time_zone == "Europe/Berlin"
