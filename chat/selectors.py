"""Reads of chats: the gate (`chat_get_for`), a desk's state (open? anyone available?), the
waiting queue, an agent's chats and the messages after a given id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts import access
from accounts.models import STAFF_ROLES, User
from sla import engine
from sla.calendars import business_calendar_for

from . import access as chat_access
from .models import AgentAvailability, Availability, Chat, ChatDesk, ChatMessage, ChatStatus


def chat_get_for(*, user, public_id, visitors: frozenset[str] = frozenset()) -> tuple[Chat, str]:
    """The chat with this public id and the side (customer or agent) from which `user` (or the
    anonymous visitor's session) sees it; Http404 when it may not (a foreign chat is a 404)."""
    chat = (
        Chat.objects.select_related("desk__team", "organisation", "customer", "agent", "ticket")
        .filter(public_id=public_id)
        .first()
    )
    side = chat_access.side_of(user, chat, visitors) if chat is not None else None
    if side is None:
        raise Http404("no such chat")
    return chat, side


def chat_desk_default() -> ChatDesk | None:
    """The desk the portal's widget and the public page use (the first active one)."""
    return ChatDesk.objects.select_related("calendar", "team").filter(is_active=True).order_by("pk").first()


def desk_agents(desk: ChatDesk) -> QuerySet[User]:
    """The people who answer the desk's chats: its team's members, or all active staff."""
    people = User.objects.filter(is_active=True, role__in=STAFF_ROLES)
    if desk.team_id is not None:
        people = people.filter(teams=desk.team_id)
    return people


@dataclass(frozen=True)
class DeskState:
    is_open: bool  # the chat hours are open now
    agents_available: int  # agents of the desk who are available and below their chat limit
    opens_at: datetime | None  # when the hours open next (None while open)

    @property
    def offers_chat(self) -> bool:
        return self.is_open and self.agents_available > 0


def desk_state(*, desk: ChatDesk, now: datetime) -> DeskState:
    calendar = business_calendar_for(calendar=desk.calendar)
    now = now.replace(microsecond=0)  # the engine works to the second
    is_open = engine.is_open(calendar, now)
    try:
        opens_at = None if is_open else engine.next_opening(calendar, now)
    except engine.EngineError:  # beyond the calendar's holiday years: not announced
        opens_at = None
    return DeskState(is_open=is_open, agents_available=available_agents(desk=desk).count(), opens_at=opens_at)


def available_agents(*, desk: ChatDesk) -> QuerySet[User]:
    """Agents of the desk who said they are available and serve fewer chats than the desk allows."""
    return (
        desk_agents(desk)
        .filter(chat_availability__status=Availability.AVAILABLE)
        .annotate(serving=Count("chats_served", filter=Q(chats_served__status=ChatStatus.ACTIVE)))
        .filter(serving__lt=desk.max_chats_per_agent)
    )


def availability_of(agent) -> str:
    row = AgentAvailability.objects.filter(agent=agent).values_list("status", flat=True).first()
    return row or Availability.AWAY


def chats_waiting_for(*, agent) -> list[Chat]:
    """The waiting queue an agent sees, longest wait first."""
    if not access.is_agent(agent):
        return []
    visible = Q(organisation__in=access.organisations_for(agent))
    if chat_access.agent_sees_organisation(agent, None):
        visible |= Q(organisation__isnull=True)
    waiting = (
        Chat.objects.filter(visible, status=ChatStatus.WAITING)
        .select_related("desk__team", "organisation", "customer")
        .order_by("started_at", "pk")
    )
    return list(waiting)


def chats_served_by(*, agent) -> QuerySet[Chat]:
    return (
        Chat.objects.filter(agent=agent, status=ChatStatus.ACTIVE)
        .select_related("desk", "organisation", "customer", "ticket")
        .order_by("accepted_at", "pk")
    )


def chats_of_customer(*, user) -> QuerySet[Chat]:
    return Chat.objects.filter(customer=user).select_related("agent", "ticket").order_by("-started_at", "-pk")


def messages_after(*, chat: Chat, after: int = 0, limit: int = 500) -> list[ChatMessage]:
    """The chat's messages with an id above `after` (what a reconnecting client missed)."""
    return list(
        ChatMessage.objects.filter(chat=chat, pk__gt=max(after, 0)).select_related("author").order_by("pk")[:limit]
    )


def colleagues_for_transfer(*, agent, chat: Chat) -> list[User]:
    """Colleagues who may take over this chat: same organisation, see the chat's customer."""
    return [
        person for person in access.colleagues_for(agent).exclude(pk=agent.pk).order_by("username")
        if chat_access.side_of(person, chat) == chat_access.AGENT
    ]


@dataclass(frozen=True)
class ChatFigures:
    name: str
    chats: int  # started in the period
    answered: int  # of them accepted by an agent
    mean_wait: timedelta | None  # start → accepted, over the answered ones
    longest_wait: timedelta | None
    mean_duration: timedelta | None  # accepted → closed, over the closed ones


def chat_figures(*, start: datetime, end: datetime, organisations=None) -> dict[str, list[ChatFigures]]:
    """Waiting time and chat duration per desk and per agent for the chats started in
    [start, end); `organisations` (a queryset) limits them to those organisations' chats (and,
    when None, every chat). Computed in Python: a month has thousands of chats, not millions."""
    chats = Chat.objects.filter(started_at__gte=start, started_at__lt=end)
    if organisations is not None:
        chats = chats.filter(organisation__in=organisations)
    rows = list(chats.values_list("desk__name", "agent__username", "agent__first_name", "agent__last_name",
                                  "started_at", "accepted_at", "closed_at"))
    by_desk: dict[str, list] = {}
    by_agent: dict[str, list] = {}
    for desk, username, first, last, started, accepted, closed in rows:
        by_desk.setdefault(desk, []).append((started, accepted, closed))
        if username is not None:
            name = f"{first} {last}".strip() or username
            by_agent.setdefault(name, []).append((started, accepted, closed))
    return {"desks": [_figures(name, items) for name, items in sorted(by_desk.items())],
            "agents": [_figures(name, items) for name, items in sorted(by_agent.items())]}


def _figures(name: str, items: list) -> ChatFigures:
    waits = [accepted - started for started, accepted, _closed in items if accepted is not None]
    durations = [closed - accepted for _started, accepted, closed in items if accepted and closed]
    return ChatFigures(
        name=name, chats=len(items), answered=len(waits),
        mean_wait=sum(waits, timedelta()) / len(waits) if waits else None,
        longest_wait=max(waits) if waits else None,
        mean_duration=sum(durations, timedelta()) / len(durations) if durations else None,
    )
