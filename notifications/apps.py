from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """The one kind of mail that belongs to no upper app: the password reset; the check that
        SITE_URL names the public site (deploy)."""
        from . import checks  # noqa: F401  (registers the check)
        from .kinds import kind_register
        from .password_reset import PASSWORD_RESET_KIND

        kind_register(PASSWORD_RESET_KIND)
