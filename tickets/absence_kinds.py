"""The notice of an agent who goes absent with open tickets (written by
`tickets.services.absence`): in the bell and by mail, in the reader's language."""

from django.conf import settings
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import ngettext

from notifications.kinds import Kind, Shown

ABSENT_WITH_OPEN_TICKETS = "agent_absent_open_tickets"


def _day(value) -> str:
    parsed = parse_date(str(value)) if value else None
    return date_format(parsed, "SHORT_DATE_FORMAT") if parsed else ""


def _text(payload: dict) -> str:
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
    return text


def show(payload: dict, reader) -> Shown:
    return Shown(_text(payload), "person-dash", "warning")


def mail_context(mail) -> dict:
    payload = mail.payload or {}
    url = reverse("tickets:absence_reassign", kwargs={"pk": payload.get("absence", 0)})
    return {"headline": _text(payload), "agent": (payload.get("agent") or {}).get("name", ""),
            "url": settings.SITE_URL + url}


KIND = Kind(code=ABSENT_WITH_OPEN_TICKETS, show=show, mail_context=mail_context,
            mail_templates="tickets/email/agent_absent_open_tickets")
