"""Writes to service-level policies, their targets, contracts and category overrides."""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from sla.models import Calendar, Contract, ContractOverride, Policy, PolicyTarget
from sla.targets import target_normalise

from ._fields import fields_update


@transaction.atomic
def policy_create(
    *,
    name: str,
    slug: str,
    calendar: Calendar,
    targets: Mapping[str, tuple[str, str]] | None = None,
    warning_threshold_percent: int = 75,
    pause_statuses: Iterable[str] | None = None,
    post_breach_after: str = "",
) -> Policy:
    """A policy with its targets ({severity: (reaction, resolution or "")})."""
    policy = Policy(
        name=name, slug=slug, calendar=calendar, warning_threshold_percent=warning_threshold_percent,
        post_breach_after=target_normalise(post_breach_after) if (post_breach_after or "").strip() else "",
    )
    if pause_statuses is not None:
        policy.pause_statuses = list(pause_statuses)
    policy.full_clean()
    policy.save()
    for severity, (reaction, resolution) in (targets or {}).items():
        policy_target_set(policy=policy, severity=severity, reaction_target=reaction, resolution_target=resolution)
    return policy


@transaction.atomic
def policy_update(*, policy: Policy, data: Mapping[str, object]) -> Policy:
    fields_update(
        instance=policy, data=data, service="policy_update",
        allowed={"name", "calendar", "warning_threshold_percent", "pause_statuses", "post_breach_after"},
    )
    return policy


@transaction.atomic
def policy_target_set(
    *, policy: Policy, severity: str, reaction_target: str, resolution_target: str = ""
) -> PolicyTarget:
    """Create or change the targets of one severity, stored in the engine's canonical notation."""
    errors = {}
    try:
        reaction = target_normalise(reaction_target)
    except ValidationError as exc:
        errors["reaction_target"] = exc.messages
    try:
        resolution = target_normalise(resolution_target) if (resolution_target or "").strip() else ""
    except ValidationError as exc:
        errors["resolution_target"] = exc.messages
    if errors:
        raise ValidationError(errors)
    row = PolicyTarget.objects.filter(policy=policy, severity=severity).first() or PolicyTarget(
        policy=policy, severity=severity
    )
    if row.pk and (row.reaction_target, row.resolution_target) == (reaction, resolution):
        return row
    row.reaction_target, row.resolution_target = reaction, resolution
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def policy_target_remove(*, target: PolicyTarget) -> None:
    target.delete()


@transaction.atomic
def contract_create(
    *,
    organisation,
    policy: Policy,
    valid_from: date,
    valid_until: date | None = None,
    daily_rate: Decimal | None = None,
    hours_per_day: Decimal = Decimal("8"),
) -> Contract:
    contract = Contract(
        organisation=organisation, policy=policy, valid_from=valid_from, valid_until=valid_until,
        daily_rate=daily_rate, hours_per_day=hours_per_day,
    )
    contract.full_clean()
    contract.save()
    return contract


@transaction.atomic
def contract_update(*, contract: Contract, data: Mapping[str, object]) -> Contract:
    fields_update(
        instance=contract, data=data, service="contract_update",
        allowed={"policy", "valid_from", "valid_until", "daily_rate", "hours_per_day"},
    )
    return contract


@transaction.atomic
def contract_override_set(*, contract: Contract, category: str, policy: Policy | None) -> ContractOverride | None:
    """Route tickets of `category` under `contract` to `policy`; None removes the override."""
    row = contract.overrides.filter(category=category).first()
    if policy is None:
        if row is not None:
            row.delete()
        return None
    if row is not None and row.policy_id == policy.pk:
        return row
    row = row or ContractOverride(contract=contract, category=category)
    row.policy = policy
    row.full_clean()
    row.save()
    return row
