# The escalation scan task moved from `sla.tasks` to `escalation.tasks`. Beat's database scheduler
# (django-celery-beat) keeps its periodic tasks in the database: point every stored entry that
# still names the old task at the new one (beat's own sync by entry name does the same for the
# entry in CELERY_BEAT_SCHEDULE, but not for entries added in the admin), and tell a running beat.

from django.db import migrations
from django.utils import timezone

OLD, NEW = "sla.tasks.escalation_scan", "escalation.tasks.escalation_scan"


def _rename(apps, old, new):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if PeriodicTask.objects.filter(task=old).update(task=new):
        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def forwards(apps, schema_editor):
    _rename(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _rename(apps, NEW, OLD)


class Migration(migrations.Migration):

    dependencies = [
        ('django_celery_beat', '0019_alter_periodictasks_options'),
        ('escalation', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
