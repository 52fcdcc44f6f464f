"""The fixed texts that replace removed personal data. They are stored, so they are written in the
installation's language (settings.LANGUAGE_CODE), not in the language of whoever acts."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

ERASED_NAME = _("Deleted person")
REMOVED_TEXT = _("[Removed for data protection]")
REMOVED_FILE = _("[removed file]")


def stored(text) -> str:
    """`text` in the installation's language, as it is written to the database."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)
