"""The database expressions of the queue and the dashboard (`tickets.sla_expressions`) say what the
target clock (`sla.engine.clock`) says, for every one of a few hundred generated tickets with every
combination of target states, instants before and after `now`, reactions, pauses and closings."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import factory
import pytest
from django.db.models import Q

from sla.engine import clock
from tests.factories import OrganisationFactory
from tickets import sla_expressions as expressions
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
NOWS = [NOW - timedelta(hours=30), NOW, NOW + timedelta(hours=30)]
OPEN_STATUSES = ["new", "in_progress", "waiting", "workaround"]
DONE_STATUSES = ["resolved", "closed"]


def _instant(rng: random.Random) -> datetime:
    """Somewhere within three days of NOW, sometimes exactly on it."""
    return NOW if rng.random() < 0.05 else NOW + timedelta(minutes=rng.randint(-72 * 60, 72 * 60))


class BookkeepingTicketFactory(factory.django.DjangoModelFactory):
    """A ticket row with arbitrary SLA bookkeeping, written directly (like the load generator):
    the point is to cover states the services reach only through long event sequences."""

    class Meta:
        model = Ticket

    reference = factory.Sequence(lambda n: f"HD-2026-{n + 1:06d}")
    subject = "Kasse startet nicht: Fehler „E42“"
    description = "Seit dem Update hängt die Anmeldung."
    category = "fault"
    severity = "severe"
    organisation = factory.SubFactory(OrganisationFactory)


def _bookkeeping(rng: random.Random) -> dict:
    done = rng.random() < 0.25
    status = rng.choice(DONE_STATUSES if done else OPEN_STATUSES)
    reported = NOW - timedelta(hours=rng.randint(1, 96))
    values = {"status": status, "reported_at": reported}
    for kind in clock.KINDS:
        states = ["", clock.OPEN, clock.MET, clock.BREACHED] + ([clock.PAUSED] if kind in clock.PAUSABLE else [])
        state = rng.choice(states)
        values[f"{kind}_state"] = state
        values[f"{kind}_target"] = "6h" if state else ""
        values[f"{kind}_due_at"] = _instant(rng) if state else None
        values[f"{kind}_warning_at"] = (
            min(values[f"{kind}_due_at"], _instant(rng)) if state and rng.random() < 0.8 else None
        )
    reacted = rng.random() < 0.5
    values["first_reaction_at"] = _instant(rng) if reacted else None
    values["resolved_at"] = _instant(rng) if status == "resolved" or rng.random() < 0.1 else None
    values["closed_at"] = _instant(rng) if status == "closed" else None
    return values


@pytest.fixture
def generated():
    rng = random.Random(20261125)
    organisation = OrganisationFactory()
    tickets = BookkeepingTicketFactory.create_batch(400, organisation=organisation)
    fields = set()
    for ticket in tickets:
        values = _bookkeeping(rng)
        fields.update(values)
        for name, value in values.items():
            setattr(ticket, name, value)
    Ticket.objects.bulk_update(tickets, sorted(fields))
    return list(Ticket.objects.order_by("pk"))  # with the generated queue columns


def _matching(q: Q) -> set[int]:
    return set(Ticket.objects.filter(q).values_list("pk", flat=True))


def test_the_sla_state_expression_selects_exactly_the_tickets_the_clock_gives_that_state(generated):
    states = [clock.NONE, clock.ON_TRACK, clock.AT_RISK, clock.BREACHED, clock.PAUSED, clock.STATE_MET]
    for now in NOWS:
        seen = set()
        for state in states:
            expected = {t.pk for t in generated if clock.sla_state(t, now) == state}
            assert _matching(expressions.sla_state_q(state, now)) == expected, (state, now)
            seen |= expected
        assert len(seen) == len(generated)
        assert len({clock.sla_state(t, now) for t in generated}) == len(states)  # every state occurs


def test_breached_overdue_warned_and_met_agree_with_the_clock(generated):
    checks = [(expressions.is_breached, clock.is_breached), (expressions.is_overdue, clock.is_overdue),
              (expressions.is_warned, clock.is_warned)]
    for now in NOWS:
        for kind in clock.KINDS:
            for expression, rule in checks:
                expected = {t.pk for t in generated if rule(t, kind, now)}
                assert _matching(expression(kind, now)) == expected, (rule.__name__, kind, now)
                assert 0 < len(expected) < len(generated)
    for kind in (clock.REACTION, clock.RESOLUTION):  # a next-reply cycle's instant is on its row
        rows = dict(Ticket.objects.filter(**{f"{kind}_state": clock.MET})
                    .annotate(met=expressions.met_at(kind)).values_list("pk", "met"))
        for ticket in generated:
            assert rows.get(ticket.pk) == clock.met_at(ticket, kind, ticket.resolved_at, ticket.closed_at)


def test_the_state_at_now_agrees_with_the_clock(generated):
    for now in NOWS:
        for kind in clock.KINDS:
            rows = dict(Ticket.objects.annotate(now_state=expressions.state_at(kind, now))
                        .values_list("pk", "now_state"))
            assert rows == {t.pk: clock.state_at(t, kind, now) for t in generated}, (kind, now)
            overdue = [t for t in generated if clock.is_overdue(t, kind, now)]
            assert overdue and all(rows[t.pk] == clock.BREACHED for t in overdue)


def test_the_stored_queue_columns_are_the_clocks_queue_position(generated):
    for ticket in generated:
        bucket, at = clock.queue_position(ticket, done=ticket.status in DONE_STATUSES)
        assert (ticket.queue_bucket, ticket.queue_sort_at) == (bucket, at), ticket.pk
    assert {ticket.queue_bucket for ticket in generated} == {0, 1, 2}
