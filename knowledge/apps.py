from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        from accounts.demo import demo_step_register
        from tickets import extensions

        from . import demo, filing

        demo_step_register(demo.seed)
        # The filing form's suggestions, what a filing records, and the ticket pages' linked articles:
        # `tickets` offers the hooks and never imports this app.
        extensions.filing_panel_register(filing.suggestion_panel)
        extensions.ticket_filed_register(filing.ticket_filed)
        extensions.ticket_section_register(filing.linked_articles_section)
