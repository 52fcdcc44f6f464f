"""One generated ticket with its history: the ticket row, its comments, events and time entries.

The rows are plain dicts with the models' column names (`attname`s), written by `writers`; ids of
tickets and comments are assigned by the caller (`batches`), the database numbers the rest. The
SLA snapshot, deadlines and states of a ticket are set by `targets`."""

from __future__ import annotations

import functools
import json
import random
from datetime import datetime, timedelta

from bench.loadgen import plan, targets
from bench.loadgen.plan import Generated, OrgInfo
from bench.loadgen.vocabulary import (
    CATEGORY_WEIGHTS,
    CHANNEL_WEIGHTS,
    NOTES,
    PROBLEMS_DE,
    PROBLEMS_EN,
    PRODUCTS,
    REPLIES_DE,
    REPLIES_EN,
    WORK_TYPES,
)
from sla.choices import CATEGORIES_WITH_SEVERITY, Category, Severity, SlaState, Status
from tickets.choices import Channel
from tickets.models import EventCode


def _weighted(rng: random.Random, choices):
    total = sum(w for _, w in choices)
    pick = rng.uniform(0, total)
    for value, weight in choices:
        pick -= weight
        if pick <= 0:
            return value
    return choices[-1][0]


def _status_for_age(rng: random.Random, age: timedelta) -> str:
    days = age.total_seconds() / 86400
    if days < 1:
        table = [(Status.NEW, 50), (Status.IN_PROGRESS, 35), (Status.WAITING_ON_CUSTOMER, 10), (Status.WORKAROUND, 5)]
    elif days < 14:
        table = [(Status.NEW, 5), (Status.IN_PROGRESS, 35), (Status.WAITING_ON_CUSTOMER, 20), (Status.WORKAROUND, 10),
                 (Status.RESOLVED, 20), (Status.CLOSED, 10)]
    elif days < 60:
        table = [(Status.IN_PROGRESS, 3), (Status.WAITING_ON_CUSTOMER, 3), (Status.WORKAROUND, 2),
                 (Status.RESOLVED, 12), (Status.CLOSED, 80)]
    else:
        table = [(Status.IN_PROGRESS, 0.4), (Status.WAITING_ON_CUSTOMER, 0.3), (Status.WORKAROUND, 0.3),
                 (Status.RESOLVED, 1), (Status.CLOSED, 98)]
    return _weighted(rng, table)


class TicketGenerator:
    """Makes one ticket with its history at a time; ids are assigned by the caller's counters."""

    def __init__(self, *, rng: random.Random, now: datetime, organisations: list[OrgInfo]):
        self.rng = rng
        self.now = now
        self.organisations = organisations
        self.org_pool = [org for org in organisations for _ in range(org.weight)]

    def _event(self, events, *, ticket_id, code, actor, at, payload: str = "{}", public=True, comment_id=None):
        """One history row; `payload` is already JSON text (most payloads repeat: cached)."""
        events.append({
            "ticket_id": ticket_id, "code": code, "actor_id": actor, "payload": payload,
            "is_public": public, "comment_id": comment_id, "created_at": at,
        })

    def generate(self, *, ticket_id: int, reference: str, reported_at: datetime, next_comment_id) -> Generated:
        rng, now = self.rng, self.now
        org = rng.choice(self.org_pool)
        category = _weighted(rng, CATEGORY_WEIGHTS)
        severity = ""
        if category in CATEGORIES_WITH_SEVERITY:
            severity = Severity.SEVERE if rng.random() < 0.25 else Severity.MINOR
        channel = _weighted(rng, CHANNEL_WEIGHTS)
        requester = rng.choice(org.contacts) if org.contacts and channel != Channel.DEVICE else None
        problems = PROBLEMS_DE if org.language == "de" else PROBLEMS_EN
        subject, description = rng.choice(problems)
        product = rng.choice(PRODUCTS)
        status = _status_for_age(rng, now - reported_at)
        policy = org.pos_policy if (org.pos_policy and category == Category.FAULT) else org.policy
        agent = rng.choice(org.agents) if org.agents else None

        t = {
            "reference": reference, "subject": f"{subject} ({product})"[:200],
            "description": f"{description}\n\nBetroffen: **{product}**.", "occurring_since": "",
            "steps_to_reproduce": "", "impact": "", "category": category, "severity": severity,
            "affected_system": product, "organisation_id": org.id, "requester_id": requester,
            "callback_phone": "", "remote_session_id": "", "channel": channel, "team_id": org.team_id,
            "assignee_id": None, "status": status, "workaround": "", "fixed_in_release": "",
            "out_of_hours_notice": "", "out_of_hours_accepted_at": None, "out_of_hours_accepted_by_id": None,
            "reported_at": reported_at, "reaction_due_at": None, "resolution_due_at": None,
            "first_reaction_at": None, "resolved_at": None, "closed_at": None, "sla_state": SlaState.NONE,
            "sla_policy_id": None, "sla_calendar_id": None, "reaction_target": "", "resolution_target": "",
            "warning_threshold_percent": None, "reaction_state": "", "resolution_state": "",
            "reaction_business_seconds": None, "resolution_paused_seconds": 0, "resolution_paused_since": None,
            "reaction_warning_at": None, "resolution_warning_at": None, "next_escalation_at": None,
            "post_breach_after": "", "escalations_fired": 0, "id": ticket_id,
            "next_reply_target": "", "next_reply_cycle": 0, "next_reply_state": "", "next_reply_started_at": None,
            "next_reply_due_at": None, "next_reply_warning_at": None, "next_reply_business_seconds": None,
            "next_reply_paused_seconds": 0, "next_reply_paused_since": None,
            "last_activity_at": reported_at, "idempotency_key": "", "created_at": reported_at,
            "updated_at": reported_at,
        }
        comments, events, entries = [], [], []
        creator = None if channel in (Channel.DEVICE, Channel.API) else requester
        if channel == Channel.PHONE:
            creator = agent
        self._event(events, ticket_id=ticket_id, code=EventCode.CREATED, actor=creator, at=reported_at, payload=(
            f'{{"channel":"{channel}","category":"{category}","severity":"{severity}",'
            f'"reported_at":"{reported_at.isoformat()}"}}'
        ))
        sla = targets.Replay(t, policy if severity else None)
        sla.file(severity)

        clock = reported_at
        if status != Status.NEW:
            t["assignee_id"] = agent
            clock = min(clock + timedelta(minutes=rng.randint(5, 60 * 30)), now - timedelta(seconds=30))
            self._event(events, ticket_id=ticket_id, code=EventCode.ASSIGNED, actor=agent, at=clock, public=False,
                        payload=_assigned_payload(agent, plan.PEOPLE.get(agent, "")))
            t["first_reaction_at"] = clock
            self._event(events, ticket_id=ticket_id, code=EventCode.STATUS_CHANGED, actor=agent, at=clock,
                        payload=_status_payload(Status.NEW, Status.IN_PROGRESS))
            sla.status_changed(Status.NEW, Status.IN_PROGRESS, clock)
            replies = REPLIES_DE if org.language == "de" else REPLIES_EN
            for index in range(rng.choice((1, 1, 1, 2, 2, 3))):
                clock = min(clock + timedelta(minutes=rng.randint(3, 600)), now - timedelta(seconds=10))
                comment_id = next_comment_id()
                internal = index > 0 and rng.random() < 0.3
                comments.append({
                    "id": comment_id, "ticket_id": ticket_id, "author_id": agent,
                    "body": rng.choice(NOTES) if internal else rng.choice(replies), "is_internal": internal,
                    "channel": Channel.PORTAL, "idempotency_key": "", "created_at": clock,
                })
                code = EventCode.NOTE_ADDED if internal else EventCode.REPLY_ADDED
                self._event(events, ticket_id=ticket_id, code=code, actor=agent, at=clock,
                            payload=f'{{"comment_id":{comment_id}}}', public=not internal, comment_id=comment_id)
            if status in (Status.WAITING_ON_CUSTOMER, Status.WORKAROUND):
                if status == Status.WORKAROUND:
                    t["workaround"] = "Bitte den Export in zwei Hälften ausführen."
                self._event(events, ticket_id=ticket_id, code=EventCode.STATUS_CHANGED, actor=agent, at=clock,
                            payload=_status_payload(Status.IN_PROGRESS, status))
                sla.status_changed(Status.IN_PROGRESS, status, clock)
            if status in (Status.RESOLVED, Status.CLOSED):
                clock = min(clock + timedelta(hours=rng.randint(1, 72)), now - timedelta(seconds=5))
                t["resolved_at"] = clock
                self._event(events, ticket_id=ticket_id, code=EventCode.STATUS_CHANGED, actor=agent, at=clock,
                            payload=_status_payload(Status.IN_PROGRESS, Status.RESOLVED))
                sla.status_changed(Status.IN_PROGRESS, Status.RESOLVED, clock)
                if status == Status.CLOSED:
                    clock = min(clock + timedelta(hours=rng.randint(1, 96)), now - timedelta(seconds=1))
                    t["closed_at"] = clock
                    self._event(events, ticket_id=ticket_id, code=EventCode.STATUS_CHANGED, actor=requester, at=clock,
                                payload=_status_payload(Status.RESOLVED, Status.CLOSED, "confirmed"))
                    sla.status_changed(Status.RESOLVED, Status.CLOSED, clock)
            if rng.random() < 0.5:
                for _ in range(rng.choice((1, 1, 2))):
                    entries.append({
                        "ticket_id": ticket_id, "agent_id": agent, "worked_on": t["first_reaction_at"].date(),
                        "minutes": rng.choice((15, 15, 30, 30, 45, 60, 90, 120, 240)),
                        "work_type": rng.choice(WORK_TYPES), "note": "", "billable": rng.random() < 0.8,
                        "out_of_hours": rng.random() < 0.05, "created_at": t["first_reaction_at"],
                    })
        sla.finish(now)
        public = [e["created_at"] for e in events if e["is_public"]]
        t["last_activity_at"] = t["updated_at"] = max(public) if public else reported_at
        return Generated(t, comments, events, entries, sla.escalations)


def payload_json(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


@functools.cache
def _status_payload(old: str, new: str, reason: str = "") -> str:
    payload = {"old": str(old), "new": str(new)}
    if reason:
        payload["reason"] = reason
    return payload_json(payload)


@functools.cache
def _assigned_payload(agent: int | None, name: str) -> str:
    """As `tickets.services.ticket_assign` writes it: people as id plus the name at the time."""
    new = {"id": agent, "name": name} if agent else None
    return payload_json({"old": {"assignee": None}, "new": {"assignee": new}})
