"""What happened to a ticket. (Which mails went out for it: the outbox, `notifications.OutboxMail`.)

Events store a stable code and a JSON payload of old and new values; the text is produced
when the event is shown, in the reader's language (`tickets.timeline`)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventCode(models.TextChoices):
    CREATED = "created", _("Ticket filed")
    STATUS_CHANGED = "status_changed", _("Status changed")
    SEVERITY_CHANGED = "severity_changed", _("Severity changed")
    ASSIGNED = "assigned", _("Assignment changed")
    REPLY_ADDED = "reply_added", _("Reply")
    NOTE_ADDED = "note_added", _("Internal note")
    ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
    WORKAROUND_CHANGED = "workaround_changed", _("Workaround")
    FIX_RELEASE_CHANGED = "fix_release_changed", _("Permanent fix release")
    FIX_RELEASED = "fix_released", _("Permanent fix released")
    OUT_OF_HOURS_ACCEPTED = "out_of_hours_accepted", _("Paid out-of-hours service accepted")
    SLA_RECOMPUTED = "sla_recomputed", _("Service-level deadlines recomputed")
    SLA_UNAVAILABLE = "sla_unavailable", _("Service-level deadlines could not be computed")
    EFFORT_LOGGED = "effort_logged", _("Time logged")
    EFFORT_CHANGED = "effort_changed", _("Time entry changed")
    EFFORT_DELETED = "effort_deleted", _("Time entry deleted")
    MERGED_INTO = "merged_into", _("Merged into another ticket")
    MERGED_FROM = "merged_from", _("Duplicate merged in")
    SPLIT_OFF = "split_off", _("Comment split off into a new ticket")
    SPLIT_FROM = "split_from", _("Split off from another ticket")
    WATCHER_ADDED = "watcher_added", _("Watcher added")
    WATCHER_REMOVED = "watcher_removed", _("Watcher removed")
    TAGS_CHANGED = "tags_changed", _("Tags changed")
    MACRO_APPLIED = "macro_applied", _("Macro applied")
    SATISFACTION_RATED = "satisfaction_rated", _("Satisfaction rated")


class TicketEvent(models.Model):
    ticket = models.ForeignKey("tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE,
                               related_name="events")
    code = models.CharField(_("event"), max_length=30, choices=EventCode.choices, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
                              null=True, blank=True, related_name="+")
    payload = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    is_public = models.BooleanField(_("visible to the customer"), default=True)
    comment = models.ForeignKey("tickets.Comment", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    # Set by `event_write` (a new ticket's first event shares its filing instant), else now.
    created_at = models.DateTimeField(_("at"), default=timezone.now, editable=False, db_index=True)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="ticket_event_timeline_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.code}"
