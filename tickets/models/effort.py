"""Effort: time an agent spent on a ticket. One row per entry, never summed into the ticket, so the
monthly effort report (per customer and month, at the contract's daily rate) reads them directly:
`worked_on` is the day the work was done, `minutes` the time, `billable` and `out_of_hours` the
two flags the invoice needs.

An entry is never removed: deleting sets `deleted_at`/`deleted_by` (the history keeps the event).
`TimeEntry.objects` (and `ticket.time_entries`) are the live entries that every total and report
reads; `TimeEntry.all_objects` includes the deleted ones."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MAX_MINUTES_PER_ENTRY = 24 * 60


class WorkType(models.TextChoices):
    ANALYSIS = "analysis", pgettext_lazy("work type", "Analysis")
    REMOTE = "remote", pgettext_lazy("work type", "Remote maintenance")
    ON_SITE = "on_site", pgettext_lazy("work type", "On site")
    DEVELOPMENT = "development", pgettext_lazy("work type", "Development")
    COMMUNICATION = "communication", pgettext_lazy("work type", "Communication with the customer")
    CONFIGURATION = "configuration", pgettext_lazy("work type", "Configuration")
    OTHER = "other", pgettext_lazy("work type", "Other")


class LiveTimeEntries(models.Manager):
    """The entries that count: not deleted."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class AllTimeEntries(models.Manager):
    """Every entry, deleted ones included (the history, the admin)."""


class TimeEntry(models.Model):
    ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="time_entries"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.PROTECT, related_name="time_entries"
    )
    worked_on = models.DateField(_("worked on"), db_index=True)
    minutes = models.PositiveIntegerField(
        _("minutes"), validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES_PER_ENTRY)]
    )
    work_type = models.CharField(_("work type"), max_length=20, choices=WorkType.choices, default=WorkType.ANALYSIS)
    note = models.CharField(_("note"), max_length=500, blank=True)
    billable = models.BooleanField(_("billable"), default=True)
    out_of_hours = models.BooleanField(
        _("out of hours"), default=False, help_text=_("Work outside the support hours (paid out-of-hours service).")
    )
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("deleted by"), on_delete=models.PROTECT, null=True, blank=True,
        editable=False, related_name="+",
    )

    objects = LiveTimeEntries()
    all_objects = AllTimeEntries()

    class Meta:
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        ordering = ["worked_on", "created_at", "pk"]
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["ticket", "worked_on"], name="time_entry_ticket_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1, minutes__lte=MAX_MINUTES_PER_ENTRY),
                name="time_entry_minutes_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.minutes} min ({self.work_type})"
