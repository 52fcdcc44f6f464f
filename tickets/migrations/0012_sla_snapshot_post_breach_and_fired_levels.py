"""The post-breach delay joins the ticket's SLA snapshot (it was read from the live policy), and the
escalation levels that fired are kept on the ticket as bits (`sla.engine.clock.level_bit`), so the
ticket's next escalation instant is computed from the ticket alone."""

from django.db import migrations, models

# (target, level) -> bit, as sla.engine.clock.level_bit numbers them (frozen here).
_BITS = {
    ("reaction", "warning"): 1, ("reaction", "breach"): 2, ("reaction", "post_breach"): 4,
    ("resolution", "warning"): 8, ("resolution", "breach"): 16, ("resolution", "post_breach"): 32,
}


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    ticket = quote("tickets_ticket")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ticket} SET {quote('post_breach_after')} = COALESCE(("  # noqa: S608
            f"SELECT p.{quote('post_breach_after')} FROM {quote('sla_policy')} p "
            f"WHERE p.{quote('id')} = {ticket}.{quote('sla_policy_id')}), '') "
            f"WHERE {quote('sla_policy_id')} IS NOT NULL"
        )
        cases = " ".join(
            f"WHEN e.{quote('target')} = '{target}' AND e.{quote('level')} = '{level}' THEN {bit}"
            for (target, level), bit in _BITS.items()
        )
        cursor.execute(
            f"UPDATE {ticket} SET {quote('escalations_fired')} = ("  # noqa: S608
            f"SELECT COALESCE(SUM(CASE {cases} ELSE 0 END), 0) FROM {quote('sla_escalation')} e "
            f"WHERE e.{quote('ticket_id')} = {ticket}.{quote('id')}) "
            f"WHERE {quote('id')} IN (SELECT {quote('ticket_id')} FROM {quote('sla_escalation')})"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0011_event_time_from_service"),
        ("sla", "0003_escalations"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="post_breach_after",
            field=models.CharField(
                blank=True, max_length=20, verbose_name="escalate again after",
                help_text="Business time after a missed deadline when managers are told again (the policy's, at filing).",
            ),
        ),
        migrations.AddField(
            model_name="ticket",
            name="escalations_fired",
            field=models.PositiveSmallIntegerField(default=0, editable=False, verbose_name="escalation levels fired"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
    ]
