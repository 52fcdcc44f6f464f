"""What the batches of a load share: the organisations with their SLA policies, the report
instants and the references of all tickets, and the plan the command hands the worker processes."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.management.base import CommandError
from django.db import transaction

from sla import engine
from tickets.models import TicketCounter
from tickets.references import format_reference, reference_year

YEARS_BACK = 3
MAX_COMMENTS = 3  # per generated ticket (the comment id blocks of the batches rely on it)

# Set by the command before the worker processes are forked (they inherit it; nothing is pickled):
# seed, now, organisations, instants, references, count, batch, ticket_base, comment_base, columns,
# defaults (the model's default per column, for the columns the generator does not write).
PLAN: dict = {}
# The agents' names by id, for the assignment events (also set by the command).
PEOPLE: dict[int, str] = {}


@dataclass
class OrgInfo:
    """What the generator needs to know about one customer organisation."""

    id: int
    name: str
    language: str
    contacts: list[int]
    team_id: int | None
    agents: list[int]  # who works this organisation's tickets
    policy: object | None  # (policy id, calendar id, business calendar, targets by severity, threshold)
    pos_policy: object | None = None  # the override for faults, if any
    weight: int = 1


@dataclass
class PolicyInfo:
    id: int
    calendar_id: int
    business: engine.BusinessCalendar
    targets: dict[str, tuple[str, str]]  # severity -> (reaction text, resolution text)
    threshold: int
    post_breach_after: str = ""
    pause_statuses: frozenset[str] = frozenset()


@dataclass
class Generated:
    ticket: dict
    comments: list[dict]
    events: list[dict]
    time_entries: list[dict]
    escalations: list[dict]


def reported_instants(rng: random.Random, count: int, now: datetime) -> list[datetime]:
    """`count` report instants over the last YEARS_BACK years, mostly in office hours, sorted."""
    start = now - timedelta(days=365 * YEARS_BACK)
    span_days = (now - start).days
    instants = []
    for _ in range(count):
        day = start + timedelta(days=rng.randrange(span_days + 1))
        hour = rng.choice((7, 8, 8, 9, 9, 9, 10, 10, 10, 11, 11, 12, 13, 13, 14, 14, 15, 15, 16, 17, 19, 22))
        moment = day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60), microsecond=0)
        instants.append(min(moment, now - timedelta(minutes=1)))
    instants.sort()
    return instants


def reserve_references(instants) -> list[str]:
    """Reserve a block of numbers per year in the reference counters and hand them out in order."""
    years = [reference_year(moment) for moment in instants]
    needed = Counter(years)
    first = {}
    with transaction.atomic():
        for year, amount in sorted(needed.items()):
            TicketCounter.objects.get_or_create(year=year)
            counter = TicketCounter.objects.select_for_update().get(year=year)
            if counter.last_number + amount > 999_999:
                raise CommandError(f"{year} would need more than 999,999 references: create fewer tickets.")
            first[year] = counter.last_number + 1
            counter.last_number += amount
            counter.save(update_fields=["last_number"])
    references = []
    for year in years:
        references.append(format_reference(year, first[year]))
        first[year] += 1
    return references
