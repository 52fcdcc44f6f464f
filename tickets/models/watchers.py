"""Who else hears about a ticket: colleagues of the customer's organisation whom a contact added
(they get the customer's ticket mails, like the requester), and agents who follow a ticket (they
get the agents' mails). Written by `tickets.services.watchers`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketWatcher(models.Model):
    ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="watchers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="watched_tickets"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("watcher")
        verbose_name_plural = _("watchers")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "user"], name="ticket_watcher_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} watches {self.ticket_id}"
