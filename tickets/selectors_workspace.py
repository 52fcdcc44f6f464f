"""Reads for the agent workspace: effort, canned replies, who else has the ticket open, and
whom and where a ticket can go. `select_related` lives here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet, Sum

from accounts import access
from tickets.models import CannedReply, Ticket, TicketPresence, TimeEntry

# An agent counts as "has it open" for this long after the last poll, and as "writing a reply"
# for this long after the last keystroke the page reported.
SEEN_SECONDS = 45
TYPING_SECONDS = 20


def time_entries_for(*, ticket: Ticket) -> list[TimeEntry]:
    return list(ticket.time_entries.select_related("agent").order_by("-worked_on", "-created_at", "-pk"))


def effort_total_minutes(*, ticket: Ticket) -> int:
    return ticket.time_entries.aggregate(total=Sum("minutes"))["total"] or 0


def effort_for_month(*, year: int, month: int, organisation=None) -> QuerySet[TimeEntry]:
    """The time entries worked in one month (for the monthly effort report), optionally of one
    customer organisation, with ticket and organisation loaded."""
    entries = TimeEntry.objects.filter(worked_on__year=year, worked_on__month=month)
    if organisation is not None:
        entries = entries.filter(ticket__organisation=organisation)
    return entries.select_related("ticket__organisation", "agent")


def canned_replies_for(*, ticket: Ticket, user) -> list[CannedReply]:
    """The active canned replies of the ticket's team and of the agent's own teams."""
    teams = access.teams_for(user)
    condition = Q(team__in=teams.filter(members=user))
    if ticket.team_id is not None:
        condition |= Q(team_id=ticket.team_id)
    return list(
        CannedReply.objects.filter(condition, is_active=True, team__in=teams).select_related("team")
        .order_by("team__name", "title").distinct()
    )


@dataclass(frozen=True)
class Presence:
    name: str
    typing: bool


def presence_others(*, ticket: Ticket, user, now: datetime) -> list[Presence]:
    """The other agents who have the ticket open now, and whether they are writing a reply."""
    rows = (
        TicketPresence.objects.filter(ticket=ticket, seen_at__gte=now - timedelta(seconds=SEEN_SECONDS))
        .exclude(user=user)
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    )
    typing_since = now - timedelta(seconds=TYPING_SECONDS)
    return [Presence(str(row.user), bool(row.typing_at and row.typing_at >= typing_since)) for row in rows]
