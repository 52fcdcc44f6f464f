"""The vocabulary that SLA configuration and tickets share: severities, categories, statuses,
target and SLA states. Stable codes are stored; labels are translated when shown. It lives here,
below `tickets`, so that `sla` needs nothing from the apps above it."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Severity(models.TextChoices):
    SEVERE = "severe", pgettext_lazy("severity", "Severe")
    MINOR = "minor", pgettext_lazy("severity", "Minor")


class Category(models.TextChoices):
    FAULT = "fault", _("Fault")
    DATA_LOSS = "data_loss", _("Data loss")
    QUESTION = "question", _("Question")
    CONFIGURATION = "configuration", _("Configuration request")
    ORDER = "order", _("Order")


# Categories for which a severity is required (the contracts' support cases).
CATEGORIES_WITH_SEVERITY = frozenset({Category.FAULT, Category.DATA_LOSS})


class Status(models.TextChoices):
    NEW = "new", pgettext_lazy("ticket status", "New")
    IN_PROGRESS = "in_progress", pgettext_lazy("ticket status", "In progress")
    WAITING_ON_CUSTOMER = "waiting", pgettext_lazy("ticket status", "Waiting on customer")
    WORKAROUND = "workaround", pgettext_lazy("ticket status", "Workaround provided")
    RESOLVED = "resolved", pgettext_lazy("ticket status", "Resolved")
    CLOSED = "closed", pgettext_lazy("ticket status", "Closed")


OPEN_STATUSES = frozenset({Status.NEW, Status.IN_PROGRESS, Status.WAITING_ON_CUSTOMER, Status.WORKAROUND})


class SlaState(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    BREACHED = "breached", _("Breached")
    MET = "met", _("Met")
    PAUSED = "paused", _("Paused")
    NONE = "none", _("No SLA")


class TargetState(models.TextChoices):
    """Where one SLA target (reaction or resolution) of a ticket stands. Met and breached are
    final until a reopen re-opens the resolution target (docs/sla-semantics.md, section 7)."""

    OPEN = "open", pgettext_lazy("SLA target", "Open")
    MET = "met", pgettext_lazy("SLA target", "Met")
    BREACHED = "breached", pgettext_lazy("SLA target", "Breached")
    PAUSED = "paused", pgettext_lazy("SLA target", "Paused")
