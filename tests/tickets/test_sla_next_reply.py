"""The next-reply target through the services and the escalation scan (docs/sla-semantics.md §8):
customer messages start cycles, public agent replies settle them, notes and messages before the
first reaction do nothing, a pause status stops the cycle, every cycle has its row and escalates
once per level; a severity change recomputes a running cycle.

Setting: a de-nrw-standard-like calendar, severe = reaction 6h / next reply 4h, minor = reaction
1.5d / next reply 1d, warning at 75 %; a fault filed Monday 23 Nov 2026 10:00 (Berlin)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from escalation.kinds import mail_context
from escalation.models import Escalation
from escalation.services import escalation_scan
from notifications.kinds import notification_show
from sla import services as sla_services
from sla.choices import SlaState, Status, TargetState
from sla.models import SlaChange
from tests.factories import AgentFactory, ContactFactory, OrganisationFactory
from tests.sla.factories import contract, nrw_calendar
from tickets import services
from tickets.models import NextReplyCycle, Ticket, TicketEvent
from tickets.timeline import describe, timeline_extra_items

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def berlin(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=BERLIN)


class Clock:
    def __init__(self) -> None:
        self.now: datetime | None = None


@pytest.fixture
def at(monkeypatch):
    fixed = Clock()
    real = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: fixed.now or real())

    def move(instant: datetime) -> datetime:
        fixed.now = instant
        return instant

    return move


@pytest.fixture
def desk():
    calendar = nrw_calendar()
    policy = sla_services.policy_create(name="Standard Köln", slug="standard-koeln", calendar=calendar,
                                        post_breach_after="2h")
    sla_services.policy_target_set(policy=policy, severity="severe", reaction_target="6h", next_reply_target="4h")
    sla_services.policy_target_set(policy=policy, severity="minor", reaction_target="1.5d", next_reply_target="1d")
    organisation = OrganisationFactory()
    contract(organisation, policy)
    return {"customer": ContactFactory(organisation=organisation), "agent": AgentFactory(), "policy": policy}


@pytest.fixture
def filed(desk, at):
    at(berlin(23, 10))
    customer = desk["customer"]
    return services.ticket_create(
        organisation=customer.organisation, requester=customer, actor=customer, subject="Kasse hängt: „E42“",
        description="Seit dem Update startet die Kasse nicht.", category="fault", severity="severe",
        reported_at=berlin(23, 10),
    ).ticket


def say(ticket, author, instant, at, *, internal: bool = False) -> Ticket:
    at(instant)
    services.comment_add(ticket=ticket, author=author, body="Nachricht über Größen", is_internal=internal)
    return Ticket.objects.get(pk=ticket.pk)


def utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC)


def test_filing_copies_the_next_reply_target_but_starts_no_cycle(filed):
    assert (filed.next_reply_target, filed.next_reply_cycle, filed.next_reply_state) == ("4h", 0, "")
    assert not NextReplyCycle.objects.exists()


def test_a_customer_message_after_the_first_reaction_starts_a_cycle_and_the_agent_reply_meets_it(filed, desk, at):
    ticket = say(filed, desk["agent"], berlin(23, 11), at)
    assert ticket.reaction_state == TargetState.MET
    ticket = say(ticket, desk["customer"], berlin(23, 12), at)
    assert (ticket.next_reply_cycle, ticket.next_reply_state) == (1, TargetState.OPEN)
    assert (ticket.next_reply_due_at, ticket.next_reply_warning_at) == (berlin(23, 16), berlin(23, 15))
    assert ticket.next_escalation_at == berlin(23, 15)
    ticket = say(ticket, desk["agent"], berlin(23, 15, 30), at)
    assert (ticket.next_reply_state, ticket.next_reply_business_seconds) == (TargetState.MET, 3 * 3600 + 1800)
    assert ticket.sla_state == SlaState.MET and ticket.next_escalation_at is None
    row = NextReplyCycle.objects.get(ticket=ticket)
    assert (row.number, row.state, row.target, row.started_at) == (1, TargetState.MET, "4h", berlin(23, 12))
    assert (row.settled_at, row.due_at, row.answered_by) == (berlin(23, 15, 30), berlin(23, 16), desk["agent"])


def test_before_the_first_reaction_a_customer_message_starts_nothing_and_the_reaction_target_stays(filed, desk, at):
    ticket = say(filed, desk["customer"], berlin(23, 10, 30), at)
    assert (ticket.next_reply_cycle, ticket.next_reply_state) == (0, "")
    assert (ticket.reaction_state, ticket.reaction_due_at) == (TargetState.OPEN, berlin(23, 16))
    ticket = say(ticket, desk["agent"], berlin(23, 15), at)
    assert (ticket.reaction_state, ticket.next_reply_state) == (TargetState.MET, "")


def test_an_internal_note_does_not_settle_the_cycle_and_a_second_message_does_not_restart_it(filed, desk, at):
    ticket = say(filed, desk["agent"], berlin(23, 11), at)
    ticket = say(ticket, desk["customer"], berlin(23, 12), at)
    ticket = say(ticket, desk["agent"], berlin(23, 13), at, internal=True)
    assert ticket.next_reply_state == TargetState.OPEN
    ticket = say(ticket, desk["customer"], berlin(23, 14), at)
    assert (ticket.next_reply_cycle, ticket.next_reply_started_at) == (1, berlin(23, 12))
    ticket = say(ticket, desk["agent"], berlin(23, 16, 0, 1), at)
    assert ticket.next_reply_state == TargetState.BREACHED
    assert NextReplyCycle.objects.get(ticket=ticket).state == TargetState.BREACHED


def test_answered_cycles_never_escalate_unlike_zammad_3140(filed, desk, at):
    ticket = say(filed, desk["agent"], berlin(23, 11), at)
    ticket = say(ticket, desk["customer"], berlin(23, 12), at)
    say(ticket, desk["agent"], berlin(23, 13), at)
    assert escalation_scan(now=berlin(24, 16)) == []
    assert not Escalation.objects.filter(target="next_reply").exists()


def test_each_cycle_escalates_once_per_level(filed, desk, at):
    ticket = say(filed, desk["agent"], berlin(23, 11), at)
    ticket = say(ticket, desk["customer"], berlin(23, 12), at)
    fired = escalation_scan(now=berlin(23, 16, 0, 5))
    assert [(f.escalation.target, f.escalation.level, f.escalation.cycle) for f in fired] == [
        ("next_reply", "warning", 1), ("next_reply", "breach", 1),
    ]
    assert escalation_scan(now=berlin(23, 16, 0, 10)) == []
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.sla_state == SlaState.BREACHED and ticket.next_escalation_at == berlin(24, 10)  # post-breach
    ticket = say(ticket, desk["agent"], berlin(23, 16, 30), at)
    ticket = say(ticket, desk["customer"], berlin(24, 9), at)
    assert (ticket.next_reply_cycle, ticket.escalations_fired & 0b111000000) == (2, 0)
    fired = escalation_scan(now=berlin(24, 12))
    assert [(f.escalation.level, f.escalation.cycle) for f in fired] == [("warning", 2)]
    assert escalation_scan(now=berlin(24, 12)) == []
    rows = Escalation.objects.filter(ticket=ticket, target="next_reply").order_by("pk")
    assert [(row.level, row.cycle, row.due_at) for row in rows] == [
        ("warning", 1, berlin(23, 15)), ("breach", 1, berlin(23, 16)), ("warning", 2, berlin(24, 12)),
    ]


def test_waiting_on_the_customer_pauses_the_cycle_with_the_resolution_clock(filed, desk, at):
    ticket = say(filed, desk["agent"], berlin(23, 11), at)
    ticket = say(ticket, desk["customer"], berlin(23, 12), at)
    at(berlin(23, 13))
    services.ticket_change_status(ticket=ticket, actor=desk["agent"], status=Status.WAITING_ON_CUSTOMER)
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert (ticket.next_reply_state, ticket.sla_state, ticket.next_escalation_at) == (
        TargetState.PAUSED, SlaState.PAUSED, None)
    ticket = say(ticket, desk["customer"], berlin(24, 10), at)  # back to in progress: the clock runs again
    assert ticket.status == Status.IN_PROGRESS
    assert (ticket.next_reply_cycle, ticket.next_reply_state) == (1, TargetState.OPEN)
    assert ticket.next_reply_due_at == berlin(24, 13)  # 5 h paused appended to Monday 16:00
    assert NextReplyCycle.objects.get(ticket=ticket).due_at == berlin(24, 13)


def test_resolving_decides_the_cycle_and_a_reopen_starts_fresh_with_the_next_message(filed, desk, at):
    ticket = say(filed, desk["agent"], berlin(23, 11), at)
    ticket = say(ticket, desk["customer"], berlin(23, 12), at)
    at(berlin(23, 14))
    services.ticket_change_status(ticket=ticket, actor=desk["agent"], status=Status.RESOLVED)
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.next_reply_state == TargetState.MET
    row = NextReplyCycle.objects.get(ticket=ticket)
    assert (row.state, row.settled_at, row.answered_by) == (TargetState.MET, berlin(23, 14), None)
    at(berlin(24, 9))
    services.ticket_reopen(ticket=ticket, actor=desk["customer"])
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.next_reply_state == TargetState.MET
    ticket = say(ticket, desk["customer"], berlin(24, 9, 30), at)
    assert (ticket.next_reply_cycle, ticket.next_reply_state) == (2, TargetState.OPEN)
    assert NextReplyCycle.objects.filter(ticket=ticket).count() == 2


def test_a_severity_change_recomputes_the_running_cycle_from_its_start(filed, desk, at):
    ticket = say(filed, desk["agent"], berlin(23, 11), at)
    ticket = say(ticket, desk["customer"], berlin(23, 12), at)
    at(berlin(23, 12, 30))
    services.ticket_change_severity(ticket=ticket, actor=desk["agent"], severity="minor", reason="Nur eine Kasse")
    ticket = Ticket.objects.get(pk=ticket.pk)
    # 1d from Monday 12:00: 5/8 of Monday, then 3/8 of Tuesday's 8 h = 12:00.
    assert (ticket.next_reply_target, ticket.next_reply_due_at) == ("1d", berlin(24, 12))
    assert NextReplyCycle.objects.get(ticket=ticket).due_at == berlin(24, 12)
    event = TicketEvent.objects.filter(ticket=ticket, code="severity_changed").get()
    assert "next_reply_due_at" in event.payload["deadlines"]
    with translation.override("en"):
        text = describe(event, "Agent")
    assert "Next-reply deadline: Monday, 23 November 2026, 16:00 CET → Tuesday, 24 November 2026, 12:00 CET." in text


def test_a_policy_without_next_reply_target_drops_a_running_cycle_at_a_severity_change(filed, desk, at):
    sla_services.policy_target_set(policy=desk["policy"], severity="minor", reaction_target="1.5d")
    ticket = say(filed, desk["agent"], berlin(23, 11), at)
    ticket = say(ticket, desk["customer"], berlin(23, 12), at)
    at(berlin(23, 12, 30))
    services.ticket_change_severity(ticket=ticket, actor=desk["agent"], severity="minor", reason="Nur eine Kasse")
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert (ticket.next_reply_target, ticket.next_reply_state, ticket.next_reply_due_at) == ("", "", None)
    assert not NextReplyCycle.objects.exists()
    ticket = say(ticket, desk["customer"], berlin(23, 13), at)
    assert ticket.next_reply_state == ""


def test_a_ticket_without_contract_has_no_next_reply(desk, at):
    at(berlin(23, 10))
    stranger = ContactFactory()
    ticket = services.ticket_create(
        organisation=stranger.organisation, requester=stranger, actor=stranger, subject="Frage zur Größe",
        description="Wie groß?", category="fault", severity="severe", reported_at=berlin(23, 10),
    ).ticket
    ticket = say(ticket, desk["agent"], berlin(23, 11), at)
    ticket = say(ticket, stranger, berlin(23, 12), at)
    assert (ticket.next_reply_target, ticket.next_reply_state, ticket.sla_state) == ("", "", SlaState.NONE)


def test_the_workspace_shows_the_running_cycle_with_its_business_time(filed, desk, at, client):
    ticket = say(filed, desk["agent"], berlin(23, 11), at)
    say(ticket, desk["customer"], berlin(23, 12), at)
    at(berlin(23, 13, 30))
    desk["agent"].language = "en"
    desk["agent"].save(update_fields=["language"])
    client.force_login(desk["agent"])
    response = client.get(reverse("tickets:workspace", kwargs={"reference": ticket.reference}))
    assert response.status_code == 200
    shown = {clock.kind: clock for clock in (row["clock"] for row in response.context["clocks"])}
    assert (shown["next_reply"].used_seconds, shown["next_reply"].left_seconds) == (5400, 9000)
    assert 'data-testid="sla-clock-next_reply"' in response.content.decode()
    assert "Next reply" in response.content.decode()


@pytest.mark.parametrize(("language", "level", "expected"), [
    ("en", "warning", "The customer of HD-1 waits for an answer, due by Monday, 23 November 2026, 16:00 CET: "
                      "1 h 0 min of support time left."),
    ("en", "breach", "The customer of HD-1 waits for an answer that was due on Monday, 23 November 2026, 16:00 CET."),
    ("de", "post_breach", "Der Kunde von HD-1 hat noch immer keine Antwort: Sie war am Montag, 23. November 2026, "
                          "16:00 CET fällig."),
])
def test_next_reply_escalations_read_as_whole_sentences_in_both_languages(language, level, expected):
    reader = AgentFactory(language=language)
    payload = {"target": "next_reply", "level": level, "reference": "HD-1", "cycle": 2,
               "due_at": utc(berlin(23, 16)).isoformat(), "level_at": utc(berlin(23, 15)).isoformat(),
               "left_seconds": 3600}
    with translation.override(language):
        assert notification_show(kind="sla_escalation", payload=payload, reader=reader).text == expected


def test_a_policy_target_refuses_a_malformed_next_reply_target_and_audits_a_change(desk):
    with pytest.raises(ValidationError) as refused:
        sla_services.policy_target_set(policy=desk["policy"], severity="severe", reaction_target="6h",
                                       next_reply_target="4 Stunden")
    assert list(refused.value.message_dict) == ["next_reply_target"]
    row = sla_services.policy_target_set(policy=desk["policy"], severity="severe", reaction_target="6h",
                                         next_reply_target="120m")
    assert row.next_reply_target == "2h"  # the engine's canonical notation
    change = SlaChange.objects.filter(object_kind="policy_target", object_id=row.pk, action="changed").latest("pk")
    assert (change.old_values["next_reply_target"], change.new_values["next_reply_target"]) == ("4h", "2h")


def test_the_workspace_timeline_names_each_next_reply_escalation_with_its_cycle(filed, desk, at):
    ticket = say(filed, desk["agent"], berlin(23, 11), at)
    say(ticket, desk["customer"], berlin(23, 12), at)
    escalation_scan(now=berlin(23, 16))
    texts = [item.text for item in timeline_extra_items(ticket=ticket) if item.icon == "bell"]
    assert texts == ["Escalation: the answer to the customer's message (cycle 1) is due soon.",
                     "Escalation: the answer to the customer's message (cycle 1) is overdue."]


def test_a_next_reply_escalation_mail_has_a_subject_and_headline(filed, desk):
    reader = AgentFactory(language="en")
    payload = {"target": "next_reply", "level": "breach", "reference": filed.reference, "cycle": 1,
               "due_at": utc(berlin(23, 16)).isoformat(), "level_at": utc(berlin(23, 16)).isoformat()}
    mail = SimpleNamespace(payload=payload, ticket=filed, recipient=reader, key="sla-escalation:1:1")
    with translation.override("en"):
        context = mail_context(mail)
    assert context["subject"] == (f"[{filed.reference}] Answer to the customer overdue "
                                  f"(Monday, 23 November 2026, 16:00 CET): {filed.subject}")
    assert context["headline"].startswith(f"The customer of {filed.reference} waits for an answer")


def _running_cycle(filed, desk, at):
    """Reaction at 11:00, a customer message at 12:00: cycle 1 runs, due 16:00."""
    say(filed, desk["agent"], berlin(23, 11), at)
    return say(filed, desk["customer"], berlin(23, 12), at)


def _duplicate_merged_at(filed, desk, at, instant):
    customer = desk["customer"]
    main = services.ticket_create(
        organisation=customer.organisation, requester=customer, actor=customer, subject="Kasse hängt wieder",
        description="Dieselbe Kasse.", category="fault", severity="severe", reported_at=berlin(23, 10),
    ).ticket
    at(instant)
    services.ticket_merge(duplicate=filed, main=main, actor=desk["agent"])
    filed.refresh_from_db()
    return filed


def test_a_merged_duplicates_overdue_cycle_is_breached_on_the_ticket_and_its_row(filed, desk, at):
    _running_cycle(filed, desk, at)
    duplicate = _duplicate_merged_at(filed, desk, at, berlin(23, 16, 30))
    assert duplicate.next_reply_state == TargetState.BREACHED
    row = NextReplyCycle.objects.get(ticket=duplicate)
    assert (row.state, row.settled_at) == (TargetState.BREACHED, utc(berlin(23, 16, 30)))


def test_a_merged_duplicates_cycle_not_yet_due_is_dropped_with_its_row(filed, desk, at):
    _running_cycle(filed, desk, at)
    duplicate = _duplicate_merged_at(filed, desk, at, berlin(23, 13))
    assert duplicate.next_reply_state == "" and duplicate.next_reply_due_at is None
    assert not NextReplyCycle.objects.filter(ticket=duplicate).exists()
    escalation_scan(now=utc(berlin(24, 12)))
    assert not Escalation.objects.filter(ticket=duplicate, target="next_reply").exists()
