"""Phone tickets: an agent logs a customer's call as a ticket. The time the call came in is the
ticket's `reported_at`, so the SLA deadlines count from the call, not from the typing."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import access
from tickets.choices import Channel
from tickets.models import Ticket

from .creation import CLOCK_SKEW, ticket_create


def _contract_started(*, organisation, reported_at: datetime) -> None:
    """A call before the organisation's first support contract started cannot be a ticket under
    it. Organisations without any contract are not checked (their tickets have no SLA)."""
    first = organisation.sla_contracts.order_by("valid_from").first()
    if first is None or timezone.localdate(reported_at) >= first.valid_from:
        return
    raise ValidationError(
        {
            "reported_at": _(
                "The support contract of %(organisation)s started on %(date)s; the call cannot be earlier."
            )
            % {"organisation": organisation, "date": date_format(first.valid_from, "SHORT_DATE_FORMAT")}
        }
    )


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
) -> Ticket:
    """File a ticket for `requester` (a contact of a customer the agent supports) from a phone
    call that came in at `reported_at`: not in the future, not before the contract started."""
    if not access.is_agent(actor):
        raise PermissionDenied(_("Only agents log phone calls."))
    if requester is None:
        raise ValidationError({"requester": _("Please choose the caller.")})
    if reported_at is None:
        raise ValidationError({"reported_at": _("Please enter when the call came in.")})
    if reported_at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"reported_at": _("The time of the call cannot be in the future.")})
    organisation = requester.organisation
    if organisation is None or not access.organisations_for(actor).filter(pk=organisation.pk).exists():
        raise ValidationError({"requester": _("You cannot file tickets for this organisation.")})
    _contract_started(organisation=organisation, reported_at=reported_at)
    return ticket_create(
        organisation=organisation,
        requester=requester,
        actor=actor,
        subject=subject,
        description=description,
        category=category,
        severity=severity,
        affected_system=affected_system,
        occurring_since=occurring_since,
        impact=impact,
        callback_phone=callback_phone,
        remote_session_id=remote_session_id,
        channel=Channel.PHONE,
        reported_at=reported_at,
        # the filing token is stored per requester; prefix it so it cannot clash with the caller's own
        idempotency_key=f"call:{idempotency_key}" if idempotency_key else "",
    )
