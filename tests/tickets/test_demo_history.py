"""The demo's three months of history: a working desk, written through the services on a fixed
clock, the same on the same day, silent."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from escalation.models import Escalation
from notifications.models import Notification, OutboxMail
from sla.choices import Status, TargetState
from tests.conftest import _wipe_demo
from tests.tickets.sla_helpers import berlin, clock
from tickets.demo import first_demo_reference
from tickets.demo_history import KEY_PREFIX, history_start_and_end
from tickets.models import Comment, Ticket, TimeEntry

pytestmark = pytest.mark.django_db


def _history():
    return Ticket.objects.filter(idempotency_key__startswith=KEY_PREFIX)


def test_history_covers_the_thirteen_weeks_before_the_seeding_day(demo):
    start, end = history_start_and_end(demo["now"])
    assert end == timezone.localtime(demo["now"]).replace(hour=0, minute=0, second=0, microsecond=0)
    assert end - start == timedelta(weeks=13)
    tickets = list(_history())
    assert len(tickets) >= 100
    assert all(start <= t.reported_at < end for t in tickets)
    for week in range(13):  # every week of the dashboard's chart has reactions met or breached
        first = start + timedelta(weeks=week)
        assert _history().filter(
            first_reaction_at__gte=first, first_reaction_at__lt=first + timedelta(weeks=1),
            reaction_state__in=[TargetState.MET, TargetState.BREACHED],
        ).exists(), f"week {week}"
    for ticket in tickets:  # filed on a weekday
        assert timezone.localtime(ticket.reported_at).weekday() < 5


def test_history_looks_like_a_working_desk(demo):
    statuses = set(_history().values_list("status", flat=True))
    assert {Status.CLOSED, Status.RESOLVED} <= statuses  # most of it is done
    assert _history().filter(status__in=[Status.NEW, Status.IN_PROGRESS, Status.WAITING_ON_CUSTOMER]).exists()
    reactions = _history().exclude(reaction_state="")
    breached = reactions.filter(reaction_state=TargetState.BREACHED).count()
    assert 0 < breached < reactions.filter(reaction_state=TargetState.MET).count() / 4  # mostly in time
    assert TimeEntry.objects.filter(ticket__in=_history()).count() >= 100
    assert Comment.objects.filter(ticket__in=_history(), author__organisation__kind="customer").exists()
    assert Escalation.objects.filter(ticket__in=_history()).exists()


def test_its_sla_fields_are_the_services_own(demo):
    """Met means reacted by the deadline, breached means not; resolution likewise."""
    for ticket in _history().exclude(reaction_state=""):
        if ticket.reaction_state == TargetState.MET:
            assert ticket.first_reaction_at <= ticket.reaction_due_at, ticket.reference
        if ticket.reaction_state == TargetState.BREACHED:
            assert ticket.first_reaction_at is None or ticket.first_reaction_at > ticket.reaction_due_at
    for ticket in _history().filter(resolution_state=TargetState.MET):
        assert ticket.resolved_at is not None
    for escalation in Escalation.objects.filter(ticket__in=_history()):
        assert escalation.fired_at == escalation.due_at  # the scan ran when the level fell due


def test_nobody_is_mailed_and_the_bell_holds_nothing_old(demo):
    history = _history()
    assert Escalation.objects.filter(ticket__in=history).exists()
    assert not OutboxMail.objects.filter(ticket__in=history).exists()
    assert not Notification.objects.filter(ticket__in=history).exists()


def test_the_first_reference_stays_muellers_printer_ticket(demo):
    ticket = Ticket.objects.get(reference=first_demo_reference(demo["now"]))
    assert ticket.idempotency_key == "demo:mueller-printer"


def _seed_at(instant):
    with clock(instant):
        call_command("seed_demo", stdout=open("/dev/null", "w"), now=instant)  # noqa: SIM115
    return list(_history().order_by("reported_at").values_list(
        "reported_at", "subject", "status", "reaction_state", "first_reaction_at", "resolved_at",
    ))


def test_the_same_day_gives_the_same_history(db):
    monday = berlin(2026, 11, 23, 10, 0)
    first = _seed_at(monday)
    _wipe_demo()
    assert _seed_at(monday + timedelta(hours=5)) == first  # later the same day
    assert first[0][0] >= berlin(2026, 8, 24, 0, 0) and first[-1][0] < berlin(2026, 11, 23, 0, 0)


def test_seeding_without_history_writes_only_todays_desk(db):
    _wipe_demo()
    with open("/dev/null", "w") as devnull:
        call_command("seed_demo", "--without-history", stdout=devnull)
    assert not _history().exists()
    assert Ticket.objects.get(reference=first_demo_reference()).subject
