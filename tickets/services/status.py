"""Status, severity, workaround and fix release: every change checked against
`tickets.transitions.ALLOWED_TRANSITIONS`, one event per change, nothing written for a no-op."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import access
from sla.choices import CATEGORIES_WITH_SEVERITY, Severity, Status
from tickets import transitions
from tickets.errors import TransitionNotAllowed
from tickets.limits import COMMENT_MAX_LENGTH, text_length_errors
from tickets.models import EventCode, Ticket

from ._common import UNSET, event_write, lock, require_may_see
from .satisfaction import survey_ask
from .sla import sla_severity_changed, sla_status_changed

# Reason codes stored in a status change's payload (rendered by tickets.timeline).
REASON_CONFIRMED = "confirmed"
REASON_WITHDRAWN = "withdrawn"
REASON_REOPENED = "reopened"
REASON_CUSTOMER_REPLIED = "customer_replied"


def apply_status(*, ticket: Ticket, actor, new: str, reason: str = "", now=None) -> bool:
    """Move a locked ticket to `new` inside the caller's transaction. Returns False for a no-op.
    Checks the table, the role and the reopen window; sets the SLA timestamps."""
    old = ticket.status
    if new == old:
        return False
    if new not in Status.values or not transitions.is_allowed(old, new):
        raise TransitionNotAllowed(
            _("A ticket cannot go from “%(old)s” to “%(new)s”.")
            % {"old": Status(old).label, "new": Status(new).label if new in Status.values else new},
            code="transition",
        )
    if actor is not None and access.is_customer(actor):
        if not access.can_file_tickets(actor) or not transitions.is_allowed_for_customer(old, new):
            raise PermissionDenied(_("Your role does not allow this change."))
    elif actor is not None and not access.is_agent(actor):
        raise PermissionDenied(_("Your role does not allow this change."))
    now = now or timezone.now()
    reopening = old in transitions.REOPEN_FROM and new not in transitions.REOPEN_FROM
    if old == Status.CLOSED and reopening and ticket.merged_into_id:
        raise TransitionNotAllowed(
            _("This ticket was merged into %(reference)s. Please continue there.")
            % {"reference": ticket.merged_into.reference},
            code="merged",
        )
    if old == Status.CLOSED and reopening:
        days = settings.TICKET_REOPEN_DAYS
        if not transitions.reopen_window_open(ticket, now):
            raise TransitionNotAllowed(
                ngettext(
                    "This ticket was closed more than %(days)d day ago and cannot be reopened. "
                    "Please file a new ticket and mention %(reference)s.",
                    "This ticket was closed more than %(days)d days ago and cannot be reopened. "
                    "Please file a new ticket and mention %(reference)s.",
                    days,
                )
                % {"days": days, "reference": ticket.reference},
                code="reopen_window",
            )
    fields = ["status"]
    ticket.status = new
    if new == Status.RESOLVED:
        ticket.resolved_at = now
        fields.append("resolved_at")
    if new == Status.CLOSED:
        ticket.closed_at = now
        fields.append("closed_at")
    if reopening:
        ticket.resolved_at = None
        ticket.closed_at = None
        fields += ["resolved_at", "closed_at"]
    if new == Status.IN_PROGRESS and ticket.first_reaction_at is None and access.is_agent(actor):
        ticket.first_reaction_at = now
        fields.append("first_reaction_at")
    fields += sla_status_changed(ticket=ticket, old=old, now=now)
    ticket.save(update_fields=[*dict.fromkeys(fields), "updated_at"])
    payload = {"old": old, "new": new}
    if reason:
        payload["reason"] = reason
    event_write(ticket=ticket, code=EventCode.STATUS_CHANGED, actor=actor, payload=payload)
    if new == Status.RESOLVED:
        survey_ask(ticket=ticket, now=now)  # once per ticket: a later resolution asks nothing
    return True


def ticket_change_status(*, ticket: Ticket, actor, status: str, reason: str = "") -> Ticket:
    """Change the status (agents: any allowed change; customers: close and reopen only)."""
    require_may_see(actor, ticket)
    with transaction.atomic():
        locked = lock(ticket)
        apply_status(ticket=locked, actor=actor, new=status, reason=reason)
    return locked


def ticket_confirm_resolution(*, ticket: Ticket, actor) -> Ticket:
    """The customer confirms that the resolution works: resolved → closed."""
    require_may_see(actor, ticket)
    with transaction.atomic():
        locked = lock(ticket)
        if locked.status != Status.RESOLVED:
            raise TransitionNotAllowed(_("Only a resolved ticket can be confirmed."), code="not_resolved")
        apply_status(ticket=locked, actor=actor, new=Status.CLOSED, reason=REASON_CONFIRMED)
    return locked


def ticket_close(*, ticket: Ticket, actor) -> Ticket:
    """Close an open ticket without a resolution: the customer withdraws it (or an agent
    closes a duplicate). A resolved ticket is closed by confirming it."""
    require_may_see(actor, ticket)
    with transaction.atomic():
        locked = lock(ticket)
        reason = REASON_CONFIRMED if locked.status == Status.RESOLVED else REASON_WITHDRAWN
        apply_status(ticket=locked, actor=actor, new=Status.CLOSED, reason=reason)
    return locked


def ticket_reopen(*, ticket: Ticket, actor) -> Ticket:
    """Reopen a resolved ticket, or a closed one within TICKET_REOPEN_DAYS: back to in progress."""
    require_may_see(actor, ticket)
    with transaction.atomic():
        locked = lock(ticket)
        if locked.status not in transitions.REOPEN_FROM:
            raise TransitionNotAllowed(_("Only a resolved or closed ticket can be reopened."), code="not_reopenable")
        apply_status(ticket=locked, actor=actor, new=Status.IN_PROGRESS, reason=REASON_REOPENED)
    return locked


def _require_agent(actor) -> None:
    if actor is not None and not access.is_agent(actor):
        raise PermissionDenied(_("Your role does not allow this change."))


def ticket_change_severity(*, ticket: Ticket, actor, severity: str, reason: str = "") -> Ticket:
    """Agents re-classify a fault (severe ⇄ minor). Only faults and data loss have a severity.
    `reason` (why, in the agent's words) is kept in the history; the agent workspace requires it."""
    require_may_see(actor, ticket)
    _require_agent(actor)
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Please choose how severe the fault is.")})
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = lock(ticket)
        if locked.category not in CATEGORIES_WITH_SEVERITY:
            raise ValidationError({"severity": _("Only faults and data loss have a severity.")})
        if locked.severity == severity:
            return locked
        old, locked.severity = locked.severity, severity
        sla_fields, deadlines = sla_severity_changed(ticket=locked, now=timezone.now())
        locked.save(update_fields=["severity", *sla_fields, "updated_at"])
        payload = {"old": old, "new": severity}
        if reason:
            payload["reason"] = reason
        if deadlines:
            payload["deadlines"] = deadlines
        event_write(ticket=locked, code=EventCode.SEVERITY_CHANGED, actor=actor, payload=payload)
    return locked


def ticket_provide_workaround(*, ticket: Ticket, actor, workaround: str) -> Ticket:
    """Record the temporary workaround (shown to the customer) and move the ticket to
    "workaround provided" when it is not there yet."""
    require_may_see(actor, ticket)
    _require_agent(actor)
    workaround = workaround.strip()
    if not workaround:
        raise ValidationError({"workaround": _("Please describe the workaround.")})
    if too_long := text_length_errors({"workaround": (workaround, COMMENT_MAX_LENGTH)}):
        raise ValidationError(too_long)
    with transaction.atomic():
        locked = lock(ticket)
        if locked.workaround != workaround:
            old, locked.workaround = locked.workaround, workaround
            locked.save(update_fields=["workaround", "updated_at"])
            event_write(
                ticket=locked, code=EventCode.WORKAROUND_CHANGED, actor=actor, payload={"old": old, "new": workaround}
            )
        apply_status(ticket=locked, actor=actor, new=Status.WORKAROUND)
    return locked


def ticket_set_fix_release(*, ticket: Ticket, actor, release: str, product_release=UNSET) -> Ticket:
    """The release that carries the permanent fix (shown to the customer); empty clears it.
    `product_release`: the product's release it is (a `products.Release` or None), whose
    publication tells the requester; without a text, the text is that release's name."""
    require_may_see(actor, ticket)
    _require_agent(actor)
    release = release.strip()
    with transaction.atomic():
        locked = lock(ticket)
        release_id = locked.fixed_release_id
        if product_release is not UNSET:
            release_id = product_release.pk if product_release is not None else None
            if product_release is not None and not release:
                release = str(product_release)[:50]
        if locked.fixed_in_release == release and locked.fixed_release_id == release_id:
            return locked
        old, locked.fixed_in_release, locked.fixed_release_id = locked.fixed_in_release, release, release_id
        locked.save(update_fields=["fixed_in_release", "fixed_release", "updated_at"])
        event_write(
            ticket=locked, code=EventCode.FIX_RELEASE_CHANGED, actor=actor,
            payload={"old": old, "new": release, "release": release_id},
        )
    return locked
