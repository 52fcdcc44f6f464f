from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Tickets")

    def ready(self) -> None:
        from accounts.demo import demo_step_register
        from notifications.kinds import kind_register
        from notifications.preferences import topic_register
        from sla import signals

        from . import demo, demo_history, demo_workspace, notifications, satisfaction, tasks

        demo_step_register(demo.seed)
        demo_step_register(demo_workspace.seed)
        demo_step_register(demo_history.seed)  # after the current tickets: the first reference is Müller's
        # Ticket mail: its kinds (templates, context) and the settings that choose who gets it.
        for kind in notifications.KINDS:
            kind_register(kind)
        kind_register(satisfaction.KIND)  # the satisfaction survey's mail
        for topic in notifications.TOPICS:
            topic_register(topic)

        def calendar_changed(sender, calendar_id: int, **kwargs) -> None:
            tasks.sla_recompute_for_calendar.delay(calendar_id)

        signals.calendar_changed.connect(calendar_changed, dispatch_uid="tickets.sla_recompute_for_calendar")
