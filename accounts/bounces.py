"""Addresses that bounce: a delivery status notification said mail to a person could not be
delivered (recorded by `api.inbound`, shown to agents on the ticket page and on the person's
pages). A hint for people, not a switch: bounces are not authenticated, so nothing stops
sending because of one. An administrator clears the mark in the admin once the address is fixed."""

from __future__ import annotations

from datetime import datetime

from .models import User


def mail_bounce_record(*, address: str, reason: str, now: datetime) -> int:
    """Mark the accounts with this address as bouncing since `now`; returns how many."""
    if not address or "@" not in address:
        return 0
    return User.objects.filter(email__iexact=address.strip()).update(
        mail_bounced_at=now, mail_bounce_reason=(reason or "").strip()[:255]
    )
