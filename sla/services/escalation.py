"""The escalation scan: find tickets whose warning, deadline or post-breach instant has passed
without its level having fired, record each level once, tell the right people in the same
transaction, and move the ticket's `next_escalation_at` on.

Exactly once: a level is a row with a UNIQUE (ticket, target, level); it is inserted with
ON CONFLICT DO NOTHING ... RETURNING, and only the transaction that inserted it writes the
notifications and outbox mails. Tickets are row-locked (FOR UPDATE SKIP LOCKED on PostgreSQL;
SQLite serialises writers), so two scans at once split the work instead of doubling it, and a
scan that dies before committing leaves everything to the next one. Who is told:
`sla.escalation_recipients`. The bulk statements: `sla.escalation_sql`."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from notifications.kinds import SLA_ESCALATION
from notifications.services import NotificationRow, OutboxRow, notifications_create_rows, outbox_mails_add_rows
from sla.escalation_recipients import Audience
from sla.escalation_schedule import FIRED_ATTR, LEVELS_ATTR, due_levels, ticket_levels
from sla.escalation_sql import Escalated, escalations_insert, fired_levels_for, tickets_update
from sla.models import Calendar, Policy
from tickets.services.sla import SLA_FIELDS

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000  # tickets locked and escalated per transaction (each commit costs a disk flush)
MAX_TICKETS_PER_SCAN = 200_000  # the rest waits for the next tick, a minute later
RETRY_BROKEN_AFTER = timedelta(minutes=15)  # a ticket whose levels cannot be computed is tried again then


# The ticket columns the scan reads: the SLA bookkeeping (`tickets.services.sla.SLA_FIELDS`) and
# what the recipients and the payload need.
SCAN_COLUMNS = (
    "pk", *(f"{name}_id" if name in ("sla_policy", "sla_calendar") else name for name in SLA_FIELDS),
    "reference", "status", "organisation_id", "team_id", "assignee_id",
)


class TicketRow:
    """The scan's view of a ticket: its columns as attributes, no model instance (building
    10,000 model instances a minute would cost more than all the rest of the scan's Python).
    `tickets.services.sla` reads and sets the SLA attributes on it as on a ticket."""

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
        self.calendars: dict = {}  # engine calendars by id
        self.policies = {p.pk: p for p in Policy.objects.all()}
        self.calendar_rows = {c.pk: c for c in Calendar.objects.all()}

    def _lock(self, batch_size: int) -> list[TicketRow]:
        from tickets.models import Ticket

        rows = (
            Ticket.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(next_escalation_at__lte=self.now)
            .order_by("next_escalation_at", "pk")
            .values_list(*SCAN_COLUMNS)[:batch_size]
        )
        tickets = [TicketRow(zip(SCAN_COLUMNS, row, strict=True)) for row in rows]
        for ticket in tickets:  # the few policies and calendars, shared instead of joined per row
            ticket.sla_policy = self.policies.get(ticket.sla_policy_id)
            ticket.sla_calendar = self.calendar_rows.get(ticket.sla_calendar_id)
        return tickets

    def batch(self, batch_size: int) -> list[Fired] | None:
        """Escalate one batch in one transaction; None when nothing (new) is due."""
        from tickets.services.sla import sla_state_compute

        now = self.now
        with transaction.atomic():
            tickets = [t for t in self._lock(batch_size) if t.pk not in self.seen]
            if not tickets:
                return None
            if settings.ESCALATION_SCAN_TEST_DELAY:  # the services test kills a worker here
                time.sleep(settings.ESCALATION_SCAN_TEST_DELAY)
            self.seen.update(t.pk for t in tickets)
            by_pk = {ticket.pk: ticket for ticket in tickets}
            fired_sets = fired_levels_for(list(by_pk))
            candidates, failed = [], {}
            for ticket in tickets:
                try:
                    setattr(ticket, LEVELS_ATTR, ticket_levels(ticket, calendars=self.calendars))
                    due = due_levels(ticket, now=now, fired=fired_sets[ticket.pk])
                except Exception:  # one broken ticket must not hold up the others
                    logger.exception("escalation scan: ticket %s skipped", ticket.pk)
                    failed[ticket.pk] = ticket
                    continue
                candidates += [(ticket.pk, level) for level in due]
            inserted = escalations_insert(candidates, now)
            fired = self._tell(inserted, by_pk)
            for escalation in inserted:
                fired_sets[escalation.ticket_id].add((escalation.target, escalation.level))
            changed_tickets, fields = [], {"next_escalation_at"} if failed else set()
            for ticket in tickets:
                setattr(ticket, FIRED_ATTR, fired_sets[ticket.pk])
                try:
                    changed = [] if ticket.pk in failed else sla_state_compute(ticket=ticket, now=now)
                except Exception:
                    logger.exception("escalation scan: state of ticket %s not updated", ticket.pk)
                    failed[ticket.pk], changed = ticket, []
                if ticket.pk in failed:
                    ticket.next_escalation_at, changed = now + RETRY_BROKEN_AFTER, ["next_escalation_at"]
                if changed:
                    ticket.updated_at = now
                    changed_tickets.append(ticket)
                    fields.update(changed)
            tickets_update(changed_tickets, [*sorted(fields), "updated_at"])
        return fired

    def _tell(self, inserted: list[Escalated], by_pk: dict) -> list[Fired]:
        """An in-app notification and an outbox mail per recipient of each new escalation."""
        self.audience.load_for([by_pk[escalation.ticket_id] for escalation in inserted])
        fired: list[Fired] = []
        notifications: list[NotificationRow] = []
        mails: list[OutboxRow] = []
        for escalation in inserted:
            ticket = by_pk[escalation.ticket_id]
            recipients = self.audience.recipients(ticket=ticket, level=escalation.level)
            payload = {
                "target": escalation.target,
                "level": escalation.level,
                "due_at": escalation.due_at.isoformat(),
                "reference": ticket.reference,
            }
            for person in recipients:
                notifications.append(NotificationRow(person.pk, SLA_ESCALATION, payload, ticket.pk))
                if person.email:
                    key = f"sla-escalation:{escalation.pk}:{person.pk}"
                    mails.append(OutboxRow(key, person.pk, SLA_ESCALATION, payload, ticket.pk))
            fired.append(Fired(escalation, ticket.reference, len(recipients)))
        notifications_create_rows(rows=notifications, now=self.now)
        outbox_mails_add_rows(rows=mails, now=self.now)
        return fired
