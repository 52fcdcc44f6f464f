"""Live chat: the chat desks (hours and agents), the agents' availability, chats and their
messages. Every write goes through `chat.services`; reads through `chat.selectors`."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChatDesk(models.Model):
    """Where chats arrive: when chat is offered (a business calendar of `sla`) and who answers (a
    team; none: every agent of the vendor). The settings of chat for one desk."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("short name"), max_length=50, unique=True)
    calendar = models.ForeignKey(
        "sla.Calendar", verbose_name=_("chat hours"), on_delete=models.PROTECT, related_name="chat_desks",
        help_text=_("Chat is offered while this calendar is open (hours, holidays, closures)."),
    )
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="chat_desks", help_text=_("Its agents answer the chats; its lead is offered long waits."),
    )
    max_chats_per_agent = models.PositiveSmallIntegerField(_("chats per agent at once"), default=3)
    lead_after_minutes = models.PositiveSmallIntegerField(
        _("offer to the team lead after (minutes)"), default=5,
        help_text=_("A chat that waits longer is offered to the team lead."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("chat desk")
        verbose_name_plural = _("chat desks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    BUSY = "busy", _("Busy")
    AWAY = "away", _("Away")


class AgentAvailability(models.Model):
    """Whether an agent takes chats now. No row: away."""

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.CASCADE,
        related_name="chat_availability",
    )
    status = models.CharField(_("availability"), max_length=10, choices=Availability.choices,
                              default=Availability.AWAY)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("chat availability")
        verbose_name_plural = _("chat availabilities")

    def __str__(self) -> str:
        return f"{self.agent} · {self.get_status_display()}"


class ChatStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ACTIVE = "active", _("In conversation")
    CLOSED = "closed", _("Closed")


class Chat(models.Model):
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    desk = models.ForeignKey(ChatDesk, verbose_name=_("chat desk"), on_delete=models.PROTECT, related_name="chats")
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="chats", help_text=_("Empty for an anonymous visitor."),
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("customer"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="chats_started",
    )
    visitor_name = models.CharField(_("visitor's name"), max_length=100, blank=True)
    visitor_email = models.EmailField(_("visitor's e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=10, choices=ChatStatus.choices, default=ChatStatus.WAITING)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="chats_served",
    )
    started_at = models.DateTimeField(_("started at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    lead_offered_at = models.DateTimeField(_("offered to the team lead at"), null=True, blank=True)
    # The last message each side has read (read marks).
    customer_read_id = models.BigIntegerField(_("read by the customer up to"), default=0)
    agent_read_id = models.BigIntegerField(_("read by the agent up to"), default=0)
    ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="chats",
    )

    class Meta:
        verbose_name = _("chat")
        verbose_name_plural = _("chats")
        ordering = ["started_at", "pk"]
        indexes = [models.Index(fields=["status", "started_at"], name="chat_status_started")]

    def __str__(self) -> str:
        return f"{self.customer_name} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def customer_name(self) -> str:
        if self.customer_id:
            return str(self.customer)
        return self.visitor_name

    @property
    def is_anonymous(self) -> bool:
        return self.customer_id is None


class Sender(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    AGENT = "agent", _("Agent")
    SYSTEM = "system", _("System")


class MessageCode(models.TextChoices):
    """What a system message says (rendered in the reader's language from code and payload)."""

    ACCEPTED = "accepted", _("accepted")
    TRANSFERRED = "transferred", _("transferred")
    CLOSED = "closed", _("closed")
    TICKET = "ticket", _("ticket")


class ChatMessage(models.Model):
    """One message; its id orders the chat and is what a client resumes from."""

    chat = models.ForeignKey(Chat, verbose_name=_("chat"), on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(_("sender"), max_length=10, choices=Sender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    body = models.TextField(_("text"), blank=True)
    code = models.CharField(_("code"), max_length=20, choices=MessageCode.choices, blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    # The sender's own id of the message: sent again after a reconnect, it is stored once.
    client_id = models.CharField(_("client id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["chat", "sender", "client_id"], condition=~models.Q(client_id=""),
                name="chat_message_client_id_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chat_id} #{self.pk} {self.sender}"
