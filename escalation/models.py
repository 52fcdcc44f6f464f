"""Escalations: each level that fired for a ticket's target, once ever (a next-reply level: once
per cycle).

The UNIQUE constraint on (ticket, target, level, cycle) is the exactly-once guarantee: whoever inserts
the row acts (notifications, mails); anyone else finds it there and does nothing."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EscalationTarget(models.TextChoices):
    REACTION = "reaction", pgettext_lazy("SLA target", "Reaction")
    RESOLUTION = "resolution", pgettext_lazy("SLA target", "Resolution")
    NEXT_REPLY = "next_reply", pgettext_lazy("SLA target", "Next reply")


class EscalationLevel(models.TextChoices):
    WARNING = "warning", pgettext_lazy("escalation level", "Warning")
    BREACH = "breach", pgettext_lazy("escalation level", "Breach")
    POST_BREACH = "post_breach", pgettext_lazy("escalation level", "Still overdue")


class Escalation(models.Model):
    ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="escalations"
    )
    target = models.CharField(_("target"), max_length=10, choices=EscalationTarget.choices)
    level = models.CharField(_("level"), max_length=12, choices=EscalationLevel.choices)
    due_at = models.DateTimeField(_("due at"), help_text=_("When the level fell due (not when the scan noticed)."))
    fired_at = models.DateTimeField(_("fired at"))
    # The next-reply cycle the level belongs to (0 for the reaction and the resolution): a
    # next-reply level fires once per cycle.
    cycle = models.PositiveIntegerField(_("cycle"), default=0, db_default=0)

    class Meta:
        # The table keeps the name it had when escalations lived in `sla` (moved without copying:
        # see migrations sla 0004 and escalation 0001).
        db_table = "sla_escalation"
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["ticket", "due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "target", "level", "cycle"], name="sla_escalation_once_per_level_and_cycle"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.target} {self.level}"
