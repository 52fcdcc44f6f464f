"""The log of inbound e-mail: one row per message, keyed on its Message-ID (or a hash of the
message when it has none), so that a message fetched twice is handled once. A mail that could not
be verified (docs/mail-trust.md) is kept here too, held for an agent's review: its text and the
message itself until it is accepted or discarded; who did which, and when, stays."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InboundMail(models.Model):
    class Outcome(models.TextChoices):
        TICKET_OPENED = "ticket_opened", _("Ticket opened")
        REPLY_ADDED = "reply_added", _("Reply added")
        HELD = "held", _("Held for review")
        AUTO_ANSWERED = "auto_answered", _("Automatic answer")
        IGNORED = "ignored", _("Ignored")

    class Trust(models.TextChoices):
        """How the mail's sender was established (`api.inbound.trust`)."""

        TOKEN = "token", _("Reply address of the ticket")
        AUTHENTICATED = "authenticated", _("Sender's domain authenticated (DMARC or SPF)")
        UNVERIFIED = "unverified", _("Unverified")
        UNKNOWN = "unknown", _("Unknown sender")

    class Review(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        DISCARDED = "discarded", _("Discarded")

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
    # An automatic answer is to be sent (once; at most one per address per day is due).
    answer_due = models.BooleanField(default=False)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    # Who the mail acted as (a reply token or an authenticated customer), or claimed to be (held).
    trust = models.CharField(_("trust"), max_length=20, choices=Trust.choices, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    # A held mail: what it would post (its text as a reply or a new ticket's description, the
    # names of its files) and the message for the files, until an agent accepts or discards it.
    review = models.CharField(_("review"), max_length=10, choices=Review.choices, blank=True)
    body = models.TextField(_("text"), blank=True)
    file_names = models.JSONField(default=list, blank=True)
    raw = models.BinaryField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # What accepting posted: "reply" or "note" on `ticket`, or "ticket" (a new ticket, `ticket`).
    accepted_as = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = _("inbound e-mail")
        verbose_name_plural = _("inbound e-mails")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["sender", "outcome", "received_at"], name="api_inbound_answers_idx"),
            models.Index(fields=["review", "received_at"], name="api_inbound_review_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.sender} {self.outcome}"
