# Full-text search over reference, subject and description: a GIN index on PostgreSQL only.
# The expression is built by the same code as the queue's search (`tickets.search.search_vector`),
# so the planner matches it. SQLite has no such index: the queue falls back to icontains there.

from django.db import migrations

INDEX_NAME = "ticket_search_idx"


def _index():
    from django.contrib.postgres.indexes import GinIndex

    from tickets.search import search_vector

    return GinIndex(search_vector(), name=INDEX_NAME)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("tickets", "Ticket"), _index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("tickets", "Ticket"), _index())


class Migration(migrations.Migration):

    dependencies = [
        ('tickets', '0008_workspace_canned_views_presence'),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
