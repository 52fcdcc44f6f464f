# Effort: time entries per ticket (the monthly effort report reads them).

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tickets', '0006_queue_order'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='TimeEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('worked_on', models.DateField(db_index=True, verbose_name='worked on')),
                ('minutes', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(1440)], verbose_name='minutes')),
                ('work_type', models.CharField(choices=[('analysis', 'Analysis'), ('remote', 'Remote maintenance'), ('on_site', 'On site'), ('development', 'Development'), ('communication', 'Communication with the customer'), ('configuration', 'Configuration'), ('other', 'Other')], default='analysis', max_length=20, verbose_name='work type')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='note')),
                ('billable', models.BooleanField(default=True, verbose_name='billable')),
                ('out_of_hours', models.BooleanField(default=False, help_text='Work outside the support hours (paid out-of-hours service).', verbose_name='out of hours')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='logged at')),
                ('agent', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='time_entries', to=settings.AUTH_USER_MODEL, verbose_name='agent')),
                ('ticket', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='time_entries', to='tickets.ticket', verbose_name='ticket')),
            ],
            options={
                'verbose_name': 'time entry',
                'verbose_name_plural': 'time entries',
                'ordering': ['worked_on', 'created_at', 'pk'],
                'indexes': [models.Index(fields=['ticket', 'worked_on'], name='time_entry_ticket_day_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('minutes__gte', 1), ('minutes__lte', 1440)), name='time_entry_minutes_range')],
            },
        ),
    ]
