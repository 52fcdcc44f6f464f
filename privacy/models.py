"""Data protection: how long closed tickets keep personal data, and the record of every export
and erasure. The records keep ids, instants and counts, never the personal data itself."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionRule(models.Model):
    """How long an organisation's closed tickets keep their texts and attachments. No rule: kept
    for good. Afterwards the daily retention task anonymises them (`privacy.services.retention_apply`)."""

    organisation = models.OneToOneField(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="retention_rule",
    )
    closed_ticket_days = models.PositiveIntegerField(
        _("keep closed tickets' personal data for (days)"),
        validators=[MinValueValidator(1)],
        help_text=_("Days after closing; then texts and attachments of the ticket are anonymised."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.closed_ticket_days}"

    def clean(self) -> None:
        if self.closed_ticket_days is not None and self.closed_ticket_days < settings.TICKET_REOPEN_DAYS:
            raise ValidationError({"closed_ticket_days": _(
                "At least %(days)d days: a closed ticket can be reopened that long."
            ) % {"days": settings.TICKET_REOPEN_DAYS}})


class AnonymisedTicket(models.Model):
    """One row per ticket whose personal data the retention task removed: the task's memory, so
    it never does a ticket twice."""

    ticket = models.OneToOneField(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    anonymised_at = models.DateTimeField(_("anonymised at"))

    class Meta:
        verbose_name = _("anonymised ticket")
        verbose_name_plural = _("anonymised tickets")

    def __str__(self) -> str:
        return str(self.ticket_id)


class DataExport(models.Model):
    """Who exported whose data, and when."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("exported by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text=_("Empty: from the command line."),
    )
    exported_at = models.DateTimeField(_("exported at"))

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-exported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.exported_at:%Y-%m-%d %H:%M}"


class Erasure(models.Model):
    """Who erased whose data, when and why; one per person (a second request changes nothing).
    The person is kept as an id: its row stays, anonymised, so that tickets keep their links."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("erased by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    erased_at = models.DateTimeField(_("erased at"))
    counts = models.JSONField(_("what was removed"), default=dict, blank=True)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-erased_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.erased_at:%Y-%m-%d %H:%M}"
