"""Dates and notices as a reader sees them: in the reader's language and time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

# Until users choose a time zone, people of a US organisation read US Eastern time (the North
# American support hours); everyone else reads the installation's zone (Europe/Berlin).
COUNTRY_TIME_ZONES = {"US": "America/New_York"}


def time_zone_for(user) -> ZoneInfo:
    name = getattr(user, "time_zone", "") or ""
    if not name:
        organisation = getattr(user, "organisation", None)
        name = COUNTRY_TIME_ZONES.get(getattr(organisation, "country", ""), settings.TIME_ZONE)
    return ZoneInfo(name)


def format_moment(value: datetime | None, user, zone=None) -> str:
    """"Monday, 23 November 2026, 13:30 CET" in the reader's language and zone (or in `zone`,
    e.g. the desk's time zone for an SLA deadline)."""
    if value is None:
        return ""
    local = timezone.localtime(value, zone or time_zone_for(user))
    return date_format(local, pgettext("deadline date format", "l, j F Y, H:i T"))


def desk_zone(value: datetime | None):
    """The time zone an SLA instant from the engine carries (the desk's), or None."""
    return value.tzinfo if value is not None and isinstance(value.tzinfo, ZoneInfo) else None


def out_of_hours_notice(*, next_opening: datetime | None, user) -> str:
    """The notice shown for a severe fault outside support hours; stored verbatim when accepted.
    The opening is shown in the desk's time zone (the zone `next_opening` carries)."""
    if next_opening is not None:
        closed = _("Our support is closed right now. It opens again on %(opening)s.") % {
            "opening": format_moment(next_opening, user, desk_zone(next_opening))
        }
    else:
        closed = _("Our support is closed right now.")
    offer = _(
        "For a severe fault we can start now with our paid out-of-hours service, charged at the out-of-hours "
        "rates of your support contract. If you do not accept, we react once support opens."
    )
    return f"{closed} {offer}"
