"""A generated ticket's SLA bookkeeping, replayed through the target clock (`sla.engine.clock`) event
by event, as the services and a punctual escalation scan would have left it: the policy snapshot
and deadlines at filing (`file`), each status change at its instant (`status_changed`, which first
escalates what fell due before it), and the end (`finish`: what fell due by `now`, the SLA state and
the next escalation instant). The ticket row `t` is a dict of column values; the escalations that
fired are rows for `escalation.Escalation`, fired when they fell due."""

from __future__ import annotations

import contextlib
from datetime import datetime

from bench.loadgen.plan import PolicyInfo
from sla import engine
from sla.choices import OPEN_STATUSES
from sla.engine import clock


class Row:
    """A ticket row (dict) with its columns as attributes, as the clock reads and writes them."""

    def __init__(self, t: dict) -> None:
        object.__setattr__(self, "_t", t)

    def __getattr__(self, name: str):
        return self._t[name]

    def __setattr__(self, name: str, value) -> None:
        self._t[name] = value


class Replay:
    """One ticket's SLA history: its row, its policy (None: no SLA) and the escalations fired."""

    def __init__(self, t: dict, policy: PolicyInfo | None) -> None:
        self.row, self.policy = Row(t), policy
        self.escalations: list[dict] = []

    @property
    def business(self):
        return self.policy.business if self.policy is not None else None

    def file(self, severity: str) -> None:
        """The policy's targets for `severity`: snapshot, due and warning instants, both targets open."""
        texts = self.policy.targets.get(severity) if self.policy is not None else None
        if not texts:
            return
        reaction, resolution = texts
        row, policy = self.row, self.policy
        row.sla_policy_id, row.sla_calendar_id = policy.id, policy.calendar_id
        row.warning_threshold_percent, row.post_breach_after = policy.threshold, policy.post_breach_after
        clock.clear(row)
        try:
            for kind, text in ((clock.REACTION, reaction), (clock.RESOLUTION, resolution)):
                if text:
                    clock.start_target(row, kind, text, policy.business, row.reported_at, ticket_open=True,
                                       stop=None, paused_status=False)
        except engine.EngineError:
            clock.clear(row)

    def _escalate_until(self, at: datetime, status: str) -> None:
        """What a punctual scan fires up to `at`, while the ticket is in `status`."""
        if not (self.row.reaction_state or self.row.resolution_state):
            return
        for level in clock.due_levels(self.row, self.business, at, ticket_open=status in OPEN_STATUSES):
            self.row.escalations_fired |= clock.level_bit(level.target, level.level)
            self.escalations.append({"ticket_id": self.row.id, "target": level.target, "level": level.level,
                                     "due_at": level.at, "fired_at": level.at})

    def status_changed(self, old: str, new: str, at: datetime) -> None:
        """The status changed from `old` to `new` at `at` (a reaction recorded with it is settled)."""
        self._escalate_until(at, old)
        row = self.row
        if not (row.reaction_state or row.resolution_state):
            return
        with contextlib.suppress(engine.EngineError):
            clock.status_changed(row, self.business, at, was_open=old in OPEN_STATUSES,
                                 is_open=new in OPEN_STATUSES, pausing=new in self.policy.pause_statuses)

    def finish(self, now: datetime) -> None:
        self._escalate_until(now, self.row.status)
        clock.refresh(self.row, self.business, now, ticket_open=self.row.status in OPEN_STATUSES)
