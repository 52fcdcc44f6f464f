"""Writes to service-level policies, their targets, contracts and category overrides. Each records
its audit row (`sla.services.audit`; `actor`, `origin`) in the same transaction."""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from sla.models import Calendar, Contract, ContractOverride, Policy, PolicyTarget
from sla.targets import target_normalise

from ._fields import fields_update
from .audit import Action, sla_change_record, snapshot


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
    actor=None,
    origin: str = "",
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
    sla_change_record(instance=policy, action=Action.CREATED, actor=actor, origin=origin)
    for severity, (reaction, resolution) in (targets or {}).items():
        policy_target_set(policy=policy, severity=severity, reaction_target=reaction, resolution_target=resolution,
                          actor=actor, origin=origin)
    return policy


@transaction.atomic
def policy_update(*, policy: Policy, data: Mapping[str, object], actor=None, origin: str = "") -> Policy:
    old = snapshot(policy)
    if fields_update(
        instance=policy, data=data, service="policy_update",
        allowed={"name", "calendar", "warning_threshold_percent", "pause_statuses", "post_breach_after"},
    ):
        sla_change_record(instance=policy, action=Action.CHANGED, old=old, new=snapshot(policy), actor=actor,
                          origin=origin)
    return policy


@transaction.atomic
def policy_delete(*, policy: Policy, actor=None, origin: str = "") -> None:
    """Delete a policy with its targets (a contract or override still on it protects it)."""
    sla_change_record(instance=policy, action=Action.DELETED, actor=actor, origin=origin)
    policy.delete()


@transaction.atomic
def policy_target_set(
    *, policy: Policy, severity: str, reaction_target: str, resolution_target: str = "", next_reply_target: str = "",
    actor=None, origin: str = "",
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
    try:
        next_reply = target_normalise(next_reply_target) if (next_reply_target or "").strip() else ""
    except ValidationError as exc:
        errors["next_reply_target"] = exc.messages
    if errors:
        raise ValidationError(errors)
    row = PolicyTarget.objects.filter(policy=policy, severity=severity).first() or PolicyTarget(
        policy=policy, severity=severity
    )
    if row.pk and (row.reaction_target, row.resolution_target, row.next_reply_target) == (
        reaction, resolution, next_reply
    ):
        return row
    old = snapshot(row) if row.pk else None
    row.reaction_target, row.resolution_target, row.next_reply_target = reaction, resolution, next_reply
    row.full_clean()
    row.save()
    if old is None:
        sla_change_record(instance=row, action=Action.CREATED, actor=actor, origin=origin)
    else:
        sla_change_record(instance=row, action=Action.CHANGED, old=old, new=snapshot(row), actor=actor, origin=origin)
    return row


@transaction.atomic
def policy_target_remove(*, target: PolicyTarget, actor=None, origin: str = "") -> None:
    sla_change_record(instance=target, action=Action.DELETED, actor=actor, origin=origin)
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
    actor=None,
    origin: str = "",
) -> Contract:
    contract = Contract(
        organisation=organisation, policy=policy, valid_from=valid_from, valid_until=valid_until,
        daily_rate=daily_rate, hours_per_day=hours_per_day,
    )
    contract.full_clean()
    contract.save()
    sla_change_record(instance=contract, action=Action.CREATED, actor=actor, origin=origin)
    return contract


@transaction.atomic
def contract_update(*, contract: Contract, data: Mapping[str, object], actor=None, origin: str = "") -> Contract:
    old = snapshot(contract)
    if fields_update(
        instance=contract, data=data, service="contract_update",
        allowed={"policy", "valid_from", "valid_until", "daily_rate", "hours_per_day"},
    ):
        sla_change_record(instance=contract, action=Action.CHANGED, old=old, new=snapshot(contract), actor=actor,
                          origin=origin)
    return contract


@transaction.atomic
def contract_delete(*, contract: Contract, actor=None, origin: str = "") -> None:
    """Delete a contract with its category overrides."""
    for override in contract.overrides.select_related("policy"):
        sla_change_record(instance=override, action=Action.DELETED, actor=actor, origin=origin)
    sla_change_record(instance=contract, action=Action.DELETED, actor=actor, origin=origin)
    contract.delete()


@transaction.atomic
def contract_override_set(
    *, contract: Contract, category: str, policy: Policy | None, actor=None, origin: str = ""
) -> ContractOverride | None:
    """Route tickets of `category` under `contract` to `policy`; None removes the override."""
    row = contract.overrides.filter(category=category).first()
    if policy is None:
        if row is not None:
            sla_change_record(instance=row, action=Action.DELETED, actor=actor, origin=origin)
            row.delete()
        return None
    if row is not None and row.policy_id == policy.pk:
        return row
    old = snapshot(row) if row is not None else None
    row = row or ContractOverride(contract=contract, category=category)
    row.policy = policy
    row.full_clean()
    row.save()
    if old is None:
        sla_change_record(instance=row, action=Action.CREATED, actor=actor, origin=origin)
    else:
        sla_change_record(instance=row, action=Action.CHANGED, old=old, new=snapshot(row), actor=actor, origin=origin)
    return row
