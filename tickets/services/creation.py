"""Filing a ticket, from any channel."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Organisation, Role
from sla.choices import CATEGORIES_WITH_SEVERITY, Category, Severity
from sla.services.computations import whole_second
from tickets import routing
from tickets.choices import Channel
from tickets.models import EventCode, Ticket
from tickets.references import reference_allocate
from tickets.uploads import check_upload

from ._common import event_write, team_ref, user_ref
from .conversation import files_removed_on_error, store_attachment
from .sla import sla_ticket_prepare

# A phone call logged a little after the clock of the server: tolerated, a later time is not.
CLOCK_SKEW = timedelta(minutes=5)


def _validate(*, organisation, requester, actor, subject, description, category, severity, reported_at, now):
    errors: dict[str, str] = {}
    if organisation.kind != Organisation.Kind.CUSTOMER or not organisation.is_active:
        errors["organisation"] = _("Tickets are filed for an active customer organisation.")
    if requester is not None and (requester.organisation_id != organisation.pk or requester.role != Role.CONTACT):
        errors["requester"] = _("The requester must be a registered contact of the organisation.")
    if not subject.strip():
        errors["subject"] = _("Please give the ticket a subject.")
    if not description.strip():
        errors["description"] = _("Please describe what happened.")
    if category not in Category.values:
        errors["category"] = _("Please choose a category.")
    elif category in CATEGORIES_WITH_SEVERITY and severity not in Severity.values:
        errors["severity"] = _("Please choose how severe the fault is.")
    if reported_at > now + CLOCK_SKEW:
        errors["reported_at"] = _("The time of the report cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    if actor is None:
        return
    if access.is_customer(actor):
        if not access.can_file_tickets(actor) or actor.organisation_id != organisation.pk or requester != actor:
            raise PermissionDenied(_("You cannot file tickets for this organisation."))
    elif not (access.is_agent(actor) and access.organisations_for(actor).filter(pk=organisation.pk).exists()):
        raise PermissionDenied(_("You cannot file tickets for this organisation."))


def ticket_create(
    *,
    organisation: Organisation,
    requester,
    subject: str,
    description: str,
    category: str,
    severity: str = "",
    actor=None,
    affected_system: str = "",
    occurring_since: str = "",
    steps_to_reproduce: str = "",
    impact: str = "",
    callback_phone: str = "",
    remote_session_id: str = "",
    channel: str = Channel.PORTAL,
    reported_at: datetime | None = None,
    idempotency_key: str = "",
    out_of_hours_notice: str = "",
    files: Iterable = (),
) -> Ticket:
    """File a ticket and return it.

    `actor` is who files it: the requester in the portal, an agent logging a call, None for a
    device or an e-mail gateway. `idempotency_key` (from the form) makes a double submit return
    the first ticket. A non-empty `out_of_hours_notice` is the paid out-of-hours notice exactly
    as it was shown to the requester, who accepted it by filing; it is stored with time and person.
    `files` are attached to the ticket; each must pass `tickets.uploads.check_upload`.
    """
    now = timezone.now()
    reported_at = whole_second(reported_at or now)  # the SLA engine works to the second
    _validate(
        organisation=organisation,
        requester=requester,
        actor=actor,
        subject=subject,
        description=description,
        category=category,
        severity=severity,
        reported_at=reported_at,
        now=now,
    )
    existing = _already_filed(requester, idempotency_key)
    if existing is not None:
        return existing
    if category not in CATEGORIES_WITH_SEVERITY:
        severity = ""
    files = list(files)
    checked = [check_upload(f) for f in files]
    try:
        with files_removed_on_error(), transaction.atomic():
            return _create(
                organisation=organisation,
                requester=requester,
                actor=actor,
                fields={
                    "subject": subject.strip(),
                    "description": description.strip(),
                    "category": category,
                    "severity": severity,
                    "affected_system": affected_system.strip(),
                    "occurring_since": occurring_since.strip(),
                    "steps_to_reproduce": steps_to_reproduce.strip(),
                    "impact": impact.strip(),
                    "callback_phone": callback_phone.strip(),
                    "remote_session_id": remote_session_id.strip(),
                    "channel": channel,
                    "reported_at": reported_at,
                    "idempotency_key": idempotency_key if requester is not None else "",
                },
                out_of_hours_notice=out_of_hours_notice.strip(),
                files=list(zip(files, checked, strict=True)),
                now=now,
            )
    except IntegrityError:
        # Two submits of the same form raced past the check: the other one won, return its ticket.
        existing = _already_filed(requester, idempotency_key)
        if existing is None:
            raise
        return existing


def _already_filed(requester, idempotency_key: str) -> Ticket | None:
    if requester is None or not idempotency_key:
        return None
    return Ticket.objects.filter(requester=requester, idempotency_key=idempotency_key).first()


def _create(*, organisation, requester, actor, fields, out_of_hours_notice, files, now) -> Ticket:
    """One insert with everything the ticket needs (team, SLA deadlines, state). The reference is
    allocated last, so the year's counter row stays locked only for the inserts and the commit."""
    team = routing.team_for(organisation=organisation, category=fields["category"])
    ticket = Ticket(organisation=organisation, requester=requester, team=team, last_activity_at=now, **fields)
    if out_of_hours_notice:
        ticket.out_of_hours_notice = out_of_hours_notice
        ticket.out_of_hours_accepted_at = now
        ticket.out_of_hours_accepted_by = actor or requester
    sla_problem = sla_ticket_prepare(ticket=ticket, now=now)
    ticket.reference = reference_allocate(reported_at=fields["reported_at"])
    ticket.save(force_insert=True)
    event_write(
        ticket=ticket,
        code=EventCode.CREATED,
        actor=actor,
        payload={
            "channel": ticket.channel,
            "category": ticket.category,
            "severity": ticket.severity,
            "requester": user_ref(requester),
            "team": team_ref(team),
            "reported_at": ticket.reported_at,
        },
        filed=True,
    )
    if sla_problem:
        event_write(ticket=ticket, code=EventCode.SLA_UNAVAILABLE, actor=None, payload=sla_problem, is_public=False)
    if out_of_hours_notice:
        event_write(
            ticket=ticket,
            code=EventCode.OUT_OF_HOURS_ACCEPTED,
            actor=ticket.out_of_hours_accepted_by,
            payload={"accepted_at": now},
            filed=True,
        )
    for uploaded, check in files:
        store_attachment(ticket=ticket, actor=actor, uploaded=uploaded, check=check)
    return ticket
