"""Helpers for the agent queue and workspace tests."""

from datetime import timedelta

from django.utils import timezone

from tickets.models import Ticket


def set_deadlines(ticket, *, reaction_in=None, resolution_in=None, reacted=False, status=None, **fields):
    """Give a test ticket SLA deadlines relative to now (hours; negative: passed). Test setup only:
    the services compute real deadlines from contracts."""
    now = timezone.now()
    values = {}
    if reaction_in is not None:
        values.update(reaction_due_at=now + timedelta(hours=reaction_in), reaction_state="open", reaction_target="6h")
    if resolution_in is not None:
        values.update(resolution_due_at=now + timedelta(hours=resolution_in), resolution_state="open",
                      resolution_target="3d")
    if reacted:
        values.update(first_reaction_at=now - timedelta(minutes=1))
    if status is not None:
        values["status"] = status
    values.update(fields)
    Ticket.objects.filter(pk=ticket.pk).update(**values)
    ticket.refresh_from_db()
    return ticket


def no_deadline(ticket, **fields):
    Ticket.objects.filter(pk=ticket.pk).update(
        reaction_due_at=None, resolution_due_at=None, reaction_state="", resolution_state="", sla_state="none",
        **fields,
    )
    ticket.refresh_from_db()
    return ticket


def queue_references(response) -> list[str]:
    return [row.ticket.reference for row in response.context["rows"]]
