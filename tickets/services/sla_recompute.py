"""A calendar changed: the open targets of the open tickets on it move (`sla.signals.calendar_changed`
→ `tickets.tasks.sla_recompute_for_calendar` → here)."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import Q

from sla import engine
from sla.calendars import business_calendar_for
from sla.choices import OPEN_STATUSES, TargetState
from tickets.models import EventCode, Ticket, TicketEvent

from .sla import SLA_FIELDS, next_reply_cycles_save, sla_calendar_recompute

logger = logging.getLogger(__name__)

RECOMPUTE_BATCH = 500


def tickets_sla_recompute_for_calendar(*, calendar, now: datetime, batch_size: int = RECOMPUTE_BATCH) -> int:
    """Recompute the open targets of the open tickets whose snapshot calendar is `calendar` (after
    its hours, holidays or closures changed), in batches of locked rows with one bulk update and
    one history event per changed ticket (old and new deadline). Met, breached and overdue targets
    and instants that have passed stay. Idempotent: a second run finds nothing to change.
    Returns how many tickets changed."""
    business = business_calendar_for(calendar=calendar)
    running = (Q(reaction_state=TargetState.OPEN) | Q(resolution_state__in=[TargetState.OPEN, TargetState.PAUSED])
               | Q(next_reply_state__in=[TargetState.OPEN, TargetState.PAUSED]))
    candidates = (
        Ticket.objects.filter(sla_calendar=calendar, status__in=OPEN_STATUSES)
        .filter(running)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    batch, changed = [], 0
    for pk in candidates.iterator(chunk_size=batch_size):
        batch.append(pk)
        if len(batch) == batch_size:
            changed += _recompute_batch(batch, calendar, business, now)
            batch = []
    if batch:
        changed += _recompute_batch(batch, calendar, business, now)
    return changed


def _recompute_batch(pks, calendar, business, now) -> int:
    with transaction.atomic():
        tickets = list(
            Ticket.objects.select_for_update(of=("self",))
            .select_related("sla_policy", "sla_calendar")
            .filter(pk__in=pks, sla_calendar=calendar, status__in=OPEN_STATUSES)
        )
        changed, events = [], []
        for ticket in tickets:
            try:
                moved, deadlines = sla_calendar_recompute(ticket=ticket, business=business, now=now)
            except engine.EngineError as problem:
                logger.warning("SLA of ticket %s not recomputed: %s", ticket.reference, problem)
                continue
            if not moved:
                continue
            ticket.updated_at = now
            changed.append(ticket)
            events.append(TicketEvent(
                ticket=ticket, code=EventCode.SLA_RECOMPUTED, is_public=bool(deadlines),
                payload={"calendar": calendar.slug, "version": calendar.version, "deadlines": deadlines},
            ))
        if changed:
            Ticket.objects.bulk_update(changed, [*SLA_FIELDS, "updated_at"])
            TicketEvent.objects.bulk_create(events)
            next_reply_cycles_save(changed)
    return len(changed)
