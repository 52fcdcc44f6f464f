from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = _("Live chat")

    def ready(self) -> None:
        from accounts.demo import demo_step_register
        from notifications.kinds import kind_register

        from . import demo, mail, tasks  # noqa: F401 - the periodic task registers with Celery

        demo_step_register(demo.seed)
        kind_register(mail.TRANSCRIPT_KIND)
