"""Escalation in the demo's history (`tickets.demo_history`): before each step of the history,
the scan runs at every instant a level fell due since the last step, as beat's scan would have
(every few seconds), so the breached tickets of the last three months carry their escalations.
The demo mails nobody: the history's escalation mails and bell notifications are dropped (the
escalations themselves stay, in the tickets' timelines and on the dashboard), and so are the mails
of a level of today's tickets that fell due before the seeding's clock (which ones do depends on
the hour of seeding; their bell notifications stay)."""

from __future__ import annotations

from datetime import datetime

from notifications.models import Notification, OutboxMail
from tickets.demo_history import demo_clock
from tickets.models import Ticket

from .kinds import SLA_ESCALATION
from .services import escalation_scan

MAX_SCANS_PER_STEP = 500  # a safeguard: a scan always moves the tickets it saw on


def catch_up(now: datetime) -> None:
    """Run the scan at each instant up to `now` at which a ticket's next level fell due."""
    due_tickets = Ticket.objects.filter(next_escalation_at__lte=now).order_by("next_escalation_at")
    for _ in range(MAX_SCANS_PER_STEP):
        due = due_tickets.values_list("next_escalation_at", flat=True).first()
        if due is None:
            return
        with demo_clock(due):
            escalation_scan(now=due)


def seed(context: dict[str, object]) -> dict[str, object]:
    """After the history: drop its escalation mails (never sent) and bell notifications (months
    old), and the unsent escalation mails of today's tickets."""
    history = context.get("history_tickets") or []
    if history:
        OutboxMail.objects.filter(ticket_id__in=history).delete()
        Notification.objects.filter(ticket_id__in=history).delete()
    today = [ticket.pk for ticket in (context.get("tickets") or {}).values()]
    OutboxMail.objects.filter(ticket_id__in=today, kind=SLA_ESCALATION, sent_at__isnull=True).delete()
    return {}
