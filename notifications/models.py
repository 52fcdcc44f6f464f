"""In-app notifications and the e-mail outbox.

Both store a kind code and a JSON payload; the text is produced when it is shown or sent, in the
reader's language (`notifications.kinds`, `notifications.mail`). Every write goes through
`notifications.services`.

The escalation scan writes tens of thousands of these rows a minute at peak (see
bench/escalation_scan.py), so their references to people and tickets carry no database
constraint (a per-row trigger each): Django's ON DELETE CASCADE still removes them with the
person or ticket, and nothing else deletes people or tickets."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message in a person's bell: "the reaction to HD-2026-000042 is overdue"."""

    # No index of its own: the two indexes below start with the recipient. No database constraint
    # on either reference (see the module docstring).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications",
        db_index=False, db_constraint=False,
    )
    kind = models.CharField(_("kind"), max_length=40)
    payload = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="+", db_constraint=False,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The list page: a person's notifications, newest first.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox_idx"),
            # The bell: COUNT of a person's unread ones, from a small partial index.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed (gave up)")
    SKIPPED = "skipped", _("Not sent (demo data)")


class OutboxMail(models.Model):
    """A mail to send, recorded in the same transaction as the change it reports. Every mail the
    product sends is one of these rows (docs/mail.md).

    `key` names the mail once and for all (e.g. ``sla-escalation:17:4`` for escalation 17 and
    recipient 4): recording it twice is a no-op; the Message-ID is derived from it. The delivery
    task locks a pending row, sends, and marks it sent in one transaction (see docs/escalation.md).
    A mail to someone without an account (an automatic answer to an unknown sender) has no
    `recipient`: its kind names the address when the mail is sent, so the row stores none."""

    key = models.CharField(_("key"), max_length=120, unique=True)
    # Not indexed: only deleting a person looks mails up by recipient.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+",
        db_index=False, db_constraint=False, null=True, blank=True,
    )
    kind = models.CharField(_("kind"), max_length=40)
    payload = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="+", db_constraint=False,
    )
    status = models.CharField(_("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The delivery task's query: pending mails that are due, oldest first.
            models.Index(
                fields=["next_attempt_at", "id"], condition=Q(status="pending"), name="outbox_pending_due_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class MailMode(models.TextChoices):
    """How a person hears about one topic by mail (the in-app bell is not affected)."""

    MAIL = "mail", _("E-mail at once")
    DIGEST = "digest", _("Once a day, in the daily digest")
    OFF = "off", _("No e-mail")


class NotificationSettings(models.Model):
    """A person's choices of which events mail them: ``{topic code: mail mode}``. A topic that is
    not in `choices` (or a person without a row) gets its role's default
    (`notifications.preferences`). `digest_until` is the end of the period the person's last
    digest covered: the next one starts there, so no escalation is listed twice or left out."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    choices = models.JSONField(_("choices"), default=dict, blank=True)
    digest_until = models.DateTimeField(_("digest sent up to"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user_id)
