"""What the filing form shows before a ticket exists: the reaction deadline it would get and
whether support is open now, from the organisation's contract (`sla.services`).

Keep the signatures: the portal calls exactly these."""

from __future__ import annotations

import logging
from datetime import datetime

from sla import engine
from sla.selectors import policy_for
from sla.services import computations

logger = logging.getLogger(__name__)


def reaction_deadline_preview(*, organisation, category: str, severity: str, reported_at: datetime) -> datetime | None:
    """The reaction deadline a ticket filed now would get, or None when it cannot be told (no
    contract, no target for the severity, or a date beyond the calendar's holiday years)."""
    try:
        return computations.reaction_deadline_preview(
            organisation=organisation, category=category, severity=severity, reported_at=reported_at
        )
    except engine.EngineError as problem:
        logger.warning("no reaction deadline preview for %s: %s", organisation, problem)
        return None


def support_status(*, organisation, category: str, now: datetime) -> tuple[bool, datetime | None] | None:
    """(support is open now, next opening if closed) on the calendar of the policy that governs
    this organisation's tickets of `category`, or None when unknown (no contract, engine error)."""
    policy = policy_for(organisation=organisation, category=category, at=now)
    if policy is None:
        return None
    try:
        return computations.support_status(calendar=policy.calendar, now=now)
    except engine.EngineError as problem:
        logger.warning("no support status for %s: %s", organisation, problem)
        return None
