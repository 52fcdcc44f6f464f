"""Every write of the api app: tokens, devices and device reports. Keyword-only arguments,
atomic; ticket changes go through `tickets.services`."""

from .devices import DeviceReportResult, device_deactivate, device_key_rotate, device_register, device_report
from .tokens import api_token_create, api_token_revoke, api_token_touch

__all__ = [
    "DeviceReportResult",
    "api_token_create",
    "api_token_revoke",
    "api_token_touch",
    "device_deactivate",
    "device_key_rotate",
    "device_register",
    "device_report",
]
