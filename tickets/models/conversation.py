"""The conversation on a ticket: public replies, internal notes and their attachments."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tickets.choices import Channel
from tickets.storage import attachment_path, private_storage


class Comment(models.Model):
    ticket = models.ForeignKey("tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE,
                               related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="+")
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown"))
    is_internal = models.BooleanField(_("internal note"), default=False,
                                      help_text=_("Internal notes are visible to agents only."))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    # The author's idempotency key (a reply form's token, an API client's key), one comment per author
    # and key: a repeat of the same comment returns it (`tickets.services.conversation.comment_add`).
    idempotency_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="comment_unique_idempotency_key_per_author",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}#{self.pk}"


class Attachment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ticket = models.ForeignKey("tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE,
                               related_name="attachments")
    comment = models.ForeignKey(Comment, verbose_name=_("comment"), on_delete=models.CASCADE, null=True,
                                blank=True, related_name="attachments")
    file = models.FileField(_("file"), storage=private_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    is_internal = models.BooleanField(_("internal"), default=False)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
