"""SLA bookkeeping on tickets: the deadlines a ticket gets and how its targets end.

The rules (docs/architecture.md, "SLA bookkeeping on tickets", says the same in prose):

- Snapshot. At creation (and at a severity change) the ticket's policy, its calendar, the reaction
  and resolution target texts and the warning threshold are copied onto the ticket; a later change
  of the policy does not rewrite them. No contract, no target for the severity, or no severity →
  no SLA (state "none").
- Deadlines are computed from `reported_at` (whole seconds) with the engine and stored in UTC:
  due = deadline(reported_at, target); warning = deadline(reported_at, threshold % of the target)
  (business seconds rounded up, or the same share of the working days).
- Targets (`reaction_state`, `resolution_state`) change only on events, never by the passage of
  time: the reaction is met or breached when it happens (first public agent reply or an agent
  moving the ticket to in progress: met if first_reaction_at <= reaction_due_at); the resolution
  when the ticket is resolved or closed (met if that instant <= resolution_due_at). A ticket
  resolved or closed before any reaction decides its reaction at the same instant.
- Pause. While the ticket is in one of the policy's pause statuses the resolution clock stops
  (state "paused", `resolution_paused_since`). When it runs again, the business time of the stop
  (engine `elapsed`) is added to `resolution_paused_seconds`, and the resolution deadline becomes
  add_business_time(deadline(reported_at, target), resolution_paused_seconds) — the paused business
  seconds are appended after the unpaused deadline (for a working-day target too); the warning
  instant moves the same way. A target already overdue when the pause begins does not pause.
- Reopen. Resolving stops the resolution clock at the resolution instant (kept in
  `resolution_paused_since`); a reopen opens the resolution target again and counts the time the
  ticket spent resolved or closed as paused time. A target that was met therefore keeps the
  business time it had left; one that was breached stays overdue. The reaction is never reopened.
- History is never rewritten: an instant that has already passed (a due or warning instant at or
  before now, or before the stop of a paused clock) is never moved, and met, breached or overdue
  targets are never recomputed (severity change, calendar change).
- State (`sla_state_at`): no SLA → none; a breached target, or an open target whose due instant has
  passed → breached; an open target past its warning instant → at risk; an open reaction or
  resolution → on track; a paused resolution → paused; otherwise met.
- `next_escalation_at`: see `sla_state_compute`.
"""

from __future__ import annotations

import importlib
import logging
from datetime import UTC, datetime
from typing import NamedTuple

from django.db import transaction
from django.db.models import Q

from sla import engine
from sla.calendars import business_calendar_for
from sla.choices import OPEN_STATUSES, SlaState, TargetState
from sla.services.computations import ticket_targets_for, whole_second
from tickets.models import EventCode, Ticket, TicketEvent

logger = logging.getLogger(__name__)

REACTION, RESOLUTION = "reaction", "resolution"
WARNING, BREACH = "warning", "breach"
KINDS = (REACTION, RESOLUTION)

# The fields this module writes (for update_fields and bulk_update).
SLA_FIELDS = (
    "sla_policy", "sla_calendar", "reaction_target", "resolution_target", "warning_threshold_percent",
    "reaction_due_at", "resolution_due_at", "reaction_warning_at", "resolution_warning_at",
    "reaction_state", "resolution_state", "reaction_business_seconds", "resolution_paused_seconds",
    "resolution_paused_since", "sla_state", "next_escalation_at",
)
_OPEN = TargetState.OPEN.value
_DECIDED = frozenset({TargetState.MET.value, TargetState.BREACHED.value})


class EscalationInstant(NamedTuple):
    target: str  # "reaction" or "resolution"
    level: str  # "warning" or "breach"
    at: datetime


class SlaUnavailable(Exception):
    """The engine could not compute a deadline (e.g. a date beyond the calendar's holiday years)."""


# --- reading ------------------------------------------------------------------------------------


def _due(ticket, kind: str) -> datetime | None:
    return getattr(ticket, f"{kind}_due_at")


def _warning(ticket, kind: str) -> datetime | None:
    return getattr(ticket, f"{kind}_warning_at")


def _state(ticket, kind: str) -> str:
    return getattr(ticket, f"{kind}_state")


def _overdue(ticket, kind: str, now: datetime) -> bool:
    due = _due(ticket, kind)
    return _state(ticket, kind) == _OPEN and due is not None and due <= now


def sla_state_at(*, ticket, now: datetime) -> str:
    """The `SlaState` code the ticket has at `now`, from its stored targets (no database access).
    Pages show this, so a state that the escalation scan has not stored yet is still shown right."""
    states = [_state(ticket, kind) for kind in KINDS]
    if not any(states):
        return SlaState.NONE
    if TargetState.BREACHED in states or any(_overdue(ticket, kind, now) for kind in KINDS):
        return SlaState.BREACHED
    for kind in KINDS:
        warning = _warning(ticket, kind)
        if _state(ticket, kind) == _OPEN and warning is not None and warning <= now:
            return SlaState.AT_RISK
    if _OPEN in states:
        return SlaState.ON_TRACK
    if ticket.resolution_state == TargetState.PAUSED:
        return SlaState.PAUSED
    return SlaState.MET


def sla_escalation_instants(ticket) -> list[EscalationInstant]:
    """The warning and due instants of the ticket's open targets (state "open": not reacted, not
    resolved, not paused), whether or not they have passed. Empty for a resolved or closed ticket."""
    if ticket.status not in OPEN_STATUSES:
        return []
    instants = []
    for kind in KINDS:
        if _state(ticket, kind) != _OPEN:
            continue
        if _warning(ticket, kind) is not None:
            instants.append(EscalationInstant(kind, WARNING, _warning(ticket, kind)))
        if _due(ticket, kind) is not None:
            instants.append(EscalationInstant(kind, BREACH, _due(ticket, kind)))
    return sorted(instants, key=lambda item: item.at)


def _escalation_schedule():
    """The escalation app's schedule module, when it is installed (it knows which levels fired)."""
    try:
        return importlib.import_module("sla.escalation_schedule")
    except ModuleNotFoundError as error:
        if error.name != "sla.escalation_schedule":
            raise
        return None


def _next_escalation(ticket, now: datetime) -> datetime | None:
    schedule = _escalation_schedule()
    if schedule is not None:
        pending = list(schedule.pending_instants(ticket))
    else:
        pending = [item.at for item in sla_escalation_instants(ticket) if item.at > now]
    return min(pending) if pending else None


def sla_state_compute(*, ticket, now: datetime) -> list[str]:
    """Set `sla_state` and `next_escalation_at` on the ticket in memory (no save) and return the
    names of the fields that changed, for `save(update_fields=...)` or `bulk_update`.

    `next_escalation_at` is the earliest instant that still has to be escalated: with the escalation
    app's `sla.escalation_schedule.pending_instants(ticket)` the earliest of those (it drops levels
    that already fired and adds its own, so nothing that passed unescalated is skipped); without it,
    the earliest of `sla_escalation_instants` later than `now`."""
    changed = []
    state = sla_state_at(ticket=ticket, now=now)
    if ticket.sla_state != state:
        ticket.sla_state = state
        changed.append("sla_state")
    following = _next_escalation(ticket, now)
    if ticket.next_escalation_at != following:
        ticket.next_escalation_at = following
        changed.append("next_escalation_at")
    return changed


def sla_state_refresh(*, ticket, now: datetime) -> bool:
    """Store the ticket's current `sla_state` and `next_escalation_at` (the escalation scan calls
    this after recording what it escalated). Idempotent; True when something changed."""
    changed = sla_state_compute(ticket=ticket, now=now)
    if changed:
        ticket.save(update_fields=[*changed, "updated_at"])
    return bool(changed)


# --- computing deadlines ------------------------------------------------------------------------


def _utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC)


def _share(target: engine.Target, percent: int) -> engine.Target:
    """`percent` % of a target: business seconds rounded up, or the exact share of working days."""
    if target.seconds is not None:
        return engine.Target(seconds=max(1, -(-target.seconds * percent // 100)))
    return engine.Target(days=target.days * percent / 100)


def _instants(ticket, kind: str, business) -> tuple[datetime, datetime | None]:
    """(due, warning) of the ticket's `kind` target from reported_at, paused time appended."""
    target = engine.parse_target(getattr(ticket, f"{kind}_target"))
    start = whole_second(ticket.reported_at)
    due = engine.deadline(business, start, target)
    percent = ticket.warning_threshold_percent
    warning = engine.deadline(business, start, _share(target, percent)) if percent else None
    paused = ticket.resolution_paused_seconds if kind == RESOLUTION else 0
    if paused:
        due = engine.add_business_time(business, due, paused)
        warning = engine.add_business_time(business, warning, paused) if warning else None
    return _utc(due), (_utc(warning) if warning else None)


def _business(ticket):
    return business_calendar_for(calendar=ticket.sla_calendar)


def _recompute(ticket, kind: str, business, cutoff: datetime) -> bool:
    """Recompute one target's due and warning instants; an instant at or before `cutoff` is
    history and stays. Returns True when something changed."""
    due, warning = _instants(ticket, kind, business)
    old_due, old_warning = _due(ticket, kind), _warning(ticket, kind)
    if old_due is not None and old_due <= cutoff:
        due = old_due
    if old_warning is not None and old_warning <= cutoff:
        warning = old_warning
    if (due, warning) == (old_due, old_warning):
        return False
    setattr(ticket, f"{kind}_due_at", due)
    setattr(ticket, f"{kind}_warning_at", warning)
    return True


def _decide(ticket, kind: str, at: datetime) -> None:
    due = _due(ticket, kind)
    met = due is None or at <= due
    setattr(ticket, f"{kind}_state", TargetState.MET if met else TargetState.BREACHED)


def _pause_statuses(ticket) -> frozenset[str]:
    policy = ticket.sla_policy
    return frozenset(policy.pause_statuses or ()) if policy is not None else frozenset()


def _snapshot(ticket, targets) -> None:
    """Copy the policy's promise onto the ticket (targets None: no SLA)."""
    if targets is None:
        ticket.sla_policy = ticket.sla_calendar = None
        ticket.warning_threshold_percent = None
        return
    ticket.sla_policy = targets.policy
    ticket.sla_calendar = targets.policy.calendar
    ticket.warning_threshold_percent = targets.policy.warning_threshold_percent


def _targets_for(ticket):
    return ticket_targets_for(
        organisation=ticket.organisation, category=ticket.category, severity=ticket.severity,
        at=ticket.reported_at,
    )


def _start_target(ticket, kind: str, text: str, business, now: datetime) -> None:
    """A target the ticket did not have: compute it and settle it against what already happened."""
    setattr(ticket, f"{kind}_target", text)
    setattr(ticket, f"{kind}_state", _OPEN)
    if kind == RESOLUTION:
        ticket.resolution_paused_seconds, ticket.resolution_paused_since = 0, None
    due, warning = _instants(ticket, kind, business)
    setattr(ticket, f"{kind}_due_at", due)
    setattr(ticket, f"{kind}_warning_at", warning)
    if kind == REACTION and ticket.first_reaction_at is not None:
        _reaction_settle(ticket, business)
    elif kind == RESOLUTION and ticket.status not in OPEN_STATUSES:
        stop = ticket.resolved_at or ticket.closed_at or now
        _decide(ticket, RESOLUTION, stop)
        ticket.resolution_paused_since = stop
    elif kind == RESOLUTION and ticket.status in _pause_statuses(ticket) and due > now:
        ticket.resolution_state, ticket.resolution_paused_since = TargetState.PAUSED, now


def _drop_target(ticket, kind: str) -> None:
    setattr(ticket, f"{kind}_target", "")
    setattr(ticket, f"{kind}_state", "")
    setattr(ticket, f"{kind}_due_at", None)
    setattr(ticket, f"{kind}_warning_at", None)


def _clear(ticket) -> None:
    for kind in KINDS:
        _drop_target(ticket, kind)
    ticket.reaction_business_seconds = None
    ticket.resolution_paused_seconds, ticket.resolution_paused_since = 0, None


def _reaction_settle(ticket, business) -> None:
    reacted = whole_second(ticket.first_reaction_at)
    start = whole_second(ticket.reported_at)
    if reacted >= start:
        ticket.reaction_business_seconds = engine.elapsed(business, start, reacted).seconds
    _decide(ticket, REACTION, ticket.first_reaction_at)


# --- the events ---------------------------------------------------------------------------------


def sla_ticket_prepare(*, ticket, now: datetime) -> dict | None:
    """Give a new ticket (not saved yet) its SLA snapshot, deadlines and state, in memory, so that
    one insert stores them.

    Returns None when done, or an event payload ({"reason": "out_of_range", "year", "calendar"} or
    {"reason": "engine_error"}) when no deadline could be computed: the ticket is then kept without
    deadlines (state "none"); the caller records that in the history."""
    targets = _targets_for(ticket)
    _snapshot(ticket, targets)
    _clear(ticket)
    error = None
    if targets is not None:
        try:
            business = _business(ticket)
            _start_target(ticket, REACTION, str(targets.reaction_target), business, now)
            if targets.resolution_target is not None:
                _start_target(ticket, RESOLUTION, str(targets.resolution_target), business, now)
        except engine.EngineError as problem:
            logger.warning("no SLA deadlines for a ticket of %s reported at %s: %s",
                           ticket.organisation, ticket.reported_at, problem)
            _clear(ticket)
            error = {"reason": "engine_error", "calendar": ticket.sla_calendar.slug}
            if isinstance(problem, engine.OutOfRangeError):
                error |= {"reason": "out_of_range", "year": problem.year}
    sla_state_compute(ticket=ticket, now=now)
    return error


def sla_reaction_record(*, ticket, now: datetime) -> list[str]:
    """The ticket's first reaction has just been set (`first_reaction_at`): store the business
    time it took and whether it met the target. Returns the changed fields (caller saves)."""
    if ticket.reaction_state != _OPEN or ticket.first_reaction_at is None:
        return []
    try:
        _reaction_settle(ticket, _business(ticket))
    except engine.EngineError as problem:
        logger.warning("reaction time of ticket %s not measured: %s", ticket.reference, problem)
        _decide(ticket, REACTION, ticket.first_reaction_at)
    sla_state_compute(ticket=ticket, now=now)
    return ["reaction_state", "reaction_business_seconds", "sla_state", "next_escalation_at"]


def _clock_stopped(ticket, business, now: datetime) -> None:
    """Add the business time since `resolution_paused_since` to the paused time and move the
    resolution deadline (instants before the stop stay)."""
    since = ticket.resolution_paused_since
    if since is not None and now > since:
        ticket.resolution_paused_seconds += engine.elapsed(business, whole_second(since), whole_second(now)).seconds
        _recompute(ticket, RESOLUTION, business, cutoff=since)
    ticket.resolution_paused_since = None


def sla_status_changed(*, ticket, old: str, now: datetime) -> list[str]:
    """Follow a status change (already set on the ticket, not yet saved): reaction by an agent
    moving it to in progress, pause and resume of the resolution clock, resolution met or breached,
    reopen. Returns the fields to save."""
    if not (ticket.reaction_state or ticket.resolution_state):
        return []
    new = ticket.status
    try:
        business = _business(ticket)
        if ticket.reaction_state == _OPEN and ticket.first_reaction_at is not None:
            _reaction_settle(ticket, business)
        pauses = _pause_statuses(ticket)
        if old in OPEN_STATUSES and new not in OPEN_STATUSES:
            if ticket.reaction_state == _OPEN:
                _decide(ticket, REACTION, now)
            if ticket.resolution_state == TargetState.PAUSED:
                _clock_stopped(ticket, business, now)
                ticket.resolution_state = _OPEN
            if ticket.resolution_state == _OPEN:
                _decide(ticket, RESOLUTION, now)
                ticket.resolution_paused_since = now
        elif old not in OPEN_STATUSES and new in OPEN_STATUSES and ticket.resolution_state in _DECIDED:
            _clock_stopped(ticket, business, now)  # reopened: the time it spent resolved counts as paused
            ticket.resolution_state = _OPEN
        if new in OPEN_STATUSES and ticket.resolution_state:
            if ticket.resolution_state == TargetState.PAUSED and new not in pauses:
                _clock_stopped(ticket, business, now)
                ticket.resolution_state = _OPEN
            elif ticket.resolution_state == _OPEN and new in pauses and not _overdue(ticket, RESOLUTION, now):
                ticket.resolution_state, ticket.resolution_paused_since = TargetState.PAUSED, now
    except engine.EngineError as problem:
        logger.warning("SLA of ticket %s not updated: %s", ticket.reference, problem)
    sla_state_compute(ticket=ticket, now=now)
    return [
        "reaction_state", "reaction_business_seconds", "resolution_state", "resolution_due_at",
        "resolution_warning_at", "resolution_paused_seconds", "resolution_paused_since", "sla_state",
        "next_escalation_at",
    ]


def _deadline_changes(before: dict, ticket) -> dict:
    """{"reaction_due_at": {"old": ..., "new": ...}, ...} for the due instants that moved."""
    changes = {}
    for kind in KINDS:
        name = f"{kind}_due_at"
        if before[name] != getattr(ticket, name):
            changes[name] = {"old": before[name], "new": getattr(ticket, name)}
    return changes


def sla_severity_changed(*, ticket, now: datetime) -> tuple[list[str], dict]:
    """The severity was changed (set on the ticket, not yet saved): recompute the open targets from
    reported_at with the new severity's targets. Met, breached and overdue targets stay as they are.
    Returns (fields to save, {deadline field: {"old", "new"}} for the history event)."""
    before = {f"{kind}_due_at": _due(ticket, kind) for kind in KINDS}
    targets = _targets_for(ticket)
    keep = {kind for kind in KINDS if _state(ticket, kind) in _DECIDED or _overdue(ticket, kind, now)}
    try:
        if targets is None:
            for kind in set(KINDS) - keep:
                _drop_target(ticket, kind)
            if not keep:
                _snapshot(ticket, None)
        else:
            _snapshot(ticket, targets)
            business = _business(ticket)
            texts = {REACTION: str(targets.reaction_target),
                     RESOLUTION: str(targets.resolution_target) if targets.resolution_target else ""}
            for kind in KINDS:
                if kind in keep:
                    continue
                if not texts[kind]:
                    _drop_target(ticket, kind)
                elif not _state(ticket, kind):
                    _start_target(ticket, kind, texts[kind], business, now)
                else:
                    setattr(ticket, f"{kind}_target", texts[kind])
                    _recompute(ticket, kind, business, cutoff=now)
    except engine.EngineError as problem:
        logger.warning("SLA of ticket %s not recomputed: %s", ticket.reference, problem)
    sla_state_compute(ticket=ticket, now=now)
    return list(SLA_FIELDS), _deadline_changes(before, ticket)


def sla_calendar_recompute(*, ticket, business, now: datetime) -> tuple[bool, dict]:
    """After a change of the ticket's calendar: recompute its open targets (in memory, no save).
    Returns (whether a due or warning instant moved, the moved due instants as old/new); running
    it again changes nothing."""
    before = {f"{kind}_due_at": _due(ticket, kind) for kind in KINDS}
    moved = False
    for kind in KINDS:
        state = _state(ticket, kind)
        if state == _OPEN and not _overdue(ticket, kind, now):
            moved |= _recompute(ticket, kind, business, cutoff=now)
        elif state == TargetState.PAUSED:
            moved |= _recompute(ticket, kind, business, cutoff=min(now, ticket.resolution_paused_since or now))
    if moved:
        sla_state_compute(ticket=ticket, now=now)
    return moved, _deadline_changes(before, ticket)


# --- a calendar changed -------------------------------------------------------------------------

RECOMPUTE_BATCH = 500


def tickets_sla_recompute_for_calendar(*, calendar, now: datetime, batch_size: int = RECOMPUTE_BATCH) -> int:
    """Recompute the open targets of the open tickets whose snapshot calendar is `calendar` (after
    its hours, holidays or closures changed), in batches of locked rows with one bulk update and
    one history event per changed ticket (old and new deadline). Met, breached and overdue targets
    and instants that have passed stay. Idempotent: a second run finds nothing to change.
    Returns how many tickets changed."""
    business = business_calendar_for(calendar=calendar)
    running = Q(reaction_state=_OPEN) | Q(resolution_state__in=[_OPEN, TargetState.PAUSED])
    candidates = (
        Ticket.objects.filter(sla_calendar=calendar, status__in=OPEN_STATUSES)
        .filter(running)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    batch, changed = [], 0
    for pk in candidates.iterator(chunk_size=batch_size):
        batch.append(pk)
        if len(batch) == batch_size:
            changed += _recompute_batch(batch, calendar, business, now)
            batch = []
    if batch:
        changed += _recompute_batch(batch, calendar, business, now)
    return changed


def _recompute_batch(pks, calendar, business, now) -> int:
    with transaction.atomic():
        tickets = list(
            Ticket.objects.select_for_update(of=("self",))
            .select_related("sla_policy", "sla_calendar")
            .filter(pk__in=pks, sla_calendar=calendar, status__in=OPEN_STATUSES)
        )
        changed, events = [], []
        for ticket in tickets:
            try:
                moved, deadlines = sla_calendar_recompute(ticket=ticket, business=business, now=now)
            except engine.EngineError as problem:
                logger.warning("SLA of ticket %s not recomputed: %s", ticket.reference, problem)
                continue
            if not moved:
                continue
            ticket.updated_at = now
            changed.append(ticket)
            events.append(TicketEvent(
                ticket=ticket, code=EventCode.SLA_RECOMPUTED, is_public=bool(deadlines),
                payload={"calendar": calendar.slug, "version": calendar.version, "deadlines": deadlines},
            ))
        if changed:
            Ticket.objects.bulk_update(changed, [*SLA_FIELDS, "updated_at"])
            TicketEvent.objects.bulk_create(events)
    return len(changed)
