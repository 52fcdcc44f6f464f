"""What agents keep for their daily work: canned replies per team, personal saved queue views,
and who has a ticket open right now (collision hints)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CannedReply(models.Model):
    """A prepared answer of a team. Placeholders, filled when inserted (`tickets.canned`):
    {customer_name}, {reference}, {deadline}, {agent_name}."""

    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.CASCADE, related_name="canned_replies"
    )
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(
        _("text"), help_text=_("Markdown. Placeholders: {customer_name}, {reference}, {deadline}, {agent_name}.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["team", "title"]
        constraints = [
            models.UniqueConstraint(fields=["team", "title"], name="canned_reply_unique_title_per_team"),
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.title}"


class SavedView(models.Model):
    """A personal queue view: a name and the queue's filter parameters (a query string)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="saved_views"
    )
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved queue view")
        verbose_name_plural = _("saved queue views")
        ordering = ["owner", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_view_unique_name_per_owner"),
        ]

    def __str__(self) -> str:
        return self.name


class TicketPresence(models.Model):
    """Who had a ticket open, and when they last typed a reply. Rows expire by time: a row older
    than `tickets.presence.SEEN_SECONDS` means nothing and is removed on the next touch."""

    ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="presences"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.CASCADE,
                             related_name="+")
    seen_at = models.DateTimeField(_("last seen"), db_index=True)
    typing_at = models.DateTimeField(_("last typed"), null=True, blank=True)
    # The workspace page (a token per page load) that touched it last: a page's "leave" removes
    # the row only if no later page of the same agent (a reload, another tab) has touched it since.
    page = models.CharField(_("page"), max_length=32, blank=True, default="")

    class Meta:
        verbose_name = _("ticket presence")
        verbose_name_plural = _("ticket presences")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "user"], name="ticket_presence_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.ticket_id}"
