"""Ticket mail goes through the outbox: the log of mails sent by the old mail task
(`NotificationSent`, one row per event and recipient) becomes sent outbox rows with the keys the
outbox uses for ticket mail (``ticket-mail:<event>:<recipient>``), so that the admin lists every
mail in one place and a message of the old task still queued at the upgrade (see
`tickets.notifications.notify_event`) sends nothing twice. Then the log goes."""

from django.db import migrations

KINDS = {
    "confirmation": "ticket_confirmation",
    "agent_reply": "ticket_agent_reply",
    "customer_reply": "ticket_customer_reply",
    "workaround": "ticket_workaround",
    "resolved": "ticket_resolved",
}
BATCH = 5000


def forwards(apps, schema_editor):
    NotificationSent = apps.get_model("tickets", "NotificationSent")
    OutboxMail = apps.get_model("notifications", "OutboxMail")
    rows = (
        NotificationSent.objects.order_by("pk")
        .values_list("event_id", "event__ticket_id", "recipient_id", "kind", "sent_at")
        .iterator(chunk_size=BATCH)
    )
    batch = []
    for event_id, ticket_id, recipient_id, kind, sent_at in rows:
        batch.append(OutboxMail(
            key=f"ticket-mail:{event_id}:{recipient_id}", recipient_id=recipient_id,
            kind=KINDS.get(kind, f"ticket_{kind}"), payload={"event": event_id}, ticket_id=ticket_id,
            status="sent", attempts=1, next_attempt_at=sent_at, created_at=sent_at, sent_at=sent_at,
        ))
        if len(batch) >= BATCH:
            OutboxMail.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    OutboxMail.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ("tickets", "0015_presence_page"),
        ("notifications", "0003_settings_and_mails_without_account"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(name="NotificationSent"),
    ]
