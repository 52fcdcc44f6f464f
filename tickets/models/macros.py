"""Macros: a team's or one agent's prepared action on a ticket. One macro inserts a reply (or an
internal note) with the canned replies' placeholders (`tickets.canned`) and sets fields (status,
severity with its reason, team, assignee, tags) in one action, previewed before it is applied and
written as one history entry (`tickets.services.macros`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sla.choices import Severity, Status


class Macro(models.Model):
    title = models.CharField(_("title"), max_length=100)
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="macros", help_text=_("A team's macro: for the team's members and the team's tickets."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("personal macro of"), on_delete=models.CASCADE, null=True,
        blank=True, related_name="macros",
    )
    reply = models.TextField(
        _("reply"), blank=True,
        help_text=_("Markdown. Placeholders: {customer_name}, {reference}, {deadline}, {agent_name}."),
    )
    reply_is_internal = models.BooleanField(_("as an internal note"), default=False)
    status = models.CharField(_("set status"), max_length=20, choices=Status.choices, blank=True)
    severity = models.CharField(_("set severity"), max_length=10, choices=Severity.choices, blank=True)
    severity_reason = models.CharField(
        _("reason for the severity"), max_length=200, blank=True, help_text=_("Required with a severity.")
    )
    set_team = models.ForeignKey(
        "accounts.Team", verbose_name=_("move to team"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    set_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assign to"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    add_tags = models.CharField(_("add tags"), max_length=500, blank=True, help_text=_("Separated by commas."))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("macro")
        verbose_name_plural = _("macros")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(team__isnull=False, owner__isnull=True) | Q(team__isnull=True, owner__isnull=False),
                name="macro_of_a_team_or_a_person",
            ),
            models.CheckConstraint(condition=Q(severity="") | ~Q(severity_reason=""),
                                   name="macro_severity_with_reason"),
        ]

    def __str__(self) -> str:
        return self.title
