"""The log of inbound e-mail: one row per message, keyed on its Message-ID (or a hash of the
message when it has none), so that a message fetched twice is handled once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InboundMail(models.Model):
    class Outcome(models.TextChoices):
        TICKET_OPENED = "ticket_opened", _("Ticket opened")
        REPLY_ADDED = "reply_added", _("Reply added")
        AUTO_ANSWERED = "auto_answered", _("Automatic answer")
        IGNORED = "ignored", _("Ignored")

    message_key = models.CharField(_("message id"), max_length=255, unique=True)
    sender = models.EmailField(_("sender"), max_length=254, blank=True, db_index=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    # A stable code saying why (e.g. "auto_submitted", "unknown_sender", "reader"), never prose.
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # For an automatic answer: the language it is written in, and when it went out.
    answer_language = models.CharField(max_length=8, blank=True)
    answer_message_id = models.CharField(max_length=255, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("inbound e-mail")
        verbose_name_plural = _("inbound e-mails")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["sender", "outcome", "received_at"], name="api_inbound_answers_idx")]

    def __str__(self) -> str:
        return f"{self.sender} {self.outcome}"
