"""The escalation scan: find tickets whose warning, deadline or post-breach instant has passed
without its level having fired, record each level once, tell the right people in the same
transaction, and move the ticket's `next_escalation_at` on.

Exactly once: a level is a row with a UNIQUE (ticket, target, level); it is inserted with
ON CONFLICT DO NOTHING ... RETURNING, and only the transaction that inserted it writes the
notifications and outbox mails; the ticket keeps the levels that fired as bits
(`escalations_fired`, `sla.engine.clock`), set in the same transaction. Tickets are row-locked
(FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite serialises writers), so two scans at once split the
work instead of doubling it, and a scan that dies before committing leaves everything to the next
one. Who is told: `escalation.recipients`. The bulk statements: `escalation.sql`. What is told:
the payload of the `sla_escalation` kind (`escalation.kinds`)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from notifications.preferences import MAIL, Modes
from notifications.services import NotificationRow, OutboxRow, notifications_create_rows, outbox_mails_add_rows
from sla import engine
from sla.engine.clock import whole_second
from sla.models import Calendar
from tickets.models import Ticket
from tickets.services.sla import SLA_FIELDS, sla_state_compute

from .digest import TOPIC_FOR_LEVEL
from .kinds import SLA_ESCALATION
from .models import EscalationLevel
from .recipients import Audience
from .schedule import business_for, due_levels, mark_fired
from .sql import Escalated, escalations_insert, tickets_update

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000  # tickets locked and escalated per transaction (each commit costs a disk flush)
MAX_TICKETS_PER_SCAN = 200_000  # the rest waits for the next tick, a minute later
RETRY_BROKEN_AFTER = timedelta(minutes=15)  # a ticket whose levels cannot be computed is tried again then


# The ticket columns the scan reads: the SLA bookkeeping (`tickets.services.sla.SLA_FIELDS`) and
# what the recipients and the payload need.
SCAN_COLUMNS = (
    "pk", *(f"{name}_id" if name in ("sla_policy", "sla_calendar") else name for name in SLA_FIELDS),
    "escalations_fired", "reference", "status", "organisation_id", "team_id", "assignee_id",
)


class TicketRow:
    """The scan's view of a ticket: its columns as attributes, no model instance (building
    10,000 model instances a minute would cost more than all the rest of the scan's Python).
    It carries every attribute of a *clocked* object (`sla.engine.clock`), which is all the
    target clock and `tickets.services.sla.sla_state_compute` read and set."""

    def __init__(self, pairs) -> None:
        self.__dict__.update(pairs)

    def __repr__(self) -> str:
        return f"<TicketRow {self.pk} {self.reference}>"


class Fired(NamedTuple):
    """What the scan escalated (for the command's output and the task's result)."""

    escalation: Escalated
    reference: str
    recipients: int


def escalation_scan(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> list[Fired]:
    """Escalate every level that fell due at or before `now` (read once) and has not fired.

    Each batch locks the earliest due tickets that nobody else holds (SKIP LOCKED), through the
    index on `next_escalation_at`; a handled ticket's cursor moves past `now`, so the next batch
    reads the next ones. Idempotent: running it twice, or in two workers at once, fires nothing
    twice."""
    now = now or timezone.now()
    scan = _Scan(now)
    fired: list[Fired] = []
    while len(scan.seen) < MAX_TICKETS_PER_SCAN:
        batch = scan.batch(batch_size)
        if batch is None:
            break
        fired += batch
    else:
        logger.warning("escalation scan: more than %d tickets due; the rest follows next tick", len(scan.seen))
    if fired:
        logger.info("escalation scan at %s: %d levels fired", now.isoformat(), len(fired))
    return fired


class _Scan:
    """One scan's state: `now`, the tickets it has handled, and what it read once (policies,
    calendars, the people to tell)."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.seen: set[int] = set()
        self.audience = Audience()
        self.modes = Modes()  # the people's mail settings, read once per scan
        self.calendars: dict = {}  # engine calendars by id
        self.calendar_rows = {c.pk: c for c in Calendar.objects.all()}

    def _lock(self, batch_size: int) -> list[TicketRow]:
        rows = (
            Ticket.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(next_escalation_at__lte=self.now)
            .order_by("next_escalation_at", "pk")
            .values_list(*SCAN_COLUMNS)[:batch_size]
        )
        tickets = [TicketRow(zip(SCAN_COLUMNS, row, strict=True)) for row in rows]
        for ticket in tickets:  # the few calendars, shared instead of joined per row
            ticket.sla_calendar = self.calendar_rows.get(ticket.sla_calendar_id)
        return tickets

    def batch(self, batch_size: int) -> list[Fired] | None:
        """Escalate one batch in one transaction; None when nothing (new) is due."""
        now = self.now
        with transaction.atomic():
            tickets = [t for t in self._lock(batch_size) if t.pk not in self.seen]
            if not tickets:
                return None
            self.seen.update(t.pk for t in tickets)
            by_pk = {ticket.pk: ticket for ticket in tickets}
            due: dict[int, list] = {}
            failed: dict[int, TicketRow] = {}
            for ticket in tickets:
                try:
                    due[ticket.pk] = due_levels(ticket, now=now, calendars=self.calendars)
                except Exception:  # one broken ticket must not hold up the others
                    logger.exception("escalation scan: ticket %s skipped", ticket.pk)
                    failed[ticket.pk] = ticket
            inserted = escalations_insert([(pk, level) for pk, levels in due.items() for level in levels], now)
            fired = self._tell(inserted, by_pk)
            changed_tickets, fields = [], {"next_escalation_at"} if failed else set()
            for ticket in tickets:
                # Fired, whether this scan inserted the row or found it there (ON CONFLICT).
                fired_now = due.get(ticket.pk, [])
                mark_fired(ticket, fired_now)
                try:
                    changed = [] if ticket.pk in failed else sla_state_compute(
                        ticket=ticket, now=now, business=business_for(ticket, calendars=self.calendars)
                    )
                except Exception:
                    logger.exception("escalation scan: state of ticket %s not updated", ticket.pk)
                    failed[ticket.pk], changed = ticket, []
                if ticket.pk in failed:
                    ticket.next_escalation_at, changed = now + RETRY_BROKEN_AFTER, ["next_escalation_at"]
                if fired_now:
                    changed = [*changed, "escalations_fired"]
                if changed:
                    ticket.updated_at = now
                    changed_tickets.append(ticket)
                    fields.update(changed)
            tickets_update(changed_tickets, [*sorted(fields), "updated_at"])
        return fired

    def _tell(self, inserted: list[Escalated], by_pk: dict) -> list[Fired]:
        """An in-app notification per recipient of each new escalation, and an outbox mail for
        those who get this level's mail at once (the others: the daily digest, or no mail;
        `escalation.digest`)."""
        self.audience.load_for([by_pk[escalation.ticket_id] for escalation in inserted])
        told = [
            (escalation, self.audience.recipients(ticket=by_pk[escalation.ticket_id], level=escalation.level))
            for escalation in inserted
        ]
        self.modes.load(person.pk for _escalation, recipients in told for person in recipients)
        fired: list[Fired] = []
        notifications: list[NotificationRow] = []
        mails: list[OutboxRow] = []
        for escalation, recipients in told:
            ticket = by_pk[escalation.ticket_id]
            payload = self._payload(escalation, ticket)
            topic = TOPIC_FOR_LEVEL.get(escalation.level, "")
            for person in recipients:
                notifications.append(NotificationRow(person.pk, SLA_ESCALATION, payload, ticket.pk))
                if person.email and self.modes.mode(person, topic) == MAIL:
                    key = f"sla-escalation:{escalation.pk}:{person.pk}"
                    mails.append(OutboxRow(key, person.pk, SLA_ESCALATION, payload, ticket.pk))
            fired.append(Fired(escalation, ticket.reference, len(recipients)))
        notifications_create_rows(rows=notifications, now=self.now)
        outbox_mails_add_rows(rows=mails, now=self.now)
        return fired

    def _payload(self, escalation: Escalated, ticket: TicketRow) -> dict:
        """What the texts need (`escalation.kinds`): the target's real due instant (`due_at`), when
        the level fell due (`level_at`) and, for a warning, the business time left from then until
        the due instant (`left_seconds`, on the ticket's snapshot calendar)."""
        due = getattr(ticket, f"{escalation.target}_due_at", None) or escalation.due_at
        payload = {
            "target": escalation.target,
            "level": escalation.level,
            "due_at": due.isoformat(),
            "level_at": escalation.due_at.isoformat(),
            "reference": ticket.reference,
        }
        if escalation.cycle:
            payload["cycle"] = escalation.cycle
        if escalation.level == EscalationLevel.WARNING:
            payload["left_seconds"] = self._business_seconds(ticket, escalation.due_at, due)
        return payload

    def _business_seconds(self, ticket: TicketRow, start: datetime, end: datetime) -> int | None:
        """Business seconds in [start, end) on the ticket's calendar; None when the engine cannot
        tell (no calendar, a date beyond the calendar's holiday years)."""
        business = business_for(ticket, calendars=self.calendars)
        if business is None:
            return None
        try:
            start, end = whole_second(start), whole_second(end)
            return engine.elapsed(business, start, end).seconds if end > start else 0
        except engine.EngineError as problem:
            logger.warning("escalation scan: no business time left for ticket %s: %s", ticket.pk, problem)
            return None
