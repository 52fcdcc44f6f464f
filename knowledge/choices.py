"""The knowledge base's vocabulary: stable codes with translated labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    HOWTO = "howto", _("How-to")
    FAQ = "faq", _("Frequently asked question")
    KNOWN_PROBLEM = "known_problem", _("Known problem with workaround")
    TRAINING = "training", _("Training")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public (also without signing in)")
    CUSTOMERS = "customers", _("All signed-in customers")
    ORGANISATIONS = "organisations", _("Only the chosen organisations")
    AGENTS = "agents", _("Agents only")


class FilingOutcome(models.TextChoices):
    OPEN = "open", _("Still typing")
    SOLVED = "solved", _("Solved without a ticket")
    FILED = "filed", _("Filed a ticket")


LANGUAGES = ("de", "en")
