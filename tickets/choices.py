"""Codes that only tickets use. The vocabulary shared with SLA configuration (severity, category,
status, target and SLA states) is `sla.choices`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Chat")
    API = "api", _("API")
    DEVICE = "device", _("Device")
