# The model `Escalation`, moved here from `sla` (sla 0004 removed it from that app's state). The
# table `sla_escalation` was created by sla 0003 and is kept as it is, rows included: this adds
# the model to the state only. The content type (and with it the permissions and admin log
# entries) moves along with it.

import django.db.models.deletion
from django.db import migrations, models


def content_type_to_escalation(apps, schema_editor):
    _move_content_type(apps, schema_editor, "sla", "escalation")


def content_type_to_sla(apps, schema_editor):
    _move_content_type(apps, schema_editor, "escalation", "sla")


def _move_content_type(apps, schema_editor, old, new):
    """Rename the content type of an existing database (a fresh one has none yet: post_migrate
    creates it); nothing to do when the new one exists already."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if ContentType.objects.using(db).filter(app_label=new, model="escalation").exists():
        return
    ContentType.objects.using(db).filter(app_label=old, model="escalation").update(app_label=new)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('sla', '0004_escalation_moved_to_escalation_app'),
        ('tickets', '0011_event_time_from_service'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Escalation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('target', models.CharField(choices=[('reaction', 'Reaction'), ('resolution', 'Resolution')], max_length=10, verbose_name='target')),
                        ('level', models.CharField(choices=[('warning', 'Warning'), ('breach', 'Breach'), ('post_breach', 'Still overdue')], max_length=12, verbose_name='level')),
                        ('due_at', models.DateTimeField(help_text='When the level fell due (not when the scan noticed).', verbose_name='due at')),
                        ('fired_at', models.DateTimeField(verbose_name='fired at')),
                        ('ticket', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='escalations', to='tickets.ticket', verbose_name='ticket')),
                    ],
                    options={
                        'verbose_name': 'escalation',
                        'verbose_name_plural': 'escalations',
                        'db_table': 'sla_escalation',
                        'ordering': ['ticket', 'due_at', 'pk'],
                        'constraints': [models.UniqueConstraint(fields=('ticket', 'target', 'level'), name='sla_escalation_once_per_level')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_escalation, content_type_to_sla),
    ]
