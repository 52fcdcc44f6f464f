"""The escalation scan's bulk statements: one statement per batch on PostgreSQL (arrays through
``unnest``), portable SQL or Django's bulk methods on SQLite (a development machine's volumes)."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from django.db import connection

from tickets.models import Ticket

from .models import Escalation
from .schedule import Level

_CHUNK = 1000
_CONFLICT = "ON CONFLICT (ticket_id, target, level, cycle) DO NOTHING RETURNING id, ticket_id, target, level, cycle"


class Escalated(NamedTuple):
    """An escalation row this scan inserted."""

    pk: int
    ticket_id: int
    target: str
    level: str
    due_at: datetime
    fired_at: datetime
    cycle: int = 0  # the next-reply cycle (0 for the reaction and the resolution)


def escalations_insert(candidates: list[tuple[int, Level]], now: datetime) -> list[Escalated]:
    """INSERT (ticket id, level) rows, skipping any that exist (ON CONFLICT DO NOTHING); returns
    only the rows this call inserted (RETURNING): only their inserter acts on them."""
    if not candidates:
        return []
    table = connection.ops.quote_name(Escalation._meta.db_table)
    due = {(ticket_id, level.target, level.level, level.cycle): level.at for ticket_id, level in candidates}
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            columns = [list(c) for c in zip(*[(t, lv.target, lv.level, lv.at, lv.cycle) for t, lv in candidates],
                                            strict=True)]
            cursor.execute(
                f"INSERT INTO {table} (ticket_id, target, level, due_at, cycle, fired_at) "  # noqa: S608
                "SELECT t, g, l, d, c, %s FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::timestamptz[], "
                f"%s::integer[]) AS v(t, g, l, d, c) {_CONFLICT}",
                [now, *columns],
            )
            rows = cursor.fetchall()
        else:
            adapt = connection.ops.adapt_datetimefield_value
            for start in range(0, len(candidates), _CHUNK):
                chunk = candidates[start:start + _CHUNK]
                params: list = []
                for ticket_id, level in chunk:
                    params += [ticket_id, level.target, level.level, adapt(level.at), level.cycle, adapt(now)]
                values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
                cursor.execute(
                    f"INSERT INTO {table} (ticket_id, target, level, due_at, cycle, fired_at) "  # noqa: S608
                    f"VALUES {values} {_CONFLICT}",
                    params,
                )
                rows += cursor.fetchall()
    inserted = [Escalated(pk, t, g, lv, due[(t, g, lv, c)], now, c) for pk, t, g, lv, c in rows]
    inserted.sort(key=lambda escalation: (escalation.ticket_id, escalation.due_at))
    return inserted


def tickets_update(tickets: list, fields: list[str]) -> None:
    """Write `fields` of many tickets (model instances or the scan's rows: objects with `pk` and
    the fields as attributes): one UPDATE ... FROM unnest(...) on PostgreSQL."""
    if not tickets:
        return
    if connection.vendor != "postgresql":
        rows = [Ticket(pk=ticket.pk, **{name: getattr(ticket, name) for name in fields}) for ticket in tickets]
        Ticket.objects.bulk_update(rows, fields, batch_size=_CHUNK)
        return
    meta = Ticket._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    arrays = ", ".join(f"%s::{column.db_type(connection)}[]" for column in columns)
    assignments = ", ".join(f"{quote(c.column)} = v.{quote(c.column)}" for c in columns)
    names = ", ".join(quote(c.column) for c in columns)
    # The scan writes plain values (codes, aware datetimes, None) that psycopg2 adapts itself.
    params = [[ticket.pk for ticket in tickets]] + [[getattr(ticket, c.attname) for ticket in tickets] for c in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "  # noqa: S608
            f"FROM unnest(%s::bigint[], {arrays}) AS v(id, {names}) WHERE t.id = v.id",
            params,
        )
