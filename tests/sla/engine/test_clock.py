"""The target clock (`sla.engine.clock`): target and SLA states, pause and reopen, the warning
instant and the pending escalation levels, on plain objects and a fixed `now` (no Django)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from calendars import de_nrw_standard

from sla.engine import Target, clock

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def fresh(reported_at: datetime, reaction: str = "6h", resolution: str = "", *, percent: int | None = 75,
          post_breach: str = "", status_open: bool = True, paused: bool = False):
    """A ticket's bookkeeping as filing leaves it, on the de-nrw-standard calendar."""
    t = SimpleNamespace(
        reported_at=reported_at, first_reaction_at=None, warning_threshold_percent=percent,
        post_breach_after=post_breach, sla_state="", next_escalation_at=None, escalations_fired=0,
    )
    clock.clear(t)
    business = de_nrw_standard()
    clock.start_target(t, clock.REACTION, reaction, business, reported_at, ticket_open=status_open, stop=None,
                       paused_status=paused)
    if resolution:
        clock.start_target(t, clock.RESOLUTION, resolution, business, reported_at, ticket_open=status_open,
                           stop=None, paused_status=paused)
    return t


MONDAY_10 = berlin(2026, 11, 23, 10, 0)


def test_filing_gives_due_and_warning_instants_in_business_time():
    t = fresh(MONDAY_10, "6h")
    assert t.reaction_state == clock.OPEN
    assert t.reaction_due_at == berlin(2026, 11, 23, 16, 0).astimezone(UTC)
    assert t.reaction_warning_at == berlin(2026, 11, 23, 14, 30).astimezone(UTC)  # 75 % of 6 h = 4.5 h


@pytest.mark.parametrize(("now", "state"), [
    (berlin(2026, 11, 23, 14, 29), clock.ON_TRACK),
    (berlin(2026, 11, 23, 14, 30), clock.AT_RISK),
    (berlin(2026, 11, 23, 16, 0), clock.BREACHED),
])
def test_the_sla_state_follows_the_clock_without_an_event(now, state):
    t = fresh(MONDAY_10, "6h")
    assert clock.sla_state(t, now) == state
    assert t.reaction_state == clock.OPEN  # targets change only on events


def test_a_ticket_without_targets_has_no_sla_state():
    t = fresh(MONDAY_10)
    clock.clear(t)
    assert clock.sla_state(t, MONDAY_10) == clock.NONE
    assert clock.levels(t, de_nrw_standard(), ticket_open=True) == []


def test_a_reaction_in_time_is_met_and_measured_in_business_seconds():
    t = fresh(MONDAY_10, "6h")
    t.first_reaction_at = berlin(2026, 11, 23, 16, 0)
    clock.reaction_settle(t, de_nrw_standard())
    assert (t.reaction_state, t.reaction_business_seconds) == (clock.MET, 6 * 3600)
    assert clock.sla_state(t, berlin(2026, 12, 1, 9, 0)) == clock.STATE_MET


def test_a_late_reaction_is_breached():
    t = fresh(MONDAY_10, "6h")
    t.first_reaction_at = berlin(2026, 11, 23, 16, 0, 1)
    clock.reaction_settle(t, de_nrw_standard())
    assert t.reaction_state == clock.BREACHED


def test_pause_appends_the_paused_business_time_to_the_resolution_deadline():
    business = de_nrw_standard()
    t = fresh(MONDAY_10, "6h", "2d")
    due_before = t.resolution_due_at
    clock.status_changed(t, business, berlin(2026, 11, 23, 11, 0), was_open=True, is_open=True, pausing=True)
    assert t.resolution_state == clock.PAUSED and clock.sla_state(t, berlin(2026, 11, 23, 11, 0)) != clock.PAUSED
    clock.status_changed(t, business, berlin(2026, 11, 23, 13, 0), was_open=True, is_open=True, pausing=False)
    assert t.resolution_state == clock.OPEN and t.resolution_paused_seconds == 2 * 3600
    assert t.resolution_due_at == clock.instants(t, clock.RESOLUTION, business)[0]
    assert t.resolution_due_at > due_before


def test_an_overdue_resolution_does_not_pause():
    business = de_nrw_standard()
    t = fresh(MONDAY_10, "6h", "1h")
    late = berlin(2026, 11, 23, 12, 0)
    clock.status_changed(t, business, late, was_open=True, is_open=True, pausing=True)
    assert t.resolution_state == clock.OPEN and clock.is_overdue(t, clock.RESOLUTION, late)


def test_reopen_counts_the_time_resolved_as_paused_and_never_reopens_the_reaction():
    business = de_nrw_standard()
    t = fresh(MONDAY_10, "6h", "2d")
    clock.status_changed(t, business, berlin(2026, 11, 23, 12, 0), was_open=True, is_open=False, pausing=False)
    assert (t.reaction_state, t.resolution_state) == (clock.MET, clock.MET)
    clock.status_changed(t, business, berlin(2026, 11, 24, 12, 0), was_open=False, is_open=True, pausing=False)
    assert (t.reaction_state, t.resolution_state) == (clock.MET, clock.OPEN)
    assert t.resolution_paused_seconds == 8 * 3600  # Monday 12-17 and Tuesday 9-12


def test_levels_are_warning_breach_and_post_breach_per_open_target_earliest_first():
    business = de_nrw_standard()
    t = fresh(MONDAY_10, "6h", post_breach="2h")
    found = clock.levels(t, business, ticket_open=True)
    assert [(level.level, level.at) for level in found] == [
        (clock.WARNING, berlin(2026, 11, 23, 14, 30).astimezone(UTC)),
        (clock.BREACH, berlin(2026, 11, 23, 16, 0).astimezone(UTC)),
        (clock.POST_BREACH, berlin(2026, 11, 24, 10, 0).astimezone(UTC)),  # 2 business hours later
    ]
    assert clock.levels(t, business, ticket_open=False) == []


def test_pending_levels_leave_out_the_fired_ones_passed_or_not():
    business = de_nrw_standard()
    t = fresh(MONDAY_10, "6h", post_breach="2h")
    t.escalations_fired = clock.level_bit(clock.REACTION, clock.WARNING)
    assert clock.next_escalation_at(t, business, ticket_open=True) == t.reaction_due_at
    now = berlin(2026, 11, 24, 12, 0)
    assert [level.level for level in clock.due_levels(t, business, now, ticket_open=True)] == [
        clock.BREACH, clock.POST_BREACH,
    ]
    t.escalations_fired |= clock.level_bit(clock.REACTION, clock.BREACH) | clock.level_bit(
        clock.REACTION, clock.POST_BREACH)
    assert clock.next_escalation_at(t, business, ticket_open=True) is None


def test_the_level_bits_are_distinct_and_read_back():
    bits = [clock.level_bit(target, level) for target in clock.KINDS for level in clock.LEVELS]
    assert len(set(bits)) == 9 and sum(bits) == 511
    assert clock.fired_levels(bits[0] | bits[4]) == {(clock.REACTION, clock.WARNING), (clock.RESOLUTION, clock.BREACH)}


def test_refresh_reports_only_what_changed():
    business = de_nrw_standard()
    t = fresh(MONDAY_10, "6h")
    assert clock.refresh(t, business, MONDAY_10, ticket_open=True) == ["sla_state", "next_escalation_at"]
    assert clock.refresh(t, business, MONDAY_10 + timedelta(minutes=1), ticket_open=True) == []


def test_a_share_of_a_target_rounds_business_seconds_up_and_keeps_days_exact():
    assert clock.share(Target(seconds=7), 75) == Target(seconds=6)
    assert clock.share(Target(days=2), 75).days == Fraction(3, 2)


def test_history_is_not_rewritten_by_a_recompute():
    business = de_nrw_standard()
    t = fresh(MONDAY_10, "6h")
    warning = t.reaction_warning_at
    t.reaction_target = "8h"
    assert clock.recompute(t, clock.REACTION, business, cutoff=berlin(2026, 11, 23, 15, 0)) is True
    assert t.reaction_warning_at == warning  # passed before the cutoff: stays
    assert t.reaction_due_at == berlin(2026, 11, 24, 10, 0).astimezone(UTC)


@pytest.mark.parametrize(("reacted", "reaction_state", "resolution_state", "bucket_due"), [
    (None, clock.OPEN, "", "reaction"),
    ("late", clock.BREACHED, clock.OPEN, "reaction"),
    ("in time", clock.MET, clock.OPEN, "resolution"),
    ("in time", clock.MET, clock.PAUSED, None),
])
def test_the_queue_position_follows_the_running_deadline(reacted, reaction_state, resolution_state, bucket_due):
    t = fresh(MONDAY_10, "6h", "2d")
    t.first_reaction_at = None if reacted is None else MONDAY_10 + timedelta(hours=1)
    t.reaction_state, t.resolution_state = reaction_state, resolution_state
    bucket, at = clock.queue_position(t, done=False)
    if bucket_due is None:
        assert (bucket, at) == (1, MONDAY_10)
    else:
        assert (bucket, at) == (0, clock.due(t, bucket_due))
    assert clock.queue_position(t, done=True) == (2, MONDAY_10)
