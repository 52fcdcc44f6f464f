from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationConfig(AppConfig):
    name = "escalation"
    verbose_name = _("Escalation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Plug into the layers below, which know nothing of escalation: the notification kind
        (texts and mail) and the escalations in the agent workspace's timeline."""
        from notifications.kinds import kind_register
        from tickets.timeline import timeline_source_register

        from . import kinds, selectors

        kind_register(kinds.SLA_ESCALATION_KIND)
        timeline_source_register(selectors.escalation_timeline_items)
