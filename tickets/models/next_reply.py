"""Next-reply cycles: one row per cycle of a ticket's next-reply target (docs/sla-semantics.md §8).

The ticket carries its current cycle as columns (the clock, the escalation scan's cursor and the
queue's state filter read them there); this row keeps every cycle for the dashboard and the monthly
report, which count decided cycles by their decision instant: a met cycle at `settled_at`, a
breached one at `due_at` (both indexed). Written by `tickets.services.sla` in the transaction of
the event, never elsewhere."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sla.choices import TargetState


class NextReplyCycle(models.Model):
    ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="next_reply_cycles"
    )
    number = models.PositiveIntegerField(_("cycle"))
    target = models.CharField(_("next-reply target"), max_length=20)
    started_at = models.DateTimeField(_("next reply owed since"))
    due_at = models.DateTimeField(_("next reply due at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=TargetState.choices)
    settled_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    business_seconds = models.PositiveIntegerField(_("business time to the reply (s)"), null=True, blank=True)
    # Who answered (the public agent reply that met or breached it; empty when the ticket was
    # resolved or closed without a reply), for the reports by agent.
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("next-reply cycle")
        verbose_name_plural = _("next-reply cycles")
        ordering = ["ticket", "number"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "number"], name="ticket_next_reply_cycle_once"),
        ]
        indexes = [
            models.Index(fields=["settled_at"], name="next_reply_settled_idx"),
            models.Index(fields=["due_at"], name="next_reply_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} #{self.number} {self.state}"
