"""Reads of escalations for other apps' pages."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tickets.timeline import TimelineItem

from .models import Escalation


def _text(escalation: Escalation) -> str:
    texts = {
        ("reaction", "warning"): _("Escalation: the reaction deadline is close."),
        ("reaction", "breach"): _("Escalation: the reaction deadline was missed."),
        ("reaction", "post_breach"): _("Escalation: the reaction deadline is still missed."),
        ("resolution", "warning"): _("Escalation: the resolution deadline is close."),
        ("resolution", "breach"): _("Escalation: the resolution deadline was missed."),
        ("resolution", "post_breach"): _("Escalation: the resolution deadline is still missed."),
    }
    return texts.get((escalation.target, escalation.level), f"{escalation.target} {escalation.level}")


def escalation_timeline_items(ticket) -> list[TimelineItem]:
    """The levels that fired for the ticket, as internal items of the agent workspace's timeline
    (registered with `tickets.timeline` by `escalation.apps`), in the order they fired. One query."""
    return [
        TimelineItem(kind="event", at=escalation.fired_at, actor=_("Helpdesk"), text=_text(escalation),
                     icon="bell", is_internal=True)
        for escalation in Escalation.objects.filter(ticket=ticket).order_by("fired_at", "pk")
    ]
