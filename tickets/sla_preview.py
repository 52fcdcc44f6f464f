"""What the filing form shows before a ticket exists: the reaction deadline it would get and
whether support is open now. The SLA wiring step fills these two functions in; until then they
answer None and the form says that the deadline is shown once the ticket is filed.

Keep the signatures: the portal calls exactly these."""

from __future__ import annotations

from datetime import datetime


def reaction_deadline_preview(*, organisation, category: str, severity: str, reported_at: datetime) -> datetime | None:
    """The reaction deadline a ticket filed now would get, or None when it cannot be told yet."""
    return None


def support_status(*, organisation, category: str, now: datetime) -> tuple[bool, datetime | None] | None:
    """(support is open now, next opening if closed) for this organisation and category, or
    None when unknown."""
    return None
