"""The target clock: the one definition of how a ticket's SLA targets stand (docs/sla-semantics.md,
"Target states"). Plain Python beside the engine; the caller passes the calendar and `now`.

A *clocked* object carries the SLA bookkeeping of one ticket as attributes (a ticket model, the
escalation scan's row, the load generator's row, a test's namespace):

    reported_at, first_reaction_at                        aware instants (first_reaction_at or None)
    reaction_target, resolution_target                    target texts ("6h", "1.5d"; "" = none)
    warning_threshold_percent, post_breach_after          the snapshot of the policy (None / "")
    reaction_state, resolution_state                      OPEN, MET, BREACHED, PAUSED or "" (no target)
    reaction_due_at, reaction_warning_at,
    resolution_due_at, resolution_warning_at              aware instants or None
    reaction_business_seconds                             business time to the first reaction
    resolution_paused_seconds, resolution_paused_since    the stopped resolution clock
    escalations_fired                                     bits of the levels that fired (`level_bit`)
    next_reply_target, next_reply_cycle                   the next-reply target text ("" = none) and the
                                                          number of the current (or last) cycle, 0 = none yet
    next_reply_state, next_reply_started_at,
    next_reply_due_at, next_reply_warning_at              the current cycle (state "" = no cycle yet)
    next_reply_business_seconds                           business time the settled cycle took
    next_reply_paused_seconds, next_reply_paused_since    its stopped clock

The rules:
- Targets change only on events, never by the passage of time: the reaction is met or breached
  when it happens (met if first_reaction_at <= due); the resolution when the ticket is resolved or
  closed. A ticket closed before any reaction decides its reaction at the same instant.
- Due and warning instants are deadlines from `reported_at` (whole seconds); the warning is the
  threshold's share of the target (business seconds rounded up, or the same share of working days).
- Pause: the resolution clock stops (PAUSED, `resolution_paused_since`); on resume the business
  time of the stop is added to `resolution_paused_seconds`, appended after the unpaused deadline.
  A target that is already overdue does not pause. Resolving stops the clock too; a reopen counts
  the time resolved as paused. The reaction never reopens.
- History is never rewritten: an instant at or before the cutoff (now, or the stop of a paused
  clock) never moves; met, breached and overdue targets are never recomputed.
- A target is *breached* when stored so or open past its due instant (overdue), *warned* when open
  past its warning instant; the ticket's SLA state follows from its two targets (`sla_state`).
- Next reply (docs/sla-semantics.md §8): a cycle per customer message after the first reaction,
  started only when none is running (`next_reply_start`), settled by the next public agent reply
  (`next_reply_settle`) or decided when the ticket is resolved or closed; it pauses and resumes
  with the resolution clock (the policy's pause statuses) and never touches the reaction target.
  Its due and warning instants are deadlines from `next_reply_started_at`. Its escalation levels
  carry the cycle number; a new cycle clears the next-reply bits, so each cycle escalates once per level.
- Escalation levels per open target: warning at the warning instant, breach at the due instant,
  post-breach `post_breach_after` business time after the due instant. A level fires once, ever;
  `next_escalation_at` is the earliest level that has not fired, passed or not.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import NamedTuple

from .calendar import BusinessCalendar
from .deadlines import add_business_time, deadline
from .errors import EngineError
from .measures import elapsed
from .targets import Target, parse_target

# Target states (stored codes; `sla.choices.TargetState` gives them labels).
OPEN, MET, BREACHED, PAUSED = "open", "met", "breached", "paused"
DECIDED = frozenset({MET, BREACHED})
# The ticket's SLA state (`sla.choices.SlaState`).
NONE, ON_TRACK, AT_RISK, STATE_MET = "none", "on_track", "at_risk", "met"

REACTION, RESOLUTION, NEXT_REPLY = "reaction", "resolution", "next_reply"
KINDS = (REACTION, RESOLUTION, NEXT_REPLY)
PAUSABLE = (RESOLUTION, NEXT_REPLY)
WARNING, BREACH, POST_BREACH = "warning", "breach", "post_breach"
LEVELS = (WARNING, BREACH, POST_BREACH)

# The bookkeeping fields the clock reads and writes (for update_fields and bulk writes).
FIELDS = (
    "reaction_target", "resolution_target", "warning_threshold_percent", "post_breach_after",
    "reaction_due_at", "resolution_due_at", "reaction_warning_at", "resolution_warning_at",
    "reaction_state", "resolution_state", "reaction_business_seconds", "resolution_paused_seconds",
    "resolution_paused_since", "sla_state", "next_escalation_at",
    *("next_reply_target", "next_reply_cycle", "next_reply_state", "next_reply_started_at", "next_reply_due_at",
      "next_reply_warning_at", "next_reply_business_seconds", "next_reply_paused_seconds", "next_reply_paused_since"),
)
# The fields of the current next-reply cycle (the target text and the cycle number aside).
NEXT_REPLY_FIELDS = FIELDS[-7:]


class Level(NamedTuple):
    target: str  # REACTION, RESOLUTION or NEXT_REPLY
    level: str  # WARNING, BREACH or POST_BREACH
    at: datetime  # when it falls due (UTC)
    cycle: int = 0  # the next-reply cycle (0 for the reaction and the resolution)


def whole_second(instant: datetime) -> datetime:
    """`instant` without its fraction of a second (the engine works to the second)."""
    return instant.replace(microsecond=0)


def level_bit(target: str, level: str) -> int:
    """The bit of one (target, level) in `escalations_fired`."""
    return 1 << (KINDS.index(target) * len(LEVELS) + LEVELS.index(level))


def fired_levels(bits: int) -> set[tuple[str, str]]:
    """{(target, level)} of the bits in `escalations_fired`."""
    return {(target, level) for target in KINDS for level in LEVELS if bits & level_bit(target, level)}


NEXT_REPLY_BITS = sum(level_bit(NEXT_REPLY, level) for level in LEVELS)


def cycle_of(t, kind: str) -> int:
    """The cycle a level of `kind` belongs to: the ticket's next-reply cycle, else 0."""
    return t.next_reply_cycle if kind == NEXT_REPLY else 0


# --- reading ------------------------------------------------------------------------------------


def due(t, kind: str) -> datetime | None:
    return getattr(t, f"{kind}_due_at")


def warning(t, kind: str) -> datetime | None:
    return getattr(t, f"{kind}_warning_at")


def state(t, kind: str) -> str:
    return getattr(t, f"{kind}_state")


def is_overdue(t, kind: str, now: datetime) -> bool:
    """Open, and its due instant has passed (not stored: the state changes only on events)."""
    at = due(t, kind)
    return state(t, kind) == OPEN and at is not None and at <= now


def is_breached(t, kind: str, now: datetime) -> bool:
    """Stored as breached, or overdue."""
    return state(t, kind) == BREACHED or is_overdue(t, kind, now)


def state_at(t, kind: str, now: datetime) -> str:
    """The target's state as seen at `now`: the stored state, but breached once overdue (what
    every report shows, so a list of breaches and a ticket's row never disagree)."""
    return BREACHED if is_overdue(t, kind, now) else state(t, kind)


def is_warned(t, kind: str, now: datetime) -> bool:
    """Open and past its warning instant."""
    at = warning(t, kind)
    return state(t, kind) == OPEN and at is not None and at <= now


def met_at(t, kind: str, resolved_at: datetime | None, closed_at: datetime | None) -> datetime | None:
    """When a met target was met: the reaction at the first reaction (or at the resolution or
    closing of a ticket closed before anybody reacted), the resolution when resolved or closed.
    (A next-reply cycle keeps its own settling instant on its row.)"""
    if state(t, kind) != MET or kind == NEXT_REPLY:
        return None
    if kind == REACTION:
        return t.first_reaction_at or resolved_at or closed_at
    return resolved_at or closed_at


def sla_state(t, now: datetime) -> str:
    """The ticket's SLA state at `now`: no target → none; a breached target → breached; an open
    target past its warning → at risk; an open target → on track; a paused resolution or next
    reply → paused; else met. (A ticket with only a decided next-reply cycle has a reaction
    target, so "none" means no reaction and no resolution target.)"""
    states = [state(t, kind) for kind in KINDS]
    if not any(states):
        return NONE
    if any(is_breached(t, kind, now) for kind in KINDS):
        return BREACHED
    if any(is_warned(t, kind, now) for kind in KINDS):
        return AT_RISK
    if OPEN in states:
        return ON_TRACK
    if PAUSED in states:
        return PAUSED
    return STATE_MET


def queue_position(t, *, done: bool) -> tuple[int, datetime]:
    """(bucket, instant) of the agent queue's order: 0 = a deadline that runs or was missed — the
    reaction's while nobody reacted or when the reaction came late, else the resolution's while
    open or breached — ordered by it; 1 = open without one, by report; 2 = resolved or closed."""
    if done:
        return 2, t.reported_at
    if t.reaction_due_at is not None and (t.first_reaction_at is None or t.reaction_state == BREACHED):
        return 0, t.reaction_due_at
    if t.resolution_due_at is not None and t.resolution_state in (OPEN, BREACHED):
        return 0, t.resolution_due_at
    return 1, t.reported_at


# --- deadlines ----------------------------------------------------------------------------------


def share(target: Target, percent: int) -> Target:
    """`percent` % of a target: business seconds rounded up, or the exact share of working days."""
    if target.seconds is not None:
        return Target(seconds=max(1, -(-target.seconds * percent // 100)))
    return Target(days=target.days * percent / 100)


@lru_cache(maxsize=256)
def _target(text: str) -> Target:
    return parse_target(text)


def instants(t, kind: str, business: BusinessCalendar) -> tuple[datetime, datetime | None]:
    """(due, warning) of the `kind` target from its start (reported_at; a next-reply cycle's
    start), paused time appended, in UTC."""
    target = _target(getattr(t, f"{kind}_target"))
    start = whole_second(t.next_reply_started_at if kind == NEXT_REPLY else t.reported_at)
    at = deadline(business, start, target)
    percent = t.warning_threshold_percent
    warn = deadline(business, start, share(target, percent)) if percent else None
    paused = getattr(t, f"{kind}_paused_seconds") if kind in PAUSABLE else 0
    if paused:
        at = add_business_time(business, at, paused)
        warn = add_business_time(business, warn, paused) if warn else None
    return at.astimezone(UTC), (warn.astimezone(UTC) if warn else None)


def recompute(t, kind: str, business: BusinessCalendar, cutoff: datetime) -> bool:
    """Recompute one target's due and warning instants; an instant at or before `cutoff` is
    history and stays. True when something changed."""
    new_due, new_warning = instants(t, kind, business)
    old_due, old_warning = due(t, kind), warning(t, kind)
    if old_due is not None and old_due <= cutoff:
        new_due = old_due
    if old_warning is not None and old_warning <= cutoff:
        new_warning = old_warning
    if (new_due, new_warning) == (old_due, old_warning):
        return False
    setattr(t, f"{kind}_due_at", new_due)
    setattr(t, f"{kind}_warning_at", new_warning)
    return True


# --- events -------------------------------------------------------------------------------------


def decide(t, kind: str, at: datetime) -> None:
    """Met if `at` is not after the due instant, else breached."""
    at_due = due(t, kind)
    setattr(t, f"{kind}_state", MET if at_due is None or at <= at_due else BREACHED)


def reaction_settle(t, business: BusinessCalendar) -> None:
    """The first reaction happened (`first_reaction_at`): its business time and its outcome."""
    reacted, start = whole_second(t.first_reaction_at), whole_second(t.reported_at)
    if reacted >= start:
        t.reaction_business_seconds = elapsed(business, start, reacted).seconds
    decide(t, REACTION, t.first_reaction_at)


def drop_target(t, kind: str) -> None:
    setattr(t, f"{kind}_target", "")
    setattr(t, f"{kind}_state", "")
    setattr(t, f"{kind}_due_at", None)
    setattr(t, f"{kind}_warning_at", None)
    if kind == NEXT_REPLY:
        t.next_reply_started_at, t.next_reply_business_seconds = None, None
        t.next_reply_paused_seconds, t.next_reply_paused_since = 0, None


def clear(t) -> None:
    """No SLA: no targets, nothing measured (a filing: no next-reply cycle yet either)."""
    for kind in KINDS:
        drop_target(t, kind)
    t.reaction_business_seconds = None
    t.resolution_paused_seconds, t.resolution_paused_since = 0, None
    t.next_reply_cycle = 0


def start_target(t, kind: str, text: str, business: BusinessCalendar, now: datetime, *,
                 ticket_open: bool, stop: datetime | None, paused_status: bool) -> None:
    """A target the ticket did not have: compute it and settle it against what already happened
    (a reaction given; a ticket already resolved or closed at `stop`; a pausing status)."""
    setattr(t, f"{kind}_target", text)
    setattr(t, f"{kind}_state", OPEN)
    if kind == RESOLUTION:
        t.resolution_paused_seconds, t.resolution_paused_since = 0, None
    at_due, at_warning = instants(t, kind, business)
    setattr(t, f"{kind}_due_at", at_due)
    setattr(t, f"{kind}_warning_at", at_warning)
    if kind == REACTION and t.first_reaction_at is not None:
        reaction_settle(t, business)
    elif kind == RESOLUTION and not ticket_open:
        stopped = stop or now
        decide(t, RESOLUTION, stopped)
        t.resolution_paused_since = stopped
    elif kind == RESOLUTION and paused_status and at_due > now:
        t.resolution_state, t.resolution_paused_since = PAUSED, now


def clock_restart(t, business: BusinessCalendar, now: datetime, kind: str = RESOLUTION) -> None:
    """The stopped clock of `kind` (resolution or next reply) runs again: the business time since
    `<kind>_paused_since` is added to the paused time and the deadline moves (instants before the
    stop stay)."""
    since = getattr(t, f"{kind}_paused_since")
    if since is not None and now > since:
        paused = getattr(t, f"{kind}_paused_seconds")
        setattr(t, f"{kind}_paused_seconds",
                paused + elapsed(business, whole_second(since), whole_second(now)).seconds)
        recompute(t, kind, business, cutoff=since)
    setattr(t, f"{kind}_paused_since", None)


def status_changed(t, business: BusinessCalendar, now: datetime, *,
                   was_open: bool, is_open: bool, pausing: bool) -> None:
    """Follow a status change: `was_open`/`is_open` whether the old and new status are open ones,
    `pausing` whether the new status pauses the resolution clock (the policy's pause statuses).
    A reaction recorded with the change is settled; closing decides the open targets; a reopen
    counts the time resolved as paused; pause and resume move the resolution deadline."""
    if t.reaction_state == OPEN and t.first_reaction_at is not None:
        reaction_settle(t, business)
    if was_open and not is_open:
        if t.reaction_state == OPEN:
            decide(t, REACTION, now)
        if t.resolution_state == PAUSED:
            clock_restart(t, business, now)
            t.resolution_state = OPEN
        if t.resolution_state == OPEN:
            decide(t, RESOLUTION, now)
            t.resolution_paused_since = now
    elif not was_open and is_open and t.resolution_state in DECIDED:
        clock_restart(t, business, now)
        t.resolution_state = OPEN
    if is_open and t.resolution_state:
        if t.resolution_state == PAUSED and not pausing:
            clock_restart(t, business, now)
            t.resolution_state = OPEN
        elif t.resolution_state == OPEN and pausing and not is_overdue(t, RESOLUTION, now):
            t.resolution_state, t.resolution_paused_since = PAUSED, now
    next_reply_follow(t, business, now, is_open=is_open, pausing=pausing)


def next_reply_follow(t, business: BusinessCalendar, now: datetime, *, is_open: bool, pausing: bool) -> None:
    """The running next-reply cycle after a status change: resolving or closing decides it at
    `now`; a pausing status stops it (unless overdue), another open status restarts it."""
    if t.next_reply_state not in (OPEN, PAUSED):
        return
    if not is_open or not pausing:
        if t.next_reply_state == PAUSED:
            clock_restart(t, business, now, NEXT_REPLY)
            t.next_reply_state = OPEN
        if not is_open:
            _next_reply_decide(t, business, now)
    elif t.next_reply_state == OPEN and not is_overdue(t, NEXT_REPLY, now):
        t.next_reply_state, t.next_reply_paused_since = PAUSED, now


def _next_reply_decide(t, business: BusinessCalendar, at: datetime) -> None:
    """Decide the running (unpaused) cycle at `at` and measure its business time, pauses excluded."""
    decide(t, NEXT_REPLY, at)
    start, end = whole_second(t.next_reply_started_at), whole_second(at)
    used = elapsed(business, start, end).seconds if end >= start else 0
    t.next_reply_business_seconds = max(0, used - t.next_reply_paused_seconds)


def next_reply_start(t, business: BusinessCalendar, now: datetime, *, paused_status: bool) -> bool:
    """A public customer message at `now`: start a new next-reply cycle when the ticket has a
    next-reply target, has had its first reaction, and no cycle is running. The new cycle's
    escalation bits are cleared (each cycle escalates once per level). True when one started."""
    if not t.next_reply_target or t.first_reaction_at is None or t.next_reply_state in (OPEN, PAUSED):
        return False
    t.next_reply_cycle = (t.next_reply_cycle or 0) + 1
    t.next_reply_started_at, t.next_reply_state = whole_second(now), OPEN
    t.next_reply_business_seconds = None
    t.next_reply_paused_seconds, t.next_reply_paused_since = 0, None
    t.next_reply_due_at, t.next_reply_warning_at = instants(t, NEXT_REPLY, business)
    t.escalations_fired = (t.escalations_fired or 0) & ~NEXT_REPLY_BITS
    if paused_status:
        t.next_reply_state, t.next_reply_paused_since = PAUSED, now
    return True


def next_reply_settle(t, business: BusinessCalendar, now: datetime) -> bool:
    """A public agent reply at `now` settles the running cycle: met at or before its due instant,
    else breached. True when a cycle was settled (no running cycle: nothing to settle)."""
    if t.next_reply_state not in (OPEN, PAUSED):
        return False
    if t.next_reply_state == PAUSED:
        clock_restart(t, business, now, NEXT_REPLY)
        t.next_reply_state = OPEN
    _next_reply_decide(t, business, now)
    return True


def open_targets_recompute(t, business: BusinessCalendar, now: datetime) -> bool:
    """After the calendar changed: recompute the open targets that are not overdue, and a paused
    one up to its stop. True when a due or warning instant moved."""
    moved = False
    for kind in KINDS:
        if state(t, kind) == OPEN and not is_overdue(t, kind, now):
            moved |= recompute(t, kind, business, cutoff=now)
        elif state(t, kind) == PAUSED:
            since = getattr(t, f"{kind}_paused_since")
            moved |= recompute(t, kind, business, cutoff=min(now, since or now))
    return moved


# --- escalation ---------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _delay(text: str) -> Target | None:
    try:
        return parse_target(text)
    except EngineError:
        return None


def levels(t, business: BusinessCalendar | None, *, ticket_open: bool) -> list[Level]:
    """Every escalation level of the ticket's open targets, earliest first, passed or not. The
    post-breach level needs the calendar; without one (or past the calendar's range) it is left out."""
    if not ticket_open:
        return []
    found = []
    for kind in KINDS:
        if state(t, kind) != OPEN:
            continue
        cycle = cycle_of(t, kind)
        if warning(t, kind) is not None:
            found.append(Level(kind, WARNING, warning(t, kind), cycle))
        if due(t, kind) is not None:
            found.append(Level(kind, BREACH, due(t, kind), cycle))
    delay = _delay((t.post_breach_after or "").strip()) if found and t.post_breach_after else None
    if delay is not None and business is not None:
        for item in [level for level in found if level.level == BREACH]:
            try:
                at = deadline(business, whole_second(item.at), delay).astimezone(UTC)
            except EngineError:
                continue
            found.append(Level(item.target, POST_BREACH, at, item.cycle))
    return sorted(found, key=lambda level: level.at)


def pending_levels(t, business: BusinessCalendar | None, *, ticket_open: bool) -> list[Level]:
    """The levels that have not fired (`escalations_fired`), earliest first."""
    bits = t.escalations_fired or 0
    return [level for level in levels(t, business, ticket_open=ticket_open)
            if not bits & level_bit(level.target, level.level)]


def due_levels(t, business: BusinessCalendar | None, now: datetime, *, ticket_open: bool) -> list[Level]:
    """The pending levels whose instant is at or before `now` (several after an outage)."""
    return [level for level in pending_levels(t, business, ticket_open=ticket_open) if level.at <= now]


def next_escalation_at(t, business: BusinessCalendar | None, *, ticket_open: bool) -> datetime | None:
    pending = pending_levels(t, business, ticket_open=ticket_open)
    return pending[0].at if pending else None


def refresh(t, business: BusinessCalendar | None, now: datetime, *, ticket_open: bool) -> list[str]:
    """Set `sla_state` and `next_escalation_at` from the targets; the names of the fields that
    changed."""
    changed = []
    current = sla_state(t, now)
    if t.sla_state != current:
        t.sla_state = current
        changed.append("sla_state")
    following = next_escalation_at(t, business, ticket_open=ticket_open)
    if t.next_escalation_at != following:
        t.next_escalation_at = following
        changed.append("next_escalation_at")
    return changed
