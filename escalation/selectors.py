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
        ("next_reply", "warning"): _("Escalation: the answer to the customer's message (cycle %(cycle)d) is due soon."),
        ("next_reply", "breach"): _("Escalation: the answer to the customer's message (cycle %(cycle)d) is overdue."),
        ("next_reply", "post_breach"): _(
            "Escalation: the answer to the customer's message (cycle %(cycle)d) is still overdue."
        ),
    }
    if escalation.target == "next_reply" and (escalation.target, escalation.level) in texts:
        return texts[(escalation.target, escalation.level)] % {"cycle": escalation.cycle}
    return texts.get((escalation.target, escalation.level), f"{escalation.target} {escalation.level}")


def escalation_timeline_items(ticket) -> list[TimelineItem]:
    """The levels that fired for the ticket, as internal items of the agent workspace's timeline
    (registered with `tickets.timeline` by `escalation.apps`), in the order they fired. One query."""
    return [
        TimelineItem(kind="event", at=escalation.fired_at, actor=_("Helpdesk"), text=_text(escalation),
                     icon="bell", is_internal=True)
        for escalation in Escalation.objects.filter(ticket=ticket).order_by("fired_at", "pk")
    ]
