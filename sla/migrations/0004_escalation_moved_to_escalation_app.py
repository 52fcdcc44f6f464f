# Escalations moved to the `escalation` app. The table `sla_escalation` stays as it is (name,
# constraint, indexes, rows): this removes the model from `sla`'s state only, and
# escalation 0001 adds it to the new app's state, again without touching the database.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('sla', '0003_escalations'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Escalation'),
            ],
            database_operations=[],
        ),
    ]
