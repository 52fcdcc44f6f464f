"""The next-reply target of the target clock (`sla.engine.clock`, docs/sla-semantics.md §8): the
worked examples of the semantics, on plain objects and the de-nrw-standard calendar (no Django).

Setting of every example: a severe fault filed Monday 23 Nov 2026 10:00 (Berlin), reaction 6h,
next reply 4h, warning at 75 % (3 business hours into a cycle)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from calendars import always_open_berlin, de_nrw_standard

from sla.engine import clock

BERLIN = ZoneInfo("Europe/Berlin")
BUSINESS = de_nrw_standard()


def berlin(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=BERLIN)


FILED, REACTED = berlin(23, 10), berlin(23, 11)


def ticket(next_reply: str = "4h", *, reacted_at: datetime | None = REACTED, post_breach: str = ""):
    """The bookkeeping as filing leaves it, with the first reaction (an agent's reply) at 11:00."""
    t = SimpleNamespace(reported_at=FILED, first_reaction_at=None, warning_threshold_percent=75,
                        post_breach_after=post_breach, sla_state="", next_escalation_at=None, escalations_fired=0)
    clock.clear(t)
    clock.start_target(t, clock.REACTION, "6h", BUSINESS, FILED, ticket_open=True, stop=None, paused_status=False)
    t.next_reply_target = next_reply
    if reacted_at is not None:
        t.first_reaction_at = reacted_at
        clock.reaction_settle(t, BUSINESS)
    return t


def utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC)


def test_example_1_a_customer_message_starts_a_cycle_and_the_next_agent_reply_meets_it():
    t = ticket()
    assert clock.next_reply_start(t, BUSINESS, berlin(23, 12), paused_status=False)
    assert (t.next_reply_cycle, t.next_reply_state) == (1, clock.OPEN)
    assert (t.next_reply_due_at, t.next_reply_warning_at) == (utc(berlin(23, 16)), utc(berlin(23, 15)))
    assert clock.sla_state(t, berlin(23, 14, 59)) == clock.ON_TRACK
    assert clock.sla_state(t, berlin(23, 15)) == clock.AT_RISK
    assert clock.next_reply_settle(t, BUSINESS, berlin(23, 15, 30))
    assert (t.next_reply_state, t.next_reply_business_seconds) == (clock.MET, 3 * 3600 + 1800)
    assert t.reaction_state == clock.MET  # untouched


def test_example_2_a_reply_exactly_at_the_due_instant_meets_one_a_second_later_breaches():
    met, late = ticket(), ticket()
    for t in (met, late):
        clock.next_reply_start(t, BUSINESS, berlin(23, 12), paused_status=False)
    clock.next_reply_settle(met, BUSINESS, berlin(23, 16))
    clock.next_reply_settle(late, BUSINESS, berlin(23, 16, 0, 1))
    assert (met.next_reply_state, late.next_reply_state) == (clock.MET, clock.BREACHED)
    assert clock.sla_state(late, berlin(24, 9)) == clock.BREACHED


def test_example_3_answered_means_no_escalation_afterwards_unlike_zammad_3140():
    """Zammad's update-time escalation fired although an agent had answered (their issue 3140)."""
    t = ticket()
    clock.next_reply_start(t, BUSINESS, berlin(23, 12), paused_status=False)
    clock.next_reply_settle(t, BUSINESS, berlin(23, 13))
    later = berlin(24, 12)
    assert clock.due_levels(t, BUSINESS, later, ticket_open=True) == []
    assert clock.next_escalation_at(t, BUSINESS, ticket_open=True) is None
    assert clock.sla_state(t, later) == clock.STATE_MET


def test_example_4_before_the_first_reaction_messages_start_nothing_and_the_reaction_stays_unlike_zammad_5177():
    """Zammad let the update time override the first-response target (their issue 5177)."""
    t = ticket(reacted_at=None)
    due = t.reaction_due_at
    assert not clock.next_reply_start(t, BUSINESS, berlin(23, 10, 30), paused_status=False)
    assert (t.next_reply_cycle, t.next_reply_state, t.reaction_due_at) == (0, "", due)
    assert [level.target for level in clock.levels(t, BUSINESS, ticket_open=True)] == [clock.REACTION] * 2
    t.first_reaction_at = berlin(23, 15)
    clock.reaction_settle(t, BUSINESS)
    assert t.reaction_state == clock.MET and t.reaction_due_at == due


def test_example_5_a_second_message_while_a_cycle_runs_keeps_its_start():
    t = ticket()
    clock.next_reply_start(t, BUSINESS, berlin(23, 15), paused_status=False)
    # 2 h on Monday (15-17) and 2 h on Tuesday (9-11).
    assert t.next_reply_due_at == utc(berlin(24, 11))
    assert not clock.next_reply_start(t, BUSINESS, berlin(23, 16), paused_status=False)
    assert (t.next_reply_cycle, t.next_reply_started_at) == (1, berlin(23, 15))
    clock.next_reply_settle(t, BUSINESS, berlin(24, 11, 0, 1))
    assert t.next_reply_state == clock.BREACHED


def test_example_6_the_cycle_pauses_with_the_resolution_clock():
    t = ticket()
    clock.next_reply_start(t, BUSINESS, berlin(23, 12), paused_status=False)
    clock.status_changed(t, BUSINESS, berlin(23, 13), was_open=True, is_open=True, pausing=True)
    assert (t.next_reply_state, t.next_reply_paused_since) == (clock.PAUSED, berlin(23, 13))
    assert clock.sla_state(t, berlin(23, 17)) == clock.PAUSED
    assert clock.levels(t, BUSINESS, ticket_open=True) == []  # a paused clock does not escalate
    clock.status_changed(t, BUSINESS, berlin(24, 10), was_open=True, is_open=True, pausing=False)
    # Paused Monday 13-17 and Tuesday 9-10: 5 h appended to Monday 16:00 → Tuesday 13:00.
    assert t.next_reply_paused_seconds == 5 * 3600
    assert (t.next_reply_state, t.next_reply_due_at) == (clock.OPEN, utc(berlin(24, 13)))
    assert t.next_reply_warning_at == utc(berlin(24, 12))
    clock.next_reply_settle(t, BUSINESS, berlin(24, 12, 30))
    # Business time of the cycle without the pause: Monday 12-13 and Tuesday 10-12:30.
    assert (t.next_reply_state, t.next_reply_business_seconds) == (clock.MET, 3 * 3600 + 1800)


def test_example_7_an_overdue_cycle_does_not_pause():
    t = ticket()
    clock.next_reply_start(t, BUSINESS, berlin(23, 12), paused_status=False)
    clock.status_changed(t, BUSINESS, berlin(23, 16, 30), was_open=True, is_open=True, pausing=True)
    assert t.next_reply_state == clock.OPEN
    assert clock.sla_state(t, berlin(23, 16, 30)) == clock.BREACHED


def test_example_8_a_reply_while_paused_settles_the_cycle():
    t = ticket()
    clock.next_reply_start(t, BUSINESS, berlin(23, 12), paused_status=False)
    clock.status_changed(t, BUSINESS, berlin(23, 13), was_open=True, is_open=True, pausing=True)
    clock.next_reply_settle(t, BUSINESS, berlin(25, 9))
    assert (t.next_reply_state, t.next_reply_business_seconds) == (clock.MET, 3600)


def test_example_9_a_message_in_a_pausing_status_starts_a_paused_cycle():
    t = ticket()
    clock.next_reply_start(t, BUSINESS, berlin(23, 12), paused_status=True)
    assert (t.next_reply_state, t.next_reply_paused_since) == (clock.PAUSED, berlin(23, 12))


@pytest.mark.parametrize(("resolved_at", "state"), [(berlin(23, 15), clock.MET), (berlin(23, 17), clock.BREACHED)])
def test_example_10_resolving_decides_the_running_cycle_and_a_reopen_does_not_revive_it(resolved_at, state):
    t = ticket()
    clock.next_reply_start(t, BUSINESS, berlin(23, 12), paused_status=False)
    clock.status_changed(t, BUSINESS, resolved_at, was_open=True, is_open=False, pausing=False)
    assert t.next_reply_state == state
    clock.status_changed(t, BUSINESS, berlin(24, 9), was_open=False, is_open=True, pausing=False)
    assert t.next_reply_state == state
    assert clock.next_reply_start(t, BUSINESS, berlin(24, 10), paused_status=False)
    assert (t.next_reply_cycle, t.next_reply_state) == (2, clock.OPEN)


def test_example_11_each_cycle_escalates_once_per_level():
    t = ticket(post_breach="2h")
    clock.next_reply_start(t, BUSINESS, berlin(23, 12), paused_status=False)
    levels = clock.due_levels(t, BUSINESS, berlin(24, 9, 30), ticket_open=True)
    assert [(lv.target, lv.level, lv.cycle) for lv in levels] == [
        (clock.NEXT_REPLY, clock.WARNING, 1), (clock.NEXT_REPLY, clock.BREACH, 1),
    ]
    for level in levels:
        t.escalations_fired |= clock.level_bit(level.target, level.level)
    # The post-breach level: 2 business hours after Monday 16:00 = Tuesday 10:00.
    assert clock.next_escalation_at(t, BUSINESS, ticket_open=True) == utc(berlin(24, 10))
    clock.next_reply_settle(t, BUSINESS, berlin(24, 9, 45))
    assert clock.next_escalation_at(t, BUSINESS, ticket_open=True) is None
    clock.next_reply_start(t, BUSINESS, berlin(24, 11), paused_status=False)
    assert t.escalations_fired & clock.NEXT_REPLY_BITS == 0
    again = clock.due_levels(t, BUSINESS, berlin(24, 14), ticket_open=True)
    assert [(lv.level, lv.cycle) for lv in again] == [(clock.WARNING, 2)]


def test_example_12_without_a_next_reply_target_nothing_starts():
    t = ticket(next_reply="")
    assert not clock.next_reply_start(t, BUSINESS, berlin(23, 12), paused_status=False)
    assert not clock.next_reply_settle(t, BUSINESS, berlin(23, 13))
    assert t.next_reply_state == ""


def test_a_calendar_change_moves_a_running_cycle_from_its_start_but_not_a_decided_one():
    running, decided = ticket(), ticket()
    for t in (running, decided):
        clock.next_reply_start(t, BUSINESS, berlin(23, 15), paused_status=False)
    clock.next_reply_settle(decided, BUSINESS, berlin(23, 16))
    before = decided.next_reply_due_at
    assert clock.open_targets_recompute(running, always_open_berlin(), berlin(23, 15, 30))
    assert (running.next_reply_due_at, running.next_reply_warning_at) == (utc(berlin(23, 19)), utc(berlin(23, 18)))
    clock.open_targets_recompute(decided, always_open_berlin(), berlin(23, 16, 30))
    assert decided.next_reply_due_at == before
