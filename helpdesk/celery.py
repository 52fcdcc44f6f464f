"""The Celery application. Tasks live in the apps; the beat schedule lives in settings."""

import os
import warnings

from celery import Celery
from celery.exceptions import CPendingDeprecationWarning

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

# Printed (eight lines) on every lost broker connection: we keep running tasks on purpose
# (CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS in settings).
warnings.filterwarnings(
    "ignore", message=r"(?s).*worker_cancel_long_running_tasks_on_connection_loss", category=CPendingDeprecationWarning
)

app = Celery("helpdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
