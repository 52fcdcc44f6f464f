"""Devices and monitoring tools that report faults on their own, per customer organisation.

A device authenticates with its own key (only a SHA-256 hash is stored). A fault report opens
a ticket; further reports of the same error code while that ticket is open are added to it:
`DeviceIncident` ties (device, error code) to that ticket, and at most one incident per device
and error code is open (a partial unique constraint; the service also locks the device row)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Device(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="devices",
        limit_choices_to={"kind": "customer"},
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("E.g. “Kasse 3, Filiale Köln”."))
    serial = models.CharField(_("serial number or identifier"), max_length=100)
    prefix = models.CharField(_("key starts with"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    last_report_at = models.DateTimeField(_("last report at"), null=True, blank=True)

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "serial"], name="api_device_serial_unique_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.serial})"


class DeviceIncident(models.Model):
    """One fault of one device (error code) and the ticket it opened."""

    device = models.ForeignKey(Device, verbose_name=_("device"), on_delete=models.CASCADE, related_name="incidents")
    error_code = models.CharField(_("error code"), max_length=50)
    ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="device_incidents"
    )
    is_open = models.BooleanField(_("open"), default=True)
    report_count = models.PositiveIntegerField(_("reports"), default=1)
    opened_at = models.DateTimeField(_("first report at"))
    last_report_at = models.DateTimeField(_("last report at"))
    recovered_at = models.DateTimeField(_("recovered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("device incident")
        verbose_name_plural = _("device incidents")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "error_code"],
                condition=Q(is_open=True),
                name="api_device_incident_one_open_per_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.device} {self.error_code}"
