from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Tickets")

    def ready(self) -> None:
        from sla import signals

        from . import tasks

        def calendar_changed(sender, calendar_id: int, **kwargs) -> None:
            tasks.sla_recompute_for_calendar.delay(calendar_id)

        signals.calendar_changed.connect(calendar_changed, dispatch_uid="tickets.sla_recompute_for_calendar")
