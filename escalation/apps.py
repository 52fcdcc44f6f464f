from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationConfig(AppConfig):
    name = "escalation"
    verbose_name = _("Escalation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Plug into the layers below, which know nothing of escalation: the notification kinds
        (texts and mail, the daily digest), the mail settings per level, the escalations in the
        agent workspace's timeline, and the scan in the demo's history."""
        from accounts.demo import demo_step_register
        from notifications.kinds import kind_register
        from notifications.preferences import topic_register
        from tickets.demo_history import demo_history_hook_register
        from tickets.timeline import timeline_source_register

        from . import demo, digest, kinds, selectors

        kind_register(kinds.SLA_ESCALATION_KIND)
        kind_register(digest.SLA_ESCALATION_DIGEST_KIND)
        for topic in digest.TOPICS:
            topic_register(topic)
        timeline_source_register(selectors.escalation_timeline_items)
        demo_history_hook_register(demo.catch_up)
        demo_step_register(demo.seed)
