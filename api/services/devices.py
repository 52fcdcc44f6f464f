"""Registering devices and handling their reports.

A report is `fault` (the default) or `recovered`, with an error code and a level:
- `critical` and `error` map to a severe fault, `warning` to a minor one;
- the first fault report of an error code opens a fault ticket (channel device, no requester,
  reported now: the report is the support case);
- further fault reports of that code while the ticket is open are added to it as internal
  notes (a more severe level raises the ticket's severity, never lowers it);
- a `recovered` report is noted on the ticket as a public reply, so the customer sees it;
- once the ticket is resolved or closed, the next fault report opens a new ticket.
Reports of one device are serialised by a row lock on the device; a partial unique constraint
on open incidents guards the same rule in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import access
from accounts.formatting import COUNTRY_TIME_ZONES
from accounts.models import Organisation
from api.keys import DEVICE_PREFIX, key_display, key_generate, key_hash
from api.models import Device, DeviceIncident
from sla.choices import OPEN_STATUSES, Category, Severity
from tickets import services as ticket_services
from tickets.choices import Channel

STATUS_FAULT, STATUS_RECOVERED = "fault", "recovered"
REPORT_STATUSES = (STATUS_FAULT, STATUS_RECOVERED)
LEVEL_SEVERITY = {"critical": Severity.SEVERE, "error": Severity.SEVERE, "warning": Severity.MINOR}
SEVERITY_RANK = {Severity.MINOR: 1, Severity.SEVERE: 2}

OPENED, ADDED, RECOVERED, IGNORED = "opened", "added", "recovered", "ignored"


@dataclass(frozen=True)
class DeviceReportResult:
    action: str  # OPENED, ADDED, RECOVERED or IGNORED
    ticket: object | None  # tickets.Ticket


def _require_staff(actor) -> None:
    if actor is not None and not access.is_admin(actor):
        raise PermissionDenied(_("Only administrators register devices."))


def device_register(*, organisation: Organisation, name: str, serial: str, actor=None) -> tuple[Device, str]:
    """Register a device of a customer organisation; returns it with its key (shown once)."""
    _require_staff(actor)
    name, serial = (name or "").strip(), (serial or "").strip()
    errors = {}
    if organisation.kind != Organisation.Kind.CUSTOMER:
        errors["organisation"] = _("Devices belong to a customer organisation.")
    if not name:
        errors["name"] = _("Please name the device.")
    if not serial:
        errors["serial"] = _("Please give the device's serial number or identifier.")
    elif Device.objects.filter(organisation=organisation, serial=serial).exists():
        errors["serial"] = _("This organisation already has a device with this identifier.")
    if errors:
        raise ValidationError(errors)
    key = key_generate(DEVICE_PREFIX)
    device = Device.objects.create(
        organisation=organisation, name=name[:100], serial=serial[:100], prefix=key_display(key), key_hash=key_hash(key)
    )
    return device, key


def device_key_rotate(*, device: Device, actor=None) -> str:
    """Give the device a new key; the old one stops working at once."""
    _require_staff(actor)
    key = key_generate(DEVICE_PREFIX)
    device.prefix, device.key_hash = key_display(key), key_hash(key)
    device.save(update_fields=["prefix", "key_hash"])
    return key


def device_deactivate(*, device: Device, actor=None) -> Device:
    _require_staff(actor)
    if device.is_active:
        device.is_active = False
        device.save(update_fields=["is_active"])
    return device


def _validate(*, device, error_code, status, level, message) -> None:
    errors = {}
    if not error_code:
        errors["error_code"] = _("Please send the device's error code.")
    elif len(error_code) > 50:
        errors["error_code"] = _("The error code may have at most 50 characters.")
    if status not in REPORT_STATUSES:
        errors["status"] = _("The status must be “fault” or “recovered”.")
    if level not in LEVEL_SEVERITY:
        errors["level"] = _("The level must be “critical”, “error” or “warning”.")
    if len(message) > 4000:
        errors["message"] = _("The message may have at most 4000 characters.")
    if errors:
        raise ValidationError(errors)
    organisation = device.organisation
    if not device.is_active or not organisation.is_active:
        raise PermissionDenied(_("This device is not active."))


def device_report(
    *,
    device: Device,
    error_code: str,
    status: str = STATUS_FAULT,
    level: str = "error",
    message: str = "",
    occurred_at: datetime | None = None,
) -> DeviceReportResult:
    """Handle one report of `device` (see the module docstring for the rules)."""
    error_code, message = (error_code or "").strip(), (message or "").strip()
    _validate(device=device, error_code=error_code, status=status, level=level, message=message)
    now = timezone.now().replace(microsecond=0)
    with transaction.atomic():
        locked = Device.objects.select_for_update().select_related("organisation").get(pk=device.pk)
        Device.objects.filter(pk=locked.pk).update(last_report_at=now)
        incident = (
            DeviceIncident.objects.filter(device=locked, error_code=error_code, is_open=True)
            .select_related("ticket")
            .first()
        )
        if incident is not None and incident.ticket.status not in OPEN_STATUSES:
            DeviceIncident.objects.filter(pk=incident.pk).update(is_open=False)
            incident = None
        text = _texts(device=locked, error_code=error_code, level=level, message=message, occurred_at=occurred_at)
        if status == STATUS_RECOVERED:
            if incident is None:
                return DeviceReportResult(IGNORED, None)
            ticket_services.comment_add(ticket=incident.ticket, author=None, body=text["recovered"],
                                        channel=Channel.DEVICE)
            DeviceIncident.objects.filter(pk=incident.pk).update(recovered_at=now, last_report_at=now)
            return DeviceReportResult(RECOVERED, incident.ticket)
        severity = LEVEL_SEVERITY[level]
        if incident is None:
            ticket = ticket_services.ticket_create(
                via=Channel.DEVICE,
                organisation=locked.organisation,
                requester=None,
                actor=None,
                subject=text["subject"],
                description=text["description"],
                category=Category.FAULT,
                severity=severity,
                affected_system=str(locked)[:200],
                occurring_since=text["occurred"],
                reported_at=now,
            ).ticket
            DeviceIncident.objects.create(
                device=locked, error_code=error_code, ticket=ticket, opened_at=now, last_report_at=now
            )
            return DeviceReportResult(OPENED, ticket)
        ticket = incident.ticket
        ticket_services.comment_add(ticket=ticket, author=None, body=text["repeat"], is_internal=True,
                                    channel=Channel.DEVICE)
        if SEVERITY_RANK[severity] > SEVERITY_RANK.get(ticket.severity, 0):
            ticket = ticket_services.ticket_change_severity(ticket=ticket, actor=None, severity=severity)
        DeviceIncident.objects.filter(pk=incident.pk).update(
            report_count=incident.report_count + 1, last_report_at=now, recovered_at=None
        )
        return DeviceReportResult(ADDED, ticket)


def _texts(*, device, error_code, level, message, occurred_at) -> dict[str, str]:
    """The ticket's and notes' texts, written once in the organisation's language (like a note
    an agent writes). The device's own message is quoted as sent."""
    quoted = "\n".join(f"> {line}" for line in message.splitlines()) if message else ""
    first_line = message.splitlines()[0][:120] if message else ""
    with translation.override(device.organisation.language or None):
        zone = ZoneInfo(COUNTRY_TIME_ZONES.get(device.organisation.country, settings.TIME_ZONE))
        occurred = occurred_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %Z") if occurred_at else ""
        facts = _("Device: %(device)s · error code: %(code)s · level: %(level)s") % {
            "device": f"{device.name} ({device.serial})", "code": error_code, "level": level,
        }
        description = _("Automatic fault report from a device.") + "\n\n" + facts
        if occurred:
            description += "\n\n" + _("The device noticed the fault at %(moment)s.") % {"moment": occurred}
        repeat = _("The device reported this fault again.") + "\n\n" + facts
        recovered = _("The device reports that the fault is over.") + "\n\n" + facts
        if quoted:
            description, repeat, recovered = (f"{t}\n\n{quoted}" for t in (description, repeat, recovered))
    subject = f"{device.name}: {error_code}" + (f" \u2013 {first_line}" if first_line else "")
    return {
        "subject": subject[:200],
        "description": description,
        "repeat": repeat,
        "recovered": recovered,
        "occurred": occurred[:200],
    }
