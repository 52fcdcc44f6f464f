"""Free tags on tickets (django-taggit), with a through table of our own: a real foreign key to the
ticket (no generic relation), so filtering the queue by tag is a join on indexed integer columns.
Tags are the agents' labels: customers never see them. Written by `tickets.services.tags`."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.models import TaggedItemBase


class TaggedTicket(TaggedItemBase):
    content_object = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("ticket tag")
        verbose_name_plural = _("ticket tags")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_ticket_once_per_tag"),
        ]
