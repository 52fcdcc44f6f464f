from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Data protection: export and erasure of a person's data, retention of closed tickets.
    Above `tickets` (it reads and anonymises their rows), below the channels: `api` adds what it
    stores about a person through `privacy.registry`."""

    name = "privacy"
    verbose_name = _("Data protection")
    default_auto_field = "django.db.models.BigAutoField"
