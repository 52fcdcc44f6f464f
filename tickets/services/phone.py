"""Phone tickets: an agent logs a customer's call as a ticket. The time the call came in is the
ticket's `reported_at`, so the SLA deadlines count from the call, not from the typing."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tickets.choices import Channel

from .creation import Filed, ticket_create


def ticket_log_call(
    *,
    actor,
    requester,
    reported_at: datetime,
    subject: str,
    description: str,
    category: str,
    severity: str = "",
    affected_system: str = "",
    occurring_since: str = "",
    impact: str = "",
    callback_phone: str = "",
    remote_session_id: str = "",
    idempotency_key: str = "",
) -> Filed:
    """File a ticket for `requester` (the caller, a contact of a customer the agent supports)
    from a phone call that came in at `reported_at`. The phone form names both; the rules of
    phone tickets (agents only, not in the future, not before the contract started) are
    `ticket_create`'s."""
    if requester is None:
        raise ValidationError({"requester": _("Please choose the caller.")})
    if reported_at is None:
        raise ValidationError({"reported_at": _("Please enter when the call came in.")})
    return ticket_create(
        via=Channel.PHONE,
        actor=actor,
        organisation=requester.organisation,
        requester=requester,
        subject=subject,
        description=description,
        category=category,
        severity=severity,
        affected_system=affected_system,
        occurring_since=occurring_since,
        impact=impact,
        callback_phone=callback_phone,
        remote_session_id=remote_session_id,
        reported_at=reported_at,
        idempotency_key=idempotency_key,
    )
