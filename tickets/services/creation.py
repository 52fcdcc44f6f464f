"""Filing a ticket, from any channel: the rules are `filing_rules`, the repeat of a filing is
recognised here (once, for every channel), the ticket is written in one short transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Organisation, User
from sla.choices import CATEGORIES_WITH_SEVERITY
from sla.services.computations import whole_second
from tickets import routing
from tickets.choices import Channel
from tickets.errors import IdempotencyConflict
from tickets.models import EventCode, Ticket, TicketEvent
from tickets.notifications import team_members
from tickets.references import reference_allocate
from tickets.uploads import check_upload

from . import auto_assignment
from ._common import event_write, team_ref, user_ref
from .conversation import files_removed_on_error, store_attachment
from .filing_rules import filing_check
from .sla import sla_ticket_prepare

# What a repeat through the API must repeat: the filing as the ticket stores it.
FILED_FIELDS = (
    "organisation_id", "requester_id", "channel", "category", "severity", "subject", "description",
    "affected_system", "occurring_since", "steps_to_reproduce", "impact", "callback_phone", "remote_session_id",
)


@dataclass(frozen=True)
class Filed:
    """What `ticket_create` did: `created` the ticket now, or found it filed earlier under the
    same key (a repeat: nothing was written)."""

    ticket: Ticket
    created: bool


def filing_key(*, actor, requester, idempotency_key: str) -> str:
    """The stored form of a filing's key, scoped to who filed it. Filed in one's own name (the
    portal, e-mail, a customer through the API): the key as sent, unique per requester. Filed for
    someone else or for nobody (agents, devices): a SHA-256 hex digest over the filer (a person, or
    the system) and the key, 64 characters whatever the key's length, unique as such."""
    if not idempotency_key:
        return ""
    if _in_own_name(actor, requester):
        return idempotency_key
    scope = "system" if actor is None else f"person:{actor.pk}"
    return hashlib.sha256(f"{scope}\n{idempotency_key}".encode()).hexdigest()


def _in_own_name(actor, requester) -> bool:
    return actor is not None and requester is not None and actor.pk == requester.pk


def ticket_create(
    *,
    actor=None,
    organisation: Organisation | int | None = None,
    requester: User | int | None = None,
    subject: str,
    description: str,
    category: str,
    severity: str = "",
    via: str | None = None,
    channel: str | None = None,
    reported_at: datetime | None = None,
    affected_system: str = "",
    occurring_since: str = "",
    steps_to_reproduce: str = "",
    impact: str = "",
    callback_phone: str = "",
    remote_session_id: str = "",
    idempotency_key: str = "",
    out_of_hours_notice: str = "",
    files: Iterable = (),
) -> Filed:
    """File a ticket, or recognise a repeat of a filing; see `Filed`.

    `actor` is who files: the requester in the portal or by e-mail, an agent logging a call, an
    API caller, None for a device. `via` is the entry point (a `Channel`: portal, api, email,
    phone, device; None for internal callers such as the demo data), whose rules
    `filing_rules.filing_check` applies: who may file for which organisation and requester (ids as
    an API payload names them, or instances), which `channel` the ticket gets (default: the entry
    point's) and who may set `reported_at` (default: now).

    `idempotency_key` is scoped to the actor: the same actor filing with the same key again gets
    the first ticket (`created=False`) and nothing is written. Through the API the repeat must be
    the same filing, else `IdempotencyConflict`; the forms' keys are one per form, whose double
    submit returns the first ticket whatever was changed in between.

    A non-empty `out_of_hours_notice` is the paid out-of-hours notice exactly as it was shown to
    the requester, who accepted it by filing; it is stored with time and person. `files` are
    attached to the ticket; each must pass `tickets.uploads.check_upload`.
    """
    now = timezone.now()
    reported_at = whole_second(reported_at) if reported_at is not None else None  # the engine works to the second
    checked = filing_check(
        actor=actor, via=via, organisation=organisation, requester=requester, channel=channel,
        reported_at=reported_at, subject=subject, description=description, category=category,
        severity=severity, now=now, steps_to_reproduce=steps_to_reproduce, impact=impact,
    )
    if category not in CATEGORIES_WITH_SEVERITY:
        severity = ""
    fields = {
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
        "channel": checked.channel,
        "reported_at": reported_at or whole_second(now),
        "idempotency_key": filing_key(actor=actor, requester=checked.requester, idempotency_key=idempotency_key),
    }
    strict = via == Channel.API
    # Filed in one's own name, the key is the requester's; else the stored key names the filer.
    owner = checked.requester if _in_own_name(actor, checked.requester) else None
    existing = _already_filed(owner, fields["idempotency_key"])
    if existing is not None:
        return _repeat(existing, checked=checked, fields=fields, reported_at_given=reported_at is not None,
                       strict=strict)
    files = list(files)
    uploads = [check_upload(f) for f in files]
    try:
        with files_removed_on_error(), transaction.atomic():
            ticket = _create(
                organisation=checked.organisation,
                requester=checked.requester,
                actor=actor,
                fields=fields,
                out_of_hours_notice=out_of_hours_notice.strip(),
                files=list(zip(files, uploads, strict=True)),
                now=now,
            )
    except IntegrityError:
        # The same filing raced past the check: the other one won, ours was rolled back.
        existing = _already_filed(owner, fields["idempotency_key"])
        if existing is None:
            raise
        return _repeat(existing, checked=checked, fields=fields, reported_at_given=reported_at is not None,
                       strict=strict)
    return Filed(ticket=ticket, created=True)


def _already_filed(owner, stored_key: str) -> Ticket | None:
    """The ticket filed with this stored key (`filing_key`) by `owner` (the requester of a filing
    in one's own name; None: the stored key names its filer), with what an answer shows of its
    relations."""
    if not stored_key:
        return None
    found = Ticket.objects.select_related("organisation", "requester", "assignee", "team")
    if owner is not None:
        found = found.filter(requester=owner)
    return found.filter(idempotency_key=stored_key).first()


def _repeat(ticket: Ticket, *, checked, fields: dict, reported_at_given: bool, strict: bool) -> Filed:
    if strict and _differs(ticket, checked=checked, fields=fields, reported_at_given=reported_at_given):
        raise IdempotencyConflict(ticket)
    return Filed(ticket=ticket, created=False)


def _differs(ticket: Ticket, *, checked, fields: dict, reported_at_given: bool) -> bool:
    """Whether this filing is another than the one that filed `ticket`. Only the severity can
    have changed since (an agent, a device): then the `created` event says what was filed."""
    wanted = {
        **fields,
        "organisation_id": checked.organisation.pk,
        "requester_id": getattr(checked.requester, "pk", None),
    }
    names = [*FILED_FIELDS, "reported_at"] if reported_at_given else FILED_FIELDS
    differing = {name for name in names if getattr(ticket, name) != wanted[name]}
    if differing == {"severity"}:
        created = TicketEvent.objects.filter(ticket=ticket, code=EventCode.CREATED).values_list("payload", flat=True)
        filed = next(iter(created), {}) or {}
        return filed.get("severity", ticket.severity) != wanted["severity"]
    return bool(differing)


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
    # A team that assigns automatically: its row stays locked until the commit (`auto_assignment`).
    chosen = (
        auto_assignment.pick(team=team, organisation_id=organisation.pk, now=now)
        if team is not None and team.auto_assign else None
    )
    if chosen is not None:
        ticket.assignee = chosen.agent
    # Who of the team hears of the new ticket: read now, before the year's counter row is locked.
    # An assigned ticket is the assignee's news only (the `assigned` event below).
    ticket.mail_team_members = [] if chosen else team_members(team_id=team.pk if team else None)
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
    if chosen is not None:
        event_write(
            ticket=ticket,
            code=EventCode.ASSIGNED,
            actor=None,
            payload={
                "old": {"assignee": None, "team": team_ref(team)},
                "new": {"assignee": user_ref(chosen.agent), "team": team_ref(team)},
                "auto": chosen.payload(auto_assignment.REASON_NEW),
            },
            is_public=False,
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
