"""The escalation scan: find tickets whose warning, deadline or post-breach instant has passed
without its level having fired, record each level once, tell the right people in the same
transaction, and move the ticket's `next_escalation_at` on.

Exactly once: a level is a row with a UNIQUE (ticket, target, level); it is inserted with
ON CONFLICT DO NOTHING ... RETURNING, and only the transaction that inserted it writes the
notifications and outbox mails. Tickets are row-locked (FOR UPDATE SKIP LOCKED on PostgreSQL;
SQLite serialises writers), so two scans at once split the work instead of doubling it, and a
scan that dies before committing leaves everything for the next one.

Recipients (only active agents who may see the ticket, each person once per level):
- warning: the assignee; when nobody is assigned, the active members of the ticket's team;
  with neither, the managers;
- breach: the team lead and the managers;
- post-breach: the managers."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts import access
from accounts.models import Organisation, User
from notifications.kinds import SLA_ESCALATION
from notifications.services import NotificationRow, OutboxRow, notifications_create_rows, outbox_mails_add_rows
from sla.escalation_schedule import FIRED_ATTR, LEVELS_ATTR, Level, due_levels, ticket_levels
from sla.models import Escalation, EscalationLevel

logger = logging.getLogger(__name__)

BATCH_SIZE = 500  # tickets locked and escalated per transaction
MAX_TICKETS_PER_SCAN = 100_000  # the rest waits for the next tick (a minute later)
_INSERT_CHUNK = 1000


class Fired(NamedTuple):
    """What the scan escalated (for the command's output and the task's result)."""

    escalation: Escalation
    reference: str
    recipients: int


def escalation_scan(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> list[Fired]:
    """Escalate every level that fell due at or before `now` (read once) and has not fired.

    Idempotent: running it twice, or in two workers at once, fires nothing twice."""
    now = now or timezone.now()
    from tickets.models import Ticket

    ids = list(
        Ticket.objects.filter(next_escalation_at__lte=now)
        .order_by("next_escalation_at")
        .values_list("pk", flat=True)[:MAX_TICKETS_PER_SCAN]
    )
    if len(ids) == MAX_TICKETS_PER_SCAN:
        logger.warning("escalation scan: more than %d tickets due; the rest follows next tick", len(ids))
    people = _People()
    fired: list[Fired] = []
    for start in range(0, len(ids), batch_size):
        fired += _escalate_batch(ids[start:start + batch_size], now, people)
    if fired:
        logger.info("escalation scan at %s: %d levels fired", now.isoformat(), len(fired))
    return fired


def _escalate_batch(ids: list[int], now: datetime, people: _People) -> list[Fired]:
    from tickets.models import Ticket
    from tickets.services.sla import sla_state_compute

    with transaction.atomic():
        tickets = list(
            Ticket.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=ids, next_escalation_at__lte=now)
            .select_related("sla_policy", "sla_calendar")
            .order_by("pk")
        )
        if settings.ESCALATION_SCAN_TEST_DELAY:  # the services test kills a worker here
            time.sleep(settings.ESCALATION_SCAN_TEST_DELAY)
        if not tickets:
            return []
        fired_sets: dict[int, set] = defaultdict(set)
        for ticket_id, target, level in Escalation.objects.filter(ticket__in=tickets).values_list(
            "ticket_id", "target", "level"
        ):
            fired_sets[ticket_id].add((target, level))
        candidates: list[tuple[object, Level]] = []
        for ticket in tickets:
            setattr(ticket, LEVELS_ATTR, ticket_levels(ticket, calendars=people.calendars))
            candidates += [(ticket, level) for level in due_levels(ticket, now=now, fired=fired_sets[ticket.pk])]
        inserted = _insert(candidates, now)
        by_pk = {ticket.pk: ticket for ticket in tickets}
        people.load_for([by_pk[escalation.ticket_id] for escalation in inserted])
        fired: list[Fired] = []
        notifications: list[NotificationRow] = []
        mails: list[OutboxRow] = []
        for escalation in inserted:
            ticket = by_pk[escalation.ticket_id]
            escalation.ticket = ticket
            fired_sets[ticket.pk].add((escalation.target, escalation.level))
            recipients = people.recipients(ticket=ticket, level=escalation.level)
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
        notifications_create_rows(rows=notifications, now=now)
        outbox_mails_add_rows(rows=mails, now=now)
        changed_tickets, fields = [], set()
        for ticket in tickets:
            setattr(ticket, FIRED_ATTR, fired_sets[ticket.pk])
            changed = sla_state_compute(ticket=ticket, now=now)
            if changed:
                ticket.updated_at = now
                changed_tickets.append(ticket)
                fields.update(changed)
        _update(changed_tickets, [*sorted(fields), "updated_at"])
    return fired


def _array_type(field) -> str:
    return f"{field.db_type(connection)}[]"


def _update(tickets: list, fields: list[str]) -> None:
    """Write `fields` of many tickets: one UPDATE ... FROM unnest(...) on PostgreSQL; Django's
    bulk_update elsewhere (SQLite: a development machine's volumes)."""
    if not tickets:
        return
    from tickets.models import Ticket

    if connection.vendor != "postgresql":
        Ticket.objects.bulk_update(tickets, fields, batch_size=_INSERT_CHUNK)
        return
    meta = Ticket._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    arrays = ", ".join(f"%s::{_array_type(column)}" for column in columns)
    assignments = ", ".join(f"{quote(c.column)} = v.{quote(c.column)}" for c in columns)
    names = ", ".join(quote(c.column) for c in columns)
    params = [[ticket.pk for ticket in tickets]] + [
        [c.get_db_prep_save(getattr(ticket, c.attname), connection) for ticket in tickets] for c in columns
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "  # noqa: S608
            f"FROM unnest(%s::bigint[], {arrays}) AS v(id, {names}) WHERE t.id = v.id",
            params,
        )


def _insert(candidates: list[tuple[object, Level]], now: datetime) -> list[Escalation]:
    """INSERT the levels, skipping any that exist (ON CONFLICT DO NOTHING); returns only the rows
    this call inserted (RETURNING), so only their inserter acts on them."""
    if not candidates:
        return []
    table = connection.ops.quote_name(Escalation._meta.db_table)
    due = {(ticket.pk, level.target, level.level): level.at for ticket, level in candidates}
    conflict = "ON CONFLICT (ticket_id, target, level) DO NOTHING RETURNING id, ticket_id, target, level"
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} (ticket_id, target, level, due_at, fired_at) "  # noqa: S608
                "SELECT t, g, l, d, %s FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::timestamptz[]) "
                f"AS v(t, g, l, d) {conflict}",
                [now, *[list(column) for column in zip(
                    *[(ticket.pk, level.target, level.level, level.at) for ticket, level in candidates], strict=True
                )]],
            )
            rows = cursor.fetchall()
        else:
            adapt = connection.ops.adapt_datetimefield_value
            for start in range(0, len(candidates), _INSERT_CHUNK):
                chunk = candidates[start:start + _INSERT_CHUNK]
                params: list = []
                for ticket, level in chunk:
                    params += [ticket.pk, level.target, level.level, adapt(level.at), adapt(now)]
                values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
                cursor.execute(
                    f"INSERT INTO {table} (ticket_id, target, level, due_at, fired_at) VALUES {values} {conflict}",  # noqa: S608
                    params,
                )
                rows += cursor.fetchall()
    inserted = [
        Escalation(pk=pk, ticket_id=ticket_id, target=target, level=level,
                   due_at=due[(ticket_id, target, level)], fired_at=now)
        for pk, ticket_id, target, level in rows
    ]
    inserted.sort(key=lambda escalation: (escalation.ticket_id, escalation.due_at))
    return inserted


class _People:
    """Who is told. The managers, the teams and the people of a batch are read once and kept for
    the scan, and so is the set of organisations each person may see."""

    def __init__(self) -> None:
        self._managers: list[User] | None = None
        self._users: dict[int, User] = {}
        self._teams: dict[int, tuple[int | None, list[int]]] = {}
        self._visible: dict[int, set[int]] = {}
        self.calendars: dict = {}  # engine calendars by id, for the post-breach instants

    def load_for(self, tickets) -> None:
        """Read the teams and people the tickets need that are not known yet (two or three queries)."""
        from accounts.models import Team

        team_ids = {t.team_id for t in tickets if t.team_id} - set(self._teams)
        if team_ids:
            members: dict[int, list[int]] = defaultdict(list)
            for team_id, user_id in Team.members.through.objects.filter(team_id__in=team_ids).values_list(
                "team_id", "user_id"
            ):
                members[team_id].append(user_id)
            for team_id, lead_id in Team.objects.filter(pk__in=team_ids).values_list("pk", "lead_id"):
                self._teams[team_id] = (lead_id, members[team_id])
        wanted = {t.assignee_id for t in tickets if t.assignee_id}
        for team_id in {t.team_id for t in tickets if t.team_id}:
            lead_id, member_ids = self._teams.get(team_id, (None, []))
            wanted.update([lead_id, *member_ids] if lead_id else member_ids)
        wanted -= set(self._users)
        if wanted:
            self._users.update((user.pk, user) for user in User.objects.filter(pk__in=wanted))

    def managers(self) -> list[User]:
        if self._managers is None:
            staff = User.objects.filter(is_active=True).exclude(organisation__kind=Organisation.Kind.CUSTOMER)
            self._managers = [user for user in staff if access.is_manager(user)]
            self._users.update((user.pk, user) for user in self._managers)
        return self._managers

    def _may_see(self, user, ticket) -> bool:
        if user.pk not in self._visible:
            self._visible[user.pk] = set(access.organisations_for(user).values_list("pk", flat=True))
        return ticket.organisation_id in self._visible[user.pk]

    def _reachable(self, people, ticket) -> list[User]:
        chosen: dict[int, User] = {}
        for person in people:
            if person is not None and access.is_agent(person) and self._may_see(person, ticket):
                chosen.setdefault(person.pk, person)
        return list(chosen.values())

    def recipients(self, *, ticket, level: str) -> list[User]:
        lead_id, member_ids = self._teams.get(ticket.team_id, (None, [])) if ticket.team_id else (None, [])
        if level == EscalationLevel.WARNING:
            if ticket.assignee_id:
                people = self._reachable([self._users.get(ticket.assignee_id)], ticket)
            else:
                people = self._reachable([self._users.get(pk) for pk in member_ids], ticket)
            return people or self._reachable(self.managers(), ticket)
        if level == EscalationLevel.BREACH:
            return self._reachable([self._users.get(lead_id), *self.managers()], ticket)
        return self._reachable(self.managers(), ticket)
