"""API tokens of people, keys of devices, device incidents and the inbound mail log.

No domain logic here: every write goes through `api.services` (and `api.inbound`)."""

from .devices import Device, DeviceIncident
from .inbound import InboundMail
from .tokens import ApiToken

__all__ = ["ApiToken", "Device", "DeviceIncident", "InboundMail"]
