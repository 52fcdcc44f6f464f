from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API and channels")

    def ready(self):
        from notifications.kinds import kind_register
        from privacy import registry
        from tickets.flags import queue_notice_source_register, ticket_flag_source_register
        from tickets.timeline import timeline_source_register

        from . import (
            personal_data,
            schema,  # noqa: F401  (registers the OpenAPI authentication extensions)
        )
        from .inbound import review
        from .inbound.answers import AUTO_ANSWER_KIND

        # Unverified e-mail held for review: on the ticket's history, its queue row, above the queue.
        timeline_source_register(review.held_mail_timeline_items)
        ticket_flag_source_register(review.held_mail_flags)
        queue_notice_source_register(review.held_mail_notices)

        # The automatic answer to inbound mail, sent through the outbox like every mail.
        kind_register(AUTO_ANSWER_KIND)

        # What the channels store about people, for export, erasure and retention (docs/privacy.md).
        registry.export_section_register("api_tokens", personal_data.export_tokens)
        registry.export_section_register("inbound_mails", personal_data.export_inbound_mails)
        registry.erasure_step_register(personal_data.erase)
        registry.ticket_step_register(personal_data.anonymise_tickets)
