"""A product's release is published: every ticket whose permanent fix it carries gets a history
event, and its requester a mail (through the event: `tickets.notifications`), in the publishing
transaction. Once per ticket and release, however often it is called."""

from __future__ import annotations

from tickets.models import EventCode, Ticket, TicketEvent

from ._common import event_write


def tickets_fix_released(*, release, now) -> int:
    """Called by `products.signals.release_published` inside the publication's transaction.
    Returns how many tickets were told."""
    told = 0
    tickets = Ticket.objects.select_for_update(of=("self",)).select_related("requester", "organisation").filter(
        fixed_release_id=release.pk
    ).order_by("pk")
    for ticket in tickets:
        if TicketEvent.objects.filter(ticket=ticket, code=EventCode.FIX_RELEASED, payload__release=release.pk).exists():
            continue
        event_write(ticket=ticket, code=EventCode.FIX_RELEASED, actor=None,
                    payload={"release": release.pk, "name": str(release)})
        told += 1
    return told
