# The agent queue's order as stored generated columns, and the index its keyset pagination walks.

import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tickets', '0005_ticket_sla_bookkeeping'),
    ]

    operations = [
        migrations.AddField(
            model_name='ticket',
            name='queue_bucket',
            field=models.GeneratedField(db_persist=True, expression=models.Case(models.When(status__in=('resolved', 'closed'), then=models.Value(2)), models.When(models.Q(models.Q(('reaction_due_at__isnull', False), models.Q(('first_reaction_at__isnull', True), ('reaction_state', 'breached'), _connector='OR')), models.Q(('resolution_due_at__isnull', False), ('resolution_state__in', ('open', 'breached'))), _connector='OR'), then=models.Value(0)), default=models.Value(1), output_field=models.SmallIntegerField()), output_field=models.SmallIntegerField(), verbose_name='queue group'),
        ),
        migrations.AddField(
            model_name='ticket',
            name='queue_sort_at',
            field=models.GeneratedField(db_persist=True, expression=django.db.models.functions.comparison.Coalesce(models.Case(models.When(status__in=('resolved', 'closed'), then=models.Value(None)), models.When(models.Q(('reaction_due_at__isnull', False), models.Q(('first_reaction_at__isnull', True), ('reaction_state', 'breached'), _connector='OR')), then=models.F('reaction_due_at')), models.When(models.Q(('resolution_due_at__isnull', False), ('resolution_state__in', ('open', 'breached'))), then=models.F('resolution_due_at')), default=models.Value(None), output_field=models.DateTimeField()), models.F('reported_at')), output_field=models.DateTimeField(), verbose_name='queue position'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['queue_bucket', 'queue_sort_at', 'id'], name='ticket_queue_order_idx'),
        ),
    ]
