"""The bell's notification of an agent who goes absent with open tickets (written by
`tickets.services.absence`), shown in the reader's language."""

from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import ngettext

from notifications.kinds import Kind, Shown

ABSENT_WITH_OPEN_TICKETS = "agent_absent_open_tickets"


def _day(value) -> str:
    parsed = parse_date(str(value)) if value else None
    return date_format(parsed, "SHORT_DATE_FORMAT") if parsed else ""


def show(payload: dict, reader) -> Shown:
    values = {
        "agent": (payload.get("agent") or {}).get("name", ""),
        "count": payload.get("open", 0),
        "start": _day(payload.get("starts_on")),
        "end": _day(payload.get("ends_on")),
    }
    text = ngettext(
        "%(agent)s is absent from %(start)s to %(end)s with %(count)s open ticket: reassign it under Absences.",
        "%(agent)s is absent from %(start)s to %(end)s with %(count)s open tickets: reassign them under Absences.",
        values["count"],
    ) % values
    return Shown(text, "person-dash", "warning")


KIND = Kind(code=ABSENT_WITH_OPEN_TICKETS, show=show)
