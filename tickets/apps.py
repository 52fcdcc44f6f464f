from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Tickets")

    def ready(self) -> None:
        from accounts.demo import demo_step_register
        from notifications.kinds import kind_register
        from notifications.preferences import topic_register
        from products import signals as product_signals
        from sla import signals

        from . import absence_kinds, demo, demo_history, demo_workspace, notifications, satisfaction, services, tasks

        demo_step_register(demo.seed)
        demo_step_register(demo_workspace.seed)
        demo_step_register(demo_history.seed)  # after the current tickets: the first reference is Müller's
        # Ticket mail: its kinds (templates, context) and the settings that choose who gets it.
        for kind in notifications.KINDS:
            kind_register(kind)
        kind_register(absence_kinds.KIND)  # an agent absent with open tickets: their leads' bell
        kind_register(satisfaction.KIND)  # the satisfaction survey's mail
        for topic in notifications.TOPICS:
            topic_register(topic)

        def calendar_changed(sender, calendar_id: int, **kwargs) -> None:
            tasks.sla_recompute_for_calendar.delay(calendar_id)

        signals.calendar_changed.connect(calendar_changed, dispatch_uid="tickets.sla_recompute_for_calendar")

        def release_published(sender, release, now, **kwargs) -> None:
            services.tickets_fix_released(release=release, now=now)  # in the publication's transaction

        product_signals.release_published.connect(release_published, dispatch_uid="tickets.fix_released")
