"""Into the database: PostgreSQL's COPY (`CopyWriter`) or bulk_create (`OrmWriter`, SQLite and
other databases), one transaction per batch; on PostgreSQL the secondary indexes can be dropped
for the load and rebuilt after it; finally the id sequences follow the explicit ids."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, connections, transaction

from escalation.models import Escalation
from tickets.models import Comment, Ticket, TicketEvent, TimeEntry

TABLES = [(Ticket, "tickets"), (Comment, "comments"), (TicketEvent, "events"), (TimeEntry, "time_entries"),
          (Escalation, "escalations")]
# Tickets and comments get their ids here (events point at them); the database numbers the rest.
EXPLICIT_IDS = {"tickets", "comments"}


def columns(model, name: str) -> list[str]:
    """The columns written for table `name` of TABLES, in COPY order."""
    return [
        f.attname for f in model._meta.concrete_fields
        if not getattr(f, "generated", False) and (f.attname != "id" or name in EXPLICIT_IDS)
    ]


def column_defaults(model, name: str) -> dict:
    """The model's default of every written column: COPY gets them for the columns the generator
    does not write, as bulk_create (`OrmWriter`) fills them in from the model."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return {column: fields[column].get_default() for column in columns(model, name)}


class CopyWriter:
    """Streams COPY text into PostgreSQL, one transaction per batch (the foreign-key triggers are
    skipped when the role may do so: the generated rows are consistent by construction)."""

    def __init__(self):
        self.conn = connections["default"]
        with self.conn.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("SET session_replication_role = replica")

    def write(self, texts: dict[str, str]) -> None:
        with transaction.atomic(), self.conn.cursor() as cursor:
            for model, name in TABLES:
                names = ", ".join(f'"{c}"' for c in columns(model, name))
                cursor.copy_expert(f'COPY "{model._meta.db_table}" ({names}) FROM STDIN', io.StringIO(texts[name]))

    def close(self) -> None:
        with self.conn.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("SET synchronous_commit = DEFAULT")


class OrmWriter:
    """bulk_create in batches: SQLite and other databases (development and tests). The generated
    time stamps are kept (bulk_create would otherwise stamp auto_now fields with "now")."""

    def write(self, batch: dict[str, list[dict]]) -> None:
        with transaction.atomic():
            for model, name in TABLES:
                stamped = [f for f in model._meta.concrete_fields if getattr(f, "auto_now", False)
                           or getattr(f, "auto_now_add", False)]
                flags = [(f, f.auto_now, f.auto_now_add) for f in stamped]
                for f in stamped:
                    f.auto_now = f.auto_now_add = False
                rows = batch[name]
                if model is TicketEvent:  # the generator writes payloads as JSON text (for COPY)
                    rows = [{**row, "payload": json.loads(row["payload"])} for row in rows]
                try:
                    model.objects.bulk_create([model(**row) for row in rows], batch_size=500)
                finally:
                    for f, auto_now, auto_now_add in flags:
                        f.auto_now, f.auto_now_add = auto_now, auto_now_add

    def close(self) -> None:
        pass


def drop_indexes(log: Callable[[str], None]) -> list[tuple[str, str]]:
    """PostgreSQL: drop the secondary indexes of the loaded tables (not primary keys and unique
    constraints) and return their definitions; also written to var/generate_load_indexes-<database>.sql,
    to recreate them by hand should the process be killed before `rebuild_indexes` ran."""
    tables = [model._meta.db_table for model, _name in TABLES]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY indexname",
            [tables],
        )
        indexes = cursor.fetchall()
        backup = settings.VAR_DIR / f"generate_load_indexes-{connection.settings_dict['NAME']}.sql"
        backup.write_text("".join(f"{definition};\n" for _name, definition in indexes), encoding="utf-8")
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    log(f"Dropped {len(indexes)} secondary indexes for the load (definitions in {backup}).")
    return indexes


def rebuild_indexes(indexes: list[tuple[str, str]], log: Callable[[str], None]) -> None:
    if not indexes:
        return
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET max_parallel_maintenance_workers = 2")
        for _name, definition in indexes:
            cursor.execute(definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1)
                           .replace("CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX IF NOT EXISTS", 1))
    log(f"Rebuilt {len(indexes)} indexes in {time.monotonic() - started:.0f} s.")


def reset_sequences() -> None:
    """The id sequences of the loaded tables continue after the highest id (tickets and comments
    got theirs from the generator)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [model for model, _name in TABLES])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
