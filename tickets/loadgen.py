"""Synthetic load data for benchmarks: the row generator behind `manage.py generate_load`.

It BYPASSES THE SERVICES on purpose. A million tickets through `ticket_create` (one transaction,
reference lock, deadline computation, events and mail hand-off per ticket) would take hours; the
benchmarks need the data, not the bookkeeping. So this module writes plain rows: tickets with
their SLA snapshot and deadlines computed by the engine once per ticket, the events and comments a
real history would have (filed, assigned, reaction, replies, notes, resolution), and time entries.
No mail, no notifications, no escalation rows. Never run it against a production database.

Deterministic: the same seed and counts give the same data (ids aside)."""

from __future__ import annotations

import contextlib
import functools
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sla import engine
from sla.choices import CATEGORIES_WITH_SEVERITY, Category, Severity, SlaState, Status, TargetState
from tickets.choices import Channel
from tickets.models import EventCode

YEARS_BACK = 3
MAX_COMMENTS = 3  # per generated ticket (the comment id blocks of the batches rely on it)

PRODUCTS = [
    "ProduktionsPlaner 7.2", "Finanzmodul 7.3", "Lagerverwaltung 5.1", "Kassensystem K3", "Thekenwaage TW-2",
    "Etikettendruck 3.4", "ERP-Konnektor", "Zeiterfassung 2.0", "Prüfstand Süd", "Shipping station",
    "Label service 3.4", "Mobile Ableser-App", "Zählerstandsportal", "Druckserver Halle 2", "Stammdatenimport",
]
PROBLEMS_DE = [
    ("Fehler beim Speichern", "Beim Speichern erscheint „Zeitüberschreitung“ und die Änderungen gehen verloren."),
    ("Druckaufträge hängen", "Die Aufträge bleiben im Spooler auf „Wird gedruckt“ stehen."),
    ("Export bricht ab", "Der Export nach DATEV bricht bei großen Datenmengen ab."),
    ("Anmeldung schlägt fehl", "Mehrere Kollegen können sich seit heute früh nicht anmelden."),
    ("Daten fehlen nach Import", "Nach dem nächtlichen Import fehlen Artikel in der Übersicht."),
    ("Kasse startet nicht", "Die Kasse bleibt beim Startbild stehen; ein Neustart hilft nicht."),
    ("Waage überträgt keine Preise", "Die Thekenwaage zeigt noch die Preise der Vorwoche."),
    ("Bericht zeigt falsche Summen", "Der Monatsbericht weicht um wenige Cent von der Buchhaltung ab."),
    ("Frage zur Benutzerverwaltung", "Wie legen wir eine neue Kollegin mit eingeschränkten Rechten an?"),
    ("Lizenz für weiteren Arbeitsplatz", "Bitte eine weitere Lizenz für den Arbeitsplatz im Lager freischalten."),
]
PROBLEMS_EN = [
    ("Label printer drops jobs", "Roughly every tenth label never prints; no error is shown."),
    ("Nightly sync lost orders", "Orders entered yesterday are missing after the nightly sync."),
    ("Login fails for some users", "Several users cannot sign in since this morning."),
    ("Report totals are off", "The monthly report differs from accounting by a few cents."),
    ("How to add a station", "We are opening a second dock and need another shipping station."),
    ("Slow search in inventory", "Searching the inventory takes more than a minute since the update."),
]
REPLIES_DE = [
    "Wir haben uns verbunden und sehen den Fehler. Können Sie uns das Protokoll schicken?",
    "Bitte starten Sie den Dienst neu; wir beobachten das Verhalten.",
    "Die Korrektur ist eingespielt. Bitte prüfen Sie, ob alles wieder funktioniert.",
    "Danke, das Protokoll hilft uns weiter.",
]
REPLIES_EN = [
    "We connected and can see the fault. Could you send us the log?",
    "Please restart the service; we are watching the behaviour.",
    "The fix is installed. Please check that everything works again.",
    "Thanks, the log helps.",
]
NOTES = [
    "Spooler-Dienst hängt nach dem Update; Treiber zurückspielen.",
    "Reproduziert auf Testsystem, Ticket an Entwicklung.",
    "Connector log shows a timeout; checking the retry queue.",
]
CATEGORY_WEIGHTS = [(Category.FAULT, 50), (Category.QUESTION, 20), (Category.CONFIGURATION, 10),
                    (Category.ORDER, 10), (Category.DATA_LOSS, 10)]
CHANNEL_WEIGHTS = [(Channel.PORTAL, 55), (Channel.EMAIL, 25), (Channel.PHONE, 15), (Channel.DEVICE, 3),
                   (Channel.API, 2)]
WORK_TYPES = ["analysis", "remote", "communication", "configuration", "development", "on_site", "other"]


@dataclass
class OrgInfo:
    """What the generator needs to know about one customer organisation."""

    id: int
    name: str
    language: str
    contacts: list[int]
    team_id: int | None
    agents: list[int]  # who works this organisation's tickets
    policy: object | None  # (policy id, calendar id, business calendar, targets by severity, threshold)
    pos_policy: object | None = None  # the override for faults, if any
    weight: int = 1


@dataclass
class PolicyInfo:
    id: int
    calendar_id: int
    business: engine.BusinessCalendar
    targets: dict[str, tuple[str, str]]  # severity -> (reaction text, resolution text)
    threshold: int
    parsed: dict[str, engine.Target] = field(default_factory=dict)
    shares: dict[str, engine.Target] = field(default_factory=dict)

    def target(self, text: str) -> engine.Target:
        if text not in self.parsed:
            self.parsed[text] = engine.parse_target(text)
            parsed = self.parsed[text]
            share = (engine.Target(seconds=max(1, -(-parsed.seconds * self.threshold // 100)))
                     if parsed.seconds is not None else engine.Target(days=parsed.days * self.threshold / 100))
            self.shares[text] = share
        return self.parsed[text]


@dataclass
class Generated:
    ticket: dict
    comments: list[dict]
    events: list[dict]
    time_entries: list[dict]


def _weighted(rng: random.Random, choices):
    total = sum(w for _, w in choices)
    pick = rng.uniform(0, total)
    for value, weight in choices:
        pick -= weight
        if pick <= 0:
            return value
    return choices[-1][0]


def reported_instants(rng: random.Random, count: int, now: datetime) -> list[datetime]:
    """`count` report instants over the last YEARS_BACK years, mostly in office hours, sorted."""
    start = now - timedelta(days=365 * YEARS_BACK)
    span_days = (now - start).days
    instants = []
    for _ in range(count):
        day = start + timedelta(days=rng.randrange(span_days + 1))
        hour = rng.choice((7, 8, 8, 9, 9, 9, 10, 10, 10, 11, 11, 12, 13, 13, 14, 14, 15, 15, 16, 17, 19, 22))
        moment = day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60), microsecond=0)
        instants.append(min(moment, now - timedelta(minutes=1)))
    instants.sort()
    return instants


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


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


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
        if policy is not None and severity:
            self._sla(t, policy, severity)

        clock = reported_at
        if status != Status.NEW:
            t["assignee_id"] = agent
            clock = min(clock + timedelta(minutes=rng.randint(5, 60 * 30)), now - timedelta(seconds=30))
            self._event(events, ticket_id=ticket_id, code=EventCode.ASSIGNED, actor=agent, at=clock, public=False,
                        payload=_assigned_payload(agent, PEOPLE.get(agent, "")))
            t["first_reaction_at"] = clock
            self._event(events, ticket_id=ticket_id, code=EventCode.STATUS_CHANGED, actor=agent, at=clock,
                        payload=_status_payload(Status.NEW, Status.IN_PROGRESS))
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
            if status in (Status.RESOLVED, Status.CLOSED):
                clock = min(clock + timedelta(hours=rng.randint(1, 72)), now - timedelta(seconds=5))
                t["resolved_at"] = clock
                self._event(events, ticket_id=ticket_id, code=EventCode.STATUS_CHANGED, actor=agent, at=clock,
                            payload=_status_payload(Status.IN_PROGRESS, Status.RESOLVED))
                if status == Status.CLOSED:
                    clock = min(clock + timedelta(hours=rng.randint(1, 96)), now - timedelta(seconds=1))
                    t["closed_at"] = clock
                    self._event(events, ticket_id=ticket_id, code=EventCode.STATUS_CHANGED, actor=requester, at=clock,
                                payload=_status_payload(Status.RESOLVED, Status.CLOSED, "confirmed"))
            if rng.random() < 0.5:
                for _ in range(rng.choice((1, 1, 2))):
                    entries.append({
                        "ticket_id": ticket_id, "agent_id": agent, "worked_on": t["first_reaction_at"].date(),
                        "minutes": rng.choice((15, 15, 30, 30, 45, 60, 90, 120, 240)),
                        "work_type": rng.choice(WORK_TYPES), "note": "", "billable": rng.random() < 0.8,
                        "out_of_hours": rng.random() < 0.05, "created_at": t["first_reaction_at"],
                    })
        self._settle(t, policy)
        public = [e["created_at"] for e in events if e["is_public"]]
        t["last_activity_at"] = t["updated_at"] = max(public) if public else reported_at
        return Generated(t, comments, events, entries)

    def _sla(self, t: dict, policy: PolicyInfo, severity: str) -> None:
        texts = policy.targets.get(severity)
        if not texts:
            return
        reaction, resolution = texts
        t.update(sla_policy_id=policy.id, sla_calendar_id=policy.calendar_id,
                 warning_threshold_percent=policy.threshold, reaction_target=reaction, resolution_target=resolution)
        start = t["reported_at"]
        for kind, text in (("reaction", reaction), ("resolution", resolution)):
            if not text:
                continue
            target = policy.target(text)
            try:
                due = engine.deadline(policy.business, start, target)
                warning = engine.deadline(policy.business, start, policy.shares[text])
            except engine.EngineError:
                continue
            t[f"{kind}_due_at"], t[f"{kind}_warning_at"] = _utc(due), _utc(warning)
            t[f"{kind}_state"] = TargetState.OPEN

    def _settle(self, t: dict, policy) -> None:
        """Outcomes and state as the services and the escalation scan would have left them."""
        now = self.now
        done_at = t["resolved_at"] or t["closed_at"]
        if t["reaction_state"]:
            reacted = t["first_reaction_at"] or done_at
            if reacted is not None:
                t["reaction_state"] = TargetState.MET if reacted <= t["reaction_due_at"] else TargetState.BREACHED
                if t["first_reaction_at"] is not None and policy is not None:
                    with contextlib.suppress(engine.EngineError):
                        t["reaction_business_seconds"] = engine.elapsed(
                            policy.business, t["reported_at"], t["first_reaction_at"]
                        ).seconds
            elif t["reaction_due_at"] <= now:
                t["reaction_state"] = TargetState.BREACHED
        if t["resolution_state"]:
            if done_at is not None:
                t["resolution_state"] = TargetState.MET if done_at <= t["resolution_due_at"] else TargetState.BREACHED
                t["resolution_paused_since"] = done_at
            elif t["resolution_due_at"] <= now:
                t["resolution_state"] = TargetState.BREACHED
            elif t["status"] == Status.WAITING_ON_CUSTOMER:
                t["resolution_state"], t["resolution_paused_since"] = TargetState.PAUSED, now
        states = [t["reaction_state"], t["resolution_state"]]
        if not any(states):
            t["sla_state"] = SlaState.NONE
        elif TargetState.BREACHED in states:
            t["sla_state"] = SlaState.BREACHED
        elif TargetState.OPEN in states:
            warnings = [t[f"{k}_warning_at"] for k in ("reaction", "resolution") if t[f"{k}_state"] == TargetState.OPEN]
            t["sla_state"] = SlaState.AT_RISK if any(w and w <= now for w in warnings) else SlaState.ON_TRACK
            pending = [t[f"{k}_{w}_at"] for k in ("reaction", "resolution") if t[f"{k}_state"] == TargetState.OPEN
                       for w in ("warning", "due") if t[f"{k}_{w}_at"] and t[f"{k}_{w}_at"] > now]
            t["next_escalation_at"] = min(pending) if pending else None
        elif TargetState.PAUSED in states:
            t["sla_state"] = SlaState.PAUSED
        else:
            t["sla_state"] = SlaState.MET


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


# --- PostgreSQL COPY text format ---------------------------------------------------------------

_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_str(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPE)
    return value


_ENCODERS = {
    type(None): lambda value: "\\N",
    str: _copy_str,
    bool: lambda value: "t" if value else "f",
    int: str,
    datetime: datetime.isoformat,
    date: date.isoformat,
    dict: lambda value: _copy_str(payload_json(value)),
    # The stored codes are plain words: no escaping needed.
    **dict.fromkeys((Status, Category, Severity, Channel, SlaState, TargetState, EventCode), str.__str__),
}


def _encode_other(value) -> str:
    if isinstance(value, str):  # TextChoices members
        return _copy_str(str(value))
    return _copy_str(str(value))


NULL = "\\N"
EVENT_COLUMNS = ["ticket_id", "code", "actor_id", "payload", "is_public", "comment_id", "created_at"]


def _events_text(rows: list[dict]) -> str:
    """The events, the largest table, with their known types written out directly."""
    return "".join(
        f"{r['ticket_id']}\t{str.__str__(r['code'])}\t{NULL if r['actor_id'] is None else r['actor_id']}\t"
        f"{_copy_str(r['payload'])}\t{'t' if r['is_public'] else 'f'}\t"
        f"{NULL if r['comment_id'] is None else r['comment_id']}\t{r['created_at'].isoformat()}\n"
        for r in rows
    )


def copy_text(columns: list[str], rows: list[dict]) -> str:
    """`rows` as the body of a `COPY ... FROM STDIN` in text format (the columns in this order)."""
    if columns == EVENT_COLUMNS:
        return _events_text(rows)
    get = _ENCODERS.get
    return "".join(
        "\t".join([(get(type(value)) or _encode_other)(value) for value in map(row.__getitem__, columns)]) + "\n"
        for row in rows
    )


# --- batches in worker processes -----------------------------------------------------------------

# Set by the command before the worker processes are forked (they inherit it; nothing is pickled).
PLAN: dict = {}
# The agents' names by id, for the assignment events (also set by the command).
PEOPLE: dict[int, str] = {}


def generate_batch(index: int) -> tuple[int, dict[str, list[dict]]]:
    """Batch `index` of the plan: its tickets with their histories, as rows per table. Each batch
    has its own random stream and its own block of comment ids, so the result does not depend on
    which process made it, or when."""
    plan = PLAN
    rng = random.Random(f"{plan['seed']}:{index}")  # noqa: S311 (load data, not secrets)
    generator = TicketGenerator(rng=rng, now=plan["now"], organisations=plan["organisations"])
    first, last = index * plan["batch"], min((index + 1) * plan["batch"], plan["count"])
    next_comment = [plan["comment_base"] + index * plan["batch"] * MAX_COMMENTS]

    def comment_id():
        next_comment[0] += 1
        return next_comment[0]

    batch = {"tickets": [], "comments": [], "events": [], "time_entries": []}
    for offset in range(first, last):
        ticket_id = plan["ticket_base"] + offset
        made = generator.generate(ticket_id=ticket_id, reference=plan["references"][offset],
                                  reported_at=plan["instants"][offset], next_comment_id=comment_id)
        made.ticket["id"] = ticket_id
        batch["tickets"].append(made.ticket)
        batch["comments"].extend(made.comments)
        batch["events"].extend(made.events)
        batch["time_entries"].extend(made.time_entries)
    return index, batch


def generate_batch_as_copy(index: int) -> tuple[int, dict[str, str], dict[str, int]]:
    """`generate_batch`, encoded for COPY in the worker (the parent only streams text)."""
    index, batch = generate_batch(index)
    columns = PLAN["columns"]
    return index, {name: copy_text(columns[name], rows) for name, rows in batch.items()}, {
        name: len(rows) for name, rows in batch.items()
    }
