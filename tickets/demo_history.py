"""Three months of a working support desk for `manage.py seed_demo`: tickets filed, answered,
asked about, worked on, resolved and confirmed at realistic times, a few of them late, so that the
dashboard's weekly chart, the monthly report and the queue look like a real desk on first start.

Every step goes through the services with the clock set to the step's instant (`demo_clock`, as
the tests freeze time), so every SLA field is what production would have computed then. The steps
of all tickets run in the order of their instants; before each one, the registered catch-up hooks
run (`demo_history_hook_register`: escalation's scan fires the levels that fell due in between).
Deterministic: a fixed seed and instants relative to the start of the seeding's day, so the data
is "the last three months" on any day and the same on the same day. Idempotent: once any history
ticket exists, seeding again adds none. Nobody is mailed: their mails are recorded as not sent."""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.utils import timezone

from sla.choices import Category, Status
from tickets import notifications, services
from tickets.choices import Channel
from tickets.demo_history_data import (
    ASKS_FIRST,
    CONFIRMED,
    CUSTOMERS,
    FAULT_DETAILS,
    LATE_REACTION,
    LATE_RESOLUTION,
    REPLIES,
    SEED,
    STAND_INS,
    TOPICS,
    WEEKS,
)
from tickets.models import Ticket, WorkType

KEY_PREFIX = "demo-history:"

_HOOKS: list[Callable[[datetime], None]] = []


def demo_history_hook_register(hook: Callable[[datetime], None]) -> None:
    """`hook(now)` runs before each step of the history with the step's instant (apps above
    `tickets`, from their `AppConfig.ready()`); it may write through its services under `demo_clock`."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)


@contextmanager
def demo_clock(at: datetime) -> Iterator[None]:
    """`django.utils.timezone.now()` answers `at` while the history is written (the services, the
    models' auto_now fields and the escalation scan read it). Only for seeding demo data: nothing
    else runs in the seeding process."""
    real = timezone.now
    timezone.now = lambda: at
    try:
        yield
    finally:
        timezone.now = real


def history_start_and_end(now: datetime) -> tuple[datetime, datetime]:
    """The history covers the WEEKS weeks before the seeding's day (local midnight to midnight)."""
    end = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return end - timedelta(weeks=WEEKS), end


class _Desk:
    """The plan of the history: a heap of (instant, order, step) run in time order."""

    def __init__(self, *, users, end: datetime, rng: random.Random) -> None:
        self.users, self.end, self.rng = users, end, rng
        self.heap: list = []
        self.order = itertools.count()
        self.tickets: list[int] = []

    def at(self, when: datetime, step: Callable[[], None]) -> None:
        if when < self.end:  # a step after the end has not happened yet: the ticket stays as it is
            heapq.heappush(self.heap, (when, next(self.order), step))

    def run(self) -> None:
        while self.heap:
            when, _order, step = heapq.heappop(self.heap)
            for hook in _HOOKS:
                hook(when)
            with demo_clock(when):
                step()
        for hook in _HOOKS:
            hook(self.end)


def _working(when: datetime, hours: tuple[int, int]) -> datetime:
    """`when`, or the next moment inside the requester's office hours (weekdays, local time)."""
    local = timezone.localtime(when)
    first, last = hours
    if local.hour >= last:
        local = (local + timedelta(days=1)).replace(hour=first, minute=local.minute)
    elif local.hour < first:
        local = local.replace(hour=first)
    while local.weekday() >= 5:
        local = (local + timedelta(days=1)).replace(hour=first)
    return local


def _minutes(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(minutes=round(rng.uniform(low, high)))


def _file(desk: _Desk, *, key: str, requester_name: str, agent_name: str, hours, topic, language: str) -> None:
    subject, category, severity, system, description = topic
    requester = desk.users[requester_name]
    fields = {"subject": subject, "category": category, "severity": severity, "description": description}
    if category in (Category.FAULT, Category.DATA_LOSS):
        fields |= {"affected_system": system, **FAULT_DETAILS[language]}
    filed = services.ticket_create(
        organisation=requester.organisation, requester=requester, actor=requester, channel=Channel.PORTAL,
        idempotency_key=key, **fields,
    )
    desk.tickets.append(filed.ticket.pk)
    _plan(desk, filed.ticket, requester, agent_name, hours, language)


def _plan(desk: _Desk, ticket: Ticket, requester, agent_name: str, hours, language: str) -> None:
    """The ticket's life after filing, planned from the deadlines it was given."""
    rng, text = desk.rng, REPLIES[language]
    agent = desk.users[STAND_INS.get(agent_name, agent_name) if rng.random() < 0.15 else agent_name]
    filed_at = ticket.reported_at

    def when_within(due, late_share, late_after: tuple[float, float], usual: tuple[float, float]) -> datetime:
        if due is None:
            return _working(filed_at + _minutes(rng, *usual), hours)
        if rng.random() < late_share:
            return _working(due + _minutes(rng, *late_after), hours)
        instant = _working(filed_at + (due - filed_at) * rng.uniform(0.1, 0.85), hours)
        return instant if instant < due else max(due - _minutes(rng, 2, 20), filed_at + timedelta(minutes=1))

    def step(action):  # the services lock and read the ticket afresh: `ticket` is only its id
        return action

    reacted = when_within(ticket.reaction_due_at, LATE_REACTION, (15, 240), (20, 300))
    desk.at(reacted, step(lambda: services.ticket_assign(ticket=ticket, actor=agent, assignee=agent)))
    desk.at(reacted + timedelta(seconds=20), step(
        lambda: services.ticket_change_status(ticket=ticket, actor=agent, status=Status.IN_PROGRESS)))
    desk.at(reacted + timedelta(seconds=90), step(lambda: services.comment_add(
        ticket=ticket, author=agent, body=text["reaction"])))
    last = reacted + timedelta(minutes=5)
    if rng.random() < ASKS_FIRST:
        desk.at(last, step(lambda: services.comment_add(ticket=ticket, author=agent, body=text["question"])))
        desk.at(last + timedelta(seconds=30), step(
            lambda: services.ticket_change_status(ticket=ticket, actor=agent, status=Status.WAITING_ON_CUSTOMER)))
        last = _working(last + _minutes(rng, 30, 20 * 60), hours)
        desk.at(last, step(lambda: services.comment_add(ticket=ticket, author=requester, body=text["answer"])))
    worked = rng.choice([15, 30, 30, 45, 60, 90])
    work_type = rng.choice([WorkType.ANALYSIS, WorkType.REMOTE, WorkType.COMMUNICATION])
    desk.at(last + timedelta(minutes=worked), step(lambda: services.time_entry_add(
        ticket=ticket, actor=agent, minutes=worked, work_type=work_type, note=text["effort"])))
    resolved = when_within(ticket.resolution_due_at, LATE_RESOLUTION, (60, 24 * 60), (3 * 60, 5 * 24 * 60))
    resolved = max(resolved, last + timedelta(minutes=worked + 10))
    desk.at(resolved, step(lambda: services.comment_add(ticket=ticket, author=agent, body=text["resolution"])))
    desk.at(resolved + timedelta(seconds=30), step(
        lambda: services.ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)))
    if rng.random() < CONFIRMED:
        confirmed = _working(resolved + _minutes(rng, 60, 2 * 24 * 60), hours)
        desk.at(confirmed, step(lambda: services.ticket_confirm_resolution(ticket=ticket, actor=requester)))


def _filings(desk: _Desk, start: datetime) -> None:
    """Each weekday, a few tickets per customer at random times in the customer's office hours."""
    rng = desk.rng
    number = itertools.count(1)
    day = start
    while day < desk.end:
        if day.weekday() < 5:
            for requester_name, agent_name, per_day, hours in CUSTOMERS:
                language = desk.users[requester_name].language or "de"
                count = sum(rng.random() < per_day / 3 for _ in range(3))  # 0 to 3, on average per_day
                for _ in range(count):
                    filed_at = day.replace(hour=rng.randrange(*hours), minute=rng.randrange(60),
                                           second=rng.randrange(60))
                    topic = rng.choice(TOPICS[requester_name])
                    key = f"{KEY_PREFIX}{next(number)}"
                    desk.at(filed_at, lambda key=key, r=requester_name, a=agent_name, h=hours, t=topic, lang=language:
                            _file(desk, key=key, requester_name=r, agent_name=a, hours=h, topic=t, language=lang))
        day = timezone.localtime(day + timedelta(days=1)).replace(hour=0)


def seed(context: dict[str, object]) -> dict[str, object]:
    """The history before the seeding's day, unless a history exists already or the seeding
    asked for none (`seed_demo --without-history`)."""
    if not context.get("history", True) or Ticket.objects.filter(idempotency_key__startswith=KEY_PREFIX).exists():
        return {}
    start, end = history_start_and_end(context.get("now") or timezone.now())
    desk = _Desk(users=context["users"], end=end, rng=random.Random(SEED))  # noqa: S311 (demo data, not secrets)
    _filings(desk, start)
    desk.run()
    notifications.mark_as_sent(ticket_ids=desk.tickets)
    return {"history_tickets": desk.tickets}
