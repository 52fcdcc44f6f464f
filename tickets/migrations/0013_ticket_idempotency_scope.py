# A filing's idempotency key is scoped to who filed it, not to the requester
# (`tickets.services.creation.filing_key`): filed in one's own name, the key is stored as sent and
# the per-requester constraint of Ticket.Meta keeps it unique; filed for someone else or for nobody
# (agents, devices), the stored key is a digest naming the filer. These two indexes complete that:
# - filings without a requester (an agent's, a device's) are unique by their stored key, so two
#   identical requests racing each other file one ticket (NULL requesters escape the old
#   constraint);
# - an agent's repeat is found by its stored key whatever requester it named (to answer a repeat
#   that names another requester with a conflict).
# Both are partial (non-empty keys only): a filing without a key, the API's fast path, does not
# maintain them.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("tickets", "0012_sla_snapshot_post_breach_and_fired_levels"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="ticket",
            constraint=models.UniqueConstraint(
                fields=("idempotency_key",),
                condition=models.Q(requester__isnull=True) & ~models.Q(idempotency_key=""),
                name="ticket_unique_idempotency_key_without_requester",
            ),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                fields=["idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="ticket_idempotency_key_idx",
            ),
        ),
    ]
