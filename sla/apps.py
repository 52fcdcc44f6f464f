from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "sla"
    verbose_name = _("Service levels")

    def ready(self) -> None:
        from accounts.demo import demo_step_register

        from . import demo

        demo_step_register(demo.seed)
