# Indexes for the manager dashboard (reports): every figure of a period counts the tickets
# whose reaction or resolution was decided in it, and the decision instants are these columns
# (reports/outcomes.py). With them PostgreSQL reads only the period's tickets (a BitmapOr
# over the indexes, with reported_at and status, which are indexed already) instead of the whole
# table: 1,000,000 tickets, 30 days: about 40,000 rows instead of a sequential scan of all.
#
# Plain SQL, not Meta.indexes: the dashboard (reports) owns the need, the tickets app the table. If
# the tickets app adopts them in Ticket.Meta.indexes, replace this with AddIndex operations of
# the same names. PostgreSQL builds them CONCURRENTLY (no lock on a live table), hence atomic=False.

from django.db import migrations

INDEXES = {
    "ticket_first_reaction_idx": "first_reaction_at",
    "ticket_resolved_at_idx": "resolved_at",
    "ticket_closed_at_idx": "closed_at",
    "ticket_reaction_due_idx": "reaction_due_at",
    "ticket_resolution_due_idx": "resolution_due_at",
}


def create_indexes(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    quote = schema_editor.quote_name
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX {concurrently}IF NOT EXISTS {quote(name)} ON {quote('tickets_ticket')} ({quote(column)})"
        )


def drop_indexes(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("tickets", "0009_ticket_search_index"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
