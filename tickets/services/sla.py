"""SLA bookkeeping on tickets: the snapshot a ticket takes of its policy, and the ticket events the
target clock follows. The rules themselves are `sla.engine.clock` (docs/sla-semantics.md, "Target
states"); this module adds what needs the database: the policy and its calendar, the ticket's
statuses, and what to save.

- Snapshot. At creation (and at a severity change) the ticket's policy, its calendar, the reaction
  and resolution target texts, the warning threshold and the post-breach delay are copied onto the
  ticket; a later change of the policy does not rewrite them. No contract, no target for the
  severity, or no severity → no SLA (state "none").
- An engine error (e.g. a date beyond the calendar's holiday years) leaves the ticket without
  deadlines at filing (the caller records why) and leaves the targets as they were later on.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sla import engine
from sla.calendars import business_calendar_for
from sla.choices import OPEN_STATUSES
from sla.engine import clock
from sla.services.computations import ticket_targets_for
from tickets.models import NextReplyCycle

logger = logging.getLogger(__name__)

REACTION, RESOLUTION, NEXT_REPLY, KINDS = clock.REACTION, clock.RESOLUTION, clock.NEXT_REPLY, clock.KINDS

# The fields this bookkeeping writes (for update_fields and bulk_update). `escalations_fired`
# is not among them: only the escalation scan writes it.
SLA_FIELDS = ("sla_policy", "sla_calendar", *clock.FIELDS)


def _business(ticket):
    return business_calendar_for(calendar=ticket.sla_calendar)


def _business_or_none(ticket):
    if ticket.sla_calendar_id is None:
        return None
    try:
        return _business(ticket)
    except engine.EngineError as problem:
        logger.warning("no business calendar for ticket %s: %s", ticket.reference, problem)
        return None


def _is_open(ticket) -> bool:
    return ticket.status in OPEN_STATUSES


def _pause_statuses(ticket) -> frozenset[str]:
    policy = ticket.sla_policy
    return frozenset(policy.pause_statuses or ()) if policy is not None else frozenset()


def sla_state_compute(*, ticket, now: datetime, business=None) -> list[str]:
    """Set `sla_state` and `next_escalation_at` on the ticket in memory (no save); the names of the
    fields that changed. The calendar is needed only for a post-breach level."""
    if business is None and ticket.post_breach_after:
        business = _business_or_none(ticket)
    return clock.refresh(ticket, business, now, ticket_open=_is_open(ticket))


def _snapshot(ticket, targets) -> None:
    """Copy the policy's promise onto the ticket (targets None: no SLA)."""
    if targets is None:
        ticket.sla_policy = ticket.sla_calendar = None
        ticket.warning_threshold_percent = None
        ticket.post_breach_after = ""
        return
    policy = targets.policy
    ticket.sla_policy, ticket.sla_calendar = policy, policy.calendar
    ticket.warning_threshold_percent = policy.warning_threshold_percent
    ticket.post_breach_after = policy.post_breach_after or ""


def _next_reply_text(targets) -> str:
    return str(targets.next_reply_target) if targets is not None and targets.next_reply_target else ""


def _targets_for(ticket):
    return ticket_targets_for(
        organisation=ticket.organisation, category=ticket.category, severity=ticket.severity,
        at=ticket.reported_at,
    )


def _start_target(ticket, kind: str, text: str, business, now: datetime) -> None:
    clock.start_target(
        ticket, kind, text, business, now, ticket_open=_is_open(ticket),
        stop=ticket.resolved_at or ticket.closed_at, paused_status=ticket.status in _pause_statuses(ticket),
    )


def sla_ticket_prepare(*, ticket, now: datetime) -> dict | None:
    """Give a new ticket (not saved yet) its SLA snapshot, deadlines and state, in memory, so that
    one insert stores them.

    Returns None when done, or an event payload ({"reason": "out_of_range", "year", "calendar"} or
    {"reason": "engine_error"}) when no deadline could be computed: the ticket is then kept without
    deadlines (state "none"); the caller records that in the history."""
    targets = _targets_for(ticket)
    _snapshot(ticket, targets)
    clock.clear(ticket)
    error, business = None, None
    if targets is not None:
        try:
            business = _business(ticket)
            _start_target(ticket, REACTION, str(targets.reaction_target), business, now)
            if targets.resolution_target is not None:
                _start_target(ticket, RESOLUTION, str(targets.resolution_target), business, now)
            ticket.next_reply_target = _next_reply_text(targets)  # its cycles start with customer messages
        except engine.EngineError as problem:
            logger.warning("no SLA deadlines for a ticket of %s reported at %s: %s",
                           ticket.organisation, ticket.reported_at, problem)
            clock.clear(ticket)
            error = {"reason": "engine_error", "calendar": ticket.sla_calendar.slug}
            if isinstance(problem, engine.OutOfRangeError):
                error |= {"reason": "out_of_range", "year": problem.year}
    sla_state_compute(ticket=ticket, now=now, business=business)
    return error


def sla_reaction_record(*, ticket, now: datetime) -> list[str]:
    """The ticket's first reaction has just been set (`first_reaction_at`): store the business
    time it took and whether it met the target. Returns the changed fields (caller saves)."""
    if ticket.reaction_state != clock.OPEN or ticket.first_reaction_at is None:
        return []
    try:
        clock.reaction_settle(ticket, _business(ticket))
    except engine.EngineError as problem:
        logger.warning("reaction time of ticket %s not measured: %s", ticket.reference, problem)
        clock.decide(ticket, REACTION, ticket.first_reaction_at)
    sla_state_compute(ticket=ticket, now=now)
    return ["reaction_state", "reaction_business_seconds", "sla_state", "next_escalation_at"]


def sla_status_changed(*, ticket, old: str, now: datetime) -> list[str]:
    """Follow a status change (already set on the ticket, not yet saved): reaction by an agent
    moving it to in progress, pause and resume of the resolution clock, resolution met or breached,
    reopen. Returns the fields to save."""
    if not (ticket.reaction_state or ticket.resolution_state):
        return []
    try:
        clock.status_changed(
            ticket, _business(ticket), now, was_open=old in OPEN_STATUSES, is_open=_is_open(ticket),
            pausing=ticket.status in _pause_statuses(ticket),
        )
    except engine.EngineError as problem:
        logger.warning("SLA of ticket %s not updated: %s", ticket.reference, problem)
    sla_state_compute(ticket=ticket, now=now)
    next_reply_cycles_save([ticket], settled_at=now)
    return [
        "reaction_state", "reaction_business_seconds", "resolution_state", "resolution_due_at",
        "resolution_warning_at", "resolution_paused_seconds", "resolution_paused_since", "sla_state",
        "next_escalation_at", *clock.NEXT_REPLY_FIELDS,
    ]


# --- the next-reply target (docs/sla-semantics.md §8) ------------------------------------------

def sla_customer_message(*, ticket, now: datetime) -> list[str]:
    """A public customer message at `now` (the ticket locked; its status already follows the
    message): start a next-reply cycle unless one runs, there is no next-reply target or nobody has
    reacted yet (the reaction target covers that time). Writes the cycle's row; returns the ticket
    fields to save (none when nothing started)."""
    if not ticket.next_reply_target or ticket.first_reaction_at is None or ticket.status not in OPEN_STATUSES:
        return []
    try:
        started = clock.next_reply_start(ticket, _business(ticket), now,
                                         paused_status=ticket.status in _pause_statuses(ticket))
    except engine.EngineError as problem:
        logger.warning("next-reply target of ticket %s not started: %s", ticket.reference, problem)
        return []
    if not started:
        return []
    sla_state_compute(ticket=ticket, now=now)
    next_reply_cycles_save([ticket])
    return ["next_reply_cycle", *clock.NEXT_REPLY_FIELDS, "sla_state", "next_escalation_at", "escalations_fired"]


def sla_agent_reply(*, ticket, author, now: datetime) -> list[str]:
    """A public agent reply at `now` settles the running next-reply cycle (met or breached, its
    business time measured, who answered kept on its row). Returns the fields to save."""
    if ticket.next_reply_state not in (clock.OPEN, clock.PAUSED):
        return []
    try:
        clock.next_reply_settle(ticket, _business(ticket), now)
    except engine.EngineError as problem:
        logger.warning("next reply of ticket %s not measured: %s", ticket.reference, problem)
        clock.decide(ticket, NEXT_REPLY, now)
    sla_state_compute(ticket=ticket, now=now)
    next_reply_cycles_save([ticket], answered_by=author, settled_at=now)
    return [*clock.NEXT_REPLY_FIELDS, "sla_state", "next_escalation_at"]


def next_reply_cycles_save(tickets, *, answered_by=None, settled_at: datetime | None = None) -> None:
    """Write the current next-reply cycle of each ticket to its row (created with the cycle).
    A decided cycle's row keeps the instant it was decided (`settled_at`, else the ticket's
    resolution or closing); a row is only written when something in it changed."""
    current = [t for t in tickets if t.next_reply_cycle]
    if not current:
        return
    rows = {(row.ticket_id, row.number): row for row in NextReplyCycle.objects.filter(
        ticket_id__in=[t.pk for t in current], number__in={t.next_reply_cycle for t in current})}
    for ticket in current:
        row = rows.get((ticket.pk, ticket.next_reply_cycle))
        if not ticket.next_reply_state:  # the running cycle was dropped with its target
            if row is not None:
                row.delete()
            continue
        decided = ticket.next_reply_state in clock.DECIDED
        values = {
            "started_at": ticket.next_reply_started_at, "due_at": ticket.next_reply_due_at,
            "state": ticket.next_reply_state, "business_seconds": ticket.next_reply_business_seconds,
        }
        if row is None:
            row = NextReplyCycle(ticket_id=ticket.pk, number=ticket.next_reply_cycle, target=ticket.next_reply_target)
        elif all(getattr(row, name) == value for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(row, name, value)
        if decided and row.settled_at is None:
            row.settled_at = settled_at or ticket.resolved_at or ticket.closed_at
            row.answered_by = answered_by
        row.save()


def deadline_changes(before: dict, ticket) -> dict:
    """{"reaction_due_at": {"old": ..., "new": ...}, ...} for the due instants that moved."""
    changes = {}
    for kind in KINDS:
        name = f"{kind}_due_at"
        if before[name] != getattr(ticket, name):
            changes[name] = {"old": before[name], "new": getattr(ticket, name)}
    return changes


def due_instants(ticket) -> dict:
    return {f"{kind}_due_at": clock.due(ticket, kind) for kind in KINDS}


def sla_severity_changed(*, ticket, now: datetime) -> tuple[list[str], dict]:
    """The severity was changed (set on the ticket, not yet saved): recompute the open targets from
    reported_at with the new severity's targets. Met, breached and overdue targets stay as they are.
    Returns (fields to save, {deadline field: {"old", "new"}} for the history event)."""
    before = due_instants(ticket)
    targets = _targets_for(ticket)
    keep = {kind for kind in KINDS if clock.is_breached(ticket, kind, now) or clock.state(ticket, kind) == clock.MET}
    try:
        if targets is None:
            for kind in set(KINDS) - keep:
                clock.drop_target(ticket, kind)
            if not keep:
                _snapshot(ticket, None)
        else:
            _snapshot(ticket, targets)
            business = _business(ticket)
            texts = {REACTION: str(targets.reaction_target),
                     RESOLUTION: str(targets.resolution_target) if targets.resolution_target else "",
                     NEXT_REPLY: _next_reply_text(targets)}
            for kind in KINDS:
                if kind == NEXT_REPLY:
                    _next_reply_retarget(ticket, texts[kind], business, now, keep=kind in keep)
                    continue
                if kind in keep:
                    continue
                if not texts[kind]:
                    clock.drop_target(ticket, kind)
                elif not clock.state(ticket, kind):
                    _start_target(ticket, kind, texts[kind], business, now)
                else:
                    setattr(ticket, f"{kind}_target", texts[kind])
                    clock.recompute(ticket, kind, business, cutoff=now)
    except engine.EngineError as problem:
        logger.warning("SLA of ticket %s not recomputed: %s", ticket.reference, problem)
    sla_state_compute(ticket=ticket, now=now)
    next_reply_cycles_save([ticket])
    return list(SLA_FIELDS), deadline_changes(before, ticket)


def _next_reply_retarget(ticket, text: str, business, now: datetime, *, keep: bool) -> None:
    """The severity changed: later cycles take the new next-reply target; a running cycle is
    recomputed from its start with it (or dropped without one); a decided or overdue one stays."""
    running = ticket.next_reply_state in (clock.OPEN, clock.PAUSED)
    if keep or not running:
        ticket.next_reply_target = text
    elif not text:
        clock.drop_target(ticket, NEXT_REPLY)
    else:
        ticket.next_reply_target = text
        cutoff = min(now, ticket.next_reply_paused_since or now)
        clock.recompute(ticket, NEXT_REPLY, business, cutoff=cutoff)


def sla_calendar_recompute(*, ticket, business, now: datetime) -> tuple[bool, dict]:
    """After a change of the ticket's calendar: recompute its open targets (in memory, no save).
    Returns (whether a due or warning instant moved, the moved due instants as old/new); running
    it again changes nothing."""
    before = due_instants(ticket)
    moved = clock.open_targets_recompute(ticket, business, now)
    if moved:
        sla_state_compute(ticket=ticket, now=now, business=business)
    return moved, deadline_changes(before, ticket)
