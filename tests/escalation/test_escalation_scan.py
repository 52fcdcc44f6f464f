"""The escalation scan in eager mode: the right levels, at their real due time, once, to the
right people; nothing for tickets that reacted, resolved or paused in time."""

from datetime import date, timedelta

import pytest
from django.core import mail

from escalation import services as escalation_module
from escalation.models import Escalation
from escalation.schedule import business_for
from escalation.services import escalation_scan
from escalation.sql import escalations_insert
from escalation.tasks import escalation_scan as escalation_scan_task
from notifications.models import Notification, OutboxMail
from sla import services as sla_services
from sla.choices import SlaState, Status
from sla.engine import clock as target_clock
from sla.models import Policy
from tests.escalation.escalation_support import DUE_AT, POST_BREACH_AT, WARNING_AT, berlin, file_fault
from tickets import services
from tickets.models import Ticket
from tickets.tasks import sla_recompute_for_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo):
    return demo["users"]


def levels(ticket):
    return [(e.target, e.level, e.due_at) for e in Escalation.objects.filter(ticket=ticket).order_by("due_at", "pk")]


def told(ticket, level):
    """Usernames notified in-app about `level` of the ticket."""
    return sorted(
        n.recipient.username for n in Notification.objects.filter(ticket=ticket) if n.payload["level"] == level
    )


def mailed(ticket, level):
    """Usernames with an escalation mail about `level` of the ticket (not the ticket's own mails)."""
    rows = OutboxMail.objects.filter(ticket=ticket, kind="sla_escalation")
    return sorted(m.recipient.username for m in rows if m.payload["level"] == level)


def escalation_mails():
    """The sent escalation mails (filing the ticket mailed its requester and team, too)."""
    return [m for m in mail.outbox if m.extra_headers["X-Helpdesk-Outbox"].startswith("sla-escalation:")]


def scan_at(clock, instant):
    clock.set(instant)
    return escalation_scan(now=instant)


def test_nothing_fires_before_the_warning_instant(users, clock):
    ticket = file_fault(users, clock)
    assert ticket.next_escalation_at == WARNING_AT
    assert scan_at(clock, berlin(2, 13, 29, 59)) == []
    assert not Escalation.objects.filter(ticket=ticket).exists()


def test_warning_goes_to_the_team_when_nobody_is_assigned(users, clock):
    ticket = file_fault(users, clock)
    fired = scan_at(clock, berlin(2, 13, 31))
    assert [(f.reference, f.escalation.level) for f in fired] == [(ticket.reference, "warning")]
    assert levels(ticket) == [("reaction", "warning", WARNING_AT)]
    assert told(ticket, "warning") == ["agent", "manager"]  # the members of 1st level DE
    assert mailed(ticket, "warning") == ["agent", "manager"]
    ticket.refresh_from_db()
    assert ticket.sla_state == SlaState.AT_RISK
    assert ticket.next_escalation_at == DUE_AT


def test_warning_goes_only_to_the_assignee(users, clock):
    ticket = file_fault(users, clock)
    clock.set(berlin(2, 9, 5))
    services.ticket_assign(ticket=ticket, actor=users["agent"], assignee=users["agent"])
    scan_at(clock, berlin(2, 13, 31))
    assert told(ticket, "warning") == mailed(ticket, "warning") == ["agent"]


def test_breach_tells_the_team_lead_and_the_managers_and_marks_the_ticket_breached(users, clock, demo):
    demo["teams"]["de-1st-level"].lead = users["us-agent"]
    demo["teams"]["de-1st-level"].save(update_fields=["lead"])
    ticket = file_fault(users, clock)
    scan_at(clock, berlin(2, 13, 31))
    fired = scan_at(clock, berlin(2, 15, 0, 30))
    assert [f.escalation.level for f in fired] == ["breach"]
    # The lead of 1st level DE and the manager; not the administrator, not the team's members.
    assert told(ticket, "breach") == mailed(ticket, "breach") == ["manager", "us-agent"]
    ticket.refresh_from_db()
    assert ticket.sla_state == SlaState.BREACHED
    assert ticket.next_escalation_at is None  # no post-breach level configured, no resolution target


def test_running_the_task_twice_and_duplicate_beat_ticks_fire_nothing_twice(
    users, clock, django_capture_on_commit_callbacks
):
    ticket = file_fault(users, clock)
    mail.outbox.clear()
    clock.set(berlin(2, 15, 1))
    for _tick in range(3):  # the task twice, then a duplicated beat tick
        with django_capture_on_commit_callbacks(execute=True):
            escalation_scan_task.delay()
    assert levels(ticket) == [("reaction", "warning", WARNING_AT), ("reaction", "breach", DUE_AT)]
    assert Notification.objects.filter(ticket=ticket).count() == 3  # warning: agent, manager; breach: manager
    assert OutboxMail.objects.filter(ticket=ticket, kind="sla_escalation").count() == 3
    assert sorted(m.to[0] for m in escalation_mails()) == ["agent@demo.example", "manager@demo.example",
                                                           "manager@demo.example"]


def test_catch_up_after_an_outage_records_the_real_due_times(users, clock):
    Policy.objects.filter(slug="standard-de").update(post_breach_after="2h")
    ticket = file_fault(users, clock)
    scan_time = berlin(4, 8, 0)  # the workers were down from Monday morning until Wednesday
    fired = scan_at(clock, scan_time)
    assert [f.escalation.level for f in fired] == ["warning", "breach", "post_breach"]
    assert levels(ticket) == [
        ("reaction", "warning", WARNING_AT),
        ("reaction", "breach", DUE_AT),
        ("reaction", "post_breach", POST_BREACH_AT),
    ]
    assert set(Escalation.objects.filter(ticket=ticket).values_list("fired_at", flat=True)) == {scan_time}
    assert told(ticket, "post_breach") == ["manager"]
    ticket.refresh_from_db()
    assert ticket.next_escalation_at is None


def test_post_breach_fires_after_the_business_delay_not_before(users, clock):
    Policy.objects.filter(slug="standard-de").update(post_breach_after="2h")
    ticket = file_fault(users, clock)
    scan_at(clock, berlin(2, 15, 1))
    ticket.refresh_from_db()
    assert ticket.next_escalation_at == POST_BREACH_AT  # 15:00 + 2 business hours = 17:00
    assert scan_at(clock, berlin(2, 16, 59)) == []
    assert [f.escalation.level for f in scan_at(clock, berlin(2, 17, 0))] == ["post_breach"]


def test_a_ticket_that_reacted_in_time_never_escalates(users, clock):
    ticket = file_fault(users, clock)
    clock.set(berlin(2, 10))
    services.comment_add(ticket=ticket, author=users["agent"], body="Wir sehen uns das an.")
    ticket.refresh_from_db()
    assert ticket.next_escalation_at is None
    assert scan_at(clock, berlin(9, 12)) == []
    assert not Escalation.objects.filter(ticket=ticket).exists()


def test_an_internal_note_is_no_reaction_and_does_not_stop_the_escalation(users, clock):
    ticket = file_fault(users, clock)
    clock.set(berlin(2, 10))
    services.comment_add(ticket=ticket, author=users["agent"], body="Intern: Kunde anrufen.", is_internal=True)
    assert [f.escalation.level for f in scan_at(clock, berlin(2, 15, 1))] == ["warning", "breach"]


def test_a_ticket_touched_after_its_warning_instant_still_escalates_at_the_next_scan(users, clock):
    ticket = file_fault(users, clock)
    clock.set(berlin(2, 13, 30, 20))  # after the warning instant, before the next scan
    services.comment_add(ticket=ticket, author=users["customer"], body="Gibt es schon etwas Neues?")
    ticket.refresh_from_db()
    assert ticket.next_escalation_at == WARNING_AT
    assert [f.escalation.level for f in scan_at(clock, berlin(2, 13, 31))] == ["warning"]


def test_a_ticket_resolved_in_time_never_escalates(users, clock):
    ticket = file_fault(users, clock, username="pos-customer")  # POS policy: severe 6h reaction, 3d resolution
    assert ticket.resolution_due_at is not None
    clock.set(berlin(2, 9, 30))
    services.ticket_change_status(ticket=ticket, actor=users["agent"], status=Status.IN_PROGRESS)
    clock.set(berlin(2, 11))
    services.ticket_change_status(ticket=ticket, actor=users["agent"], status=Status.RESOLVED)
    ticket.refresh_from_db()
    assert ticket.next_escalation_at is None
    assert scan_at(clock, berlin(20, 12)) == []


def test_a_paused_resolution_clock_never_escalates_and_resumes_later(users, clock):
    ticket = file_fault(users, clock, username="pos-customer")
    resolution_due = ticket.resolution_due_at
    clock.set(berlin(2, 9, 30))
    services.ticket_change_status(ticket=ticket, actor=users["agent"], status=Status.IN_PROGRESS)
    clock.set(berlin(2, 10))
    services.ticket_change_status(ticket=ticket, actor=users["agent"], status=Status.WAITING_ON_CUSTOMER)
    ticket.refresh_from_db()
    assert ticket.next_escalation_at is None
    assert scan_at(clock, resolution_due + timedelta(days=3)) == []
    assert not Escalation.objects.filter(ticket=ticket).exists()


def test_a_severity_change_moves_the_next_escalation_instant(users, clock):
    ticket = file_fault(users, clock, severity="minor")  # 1.5d: warning Tue 10:00, due Tue 13:00
    assert ticket.next_escalation_at == berlin(3, 10)
    clock.set(berlin(2, 10))
    services.ticket_change_severity(ticket=ticket, actor=users["agent"], severity="severe")
    ticket.refresh_from_db()
    assert ticket.next_escalation_at == WARNING_AT
    assert [f.escalation.level for f in scan_at(clock, berlin(2, 13, 31))] == ["warning"]


def test_a_downgrade_moves_the_escalation_later(users, clock):
    ticket = file_fault(users, clock)
    clock.set(berlin(2, 10))
    services.ticket_change_severity(ticket=ticket, actor=users["agent"], severity="minor")
    ticket.refresh_from_db()
    assert ticket.next_escalation_at == berlin(3, 10)
    assert scan_at(clock, berlin(2, 15, 1)) == []


def test_a_new_closure_moves_the_next_escalation_instant(users, clock):
    ticket = file_fault(users, clock, severity="minor")
    calendar = ticket.sla_calendar
    clock.set(berlin(2, 10))
    sla_services.closure_add(calendar=calendar, start_date=date(2026, 3, 3), end_date=date(2026, 3, 3),
                             reason="Betriebsversammlung")
    # What the commit hands to the worker (here the demo seeding's callback for the same calendar
    # is still pending in the test's open transaction, so the service does not enqueue it again).
    sla_recompute_for_calendar(calendar.pk)
    ticket.refresh_from_db()
    assert ticket.next_escalation_at == berlin(4, 10)  # the warning moved from Tuesday to Wednesday
    assert scan_at(clock, berlin(3, 13, 1)) == []


def test_reseller_tickets_escalate_to_the_reseller_not_to_the_vendor(users, clock):
    ticket = file_fault(users, clock, username="partner-customer")
    scan_at(clock, berlin(2, 15, 1))
    # PartnerSoft's team: the partner agent is member and lead; the vendor's managers cannot see it.
    assert told(ticket, "warning") == ["partner-agent"]
    assert told(ticket, "breach") == ["partner-agent"]


def test_a_level_recorded_by_someone_else_is_not_acted_on_again(users, clock):
    ticket = file_fault(users, clock)
    warning = [(ticket.pk, target_clock.levels(ticket, None, ticket_open=True)[0])]
    first = escalations_insert(warning, berlin(2, 13, 31))
    again = escalations_insert(warning, berlin(2, 13, 32))
    assert [e.level for e in first] == ["warning"] and again == []
    assert Escalation.objects.filter(ticket=ticket).count() == 1


def _pending_instants(ticket):
    return [level.at for level in target_clock.pending_levels(ticket, business_for(ticket), ticket_open=True)]


def test_pending_levels_leave_out_what_fired(users, clock):
    Policy.objects.filter(slug="standard-de").update(post_breach_after="2h")
    ticket = file_fault(users, clock)
    ticket = Ticket.objects.select_related("sla_policy", "sla_calendar").get(pk=ticket.pk)
    assert _pending_instants(ticket) == [WARNING_AT, DUE_AT, POST_BREACH_AT]
    scan_at(clock, berlin(2, 15, 1))
    ticket = Ticket.objects.select_related("sla_policy", "sla_calendar").get(pk=ticket.pk)
    assert _pending_instants(ticket) == [POST_BREACH_AT]


def test_a_ticket_without_sla_never_escalates(users, clock):
    ticket = file_fault(users, clock, category="question", severity="")
    assert ticket.next_escalation_at is None
    assert scan_at(clock, berlin(20, 12)) == []


def test_the_scan_handles_many_tickets_in_batches(users, clock):
    tickets = [file_fault(users, clock) for _ in range(7)]
    fired = escalation_scan(now=berlin(2, 15, 1), batch_size=3)
    assert len(fired) == 14
    assert all(len(levels(t)) == 2 for t in tickets)
    assert escalation_scan(now=berlin(2, 15, 2), batch_size=3) == []


def test_escalation_mail_is_in_the_recipients_language(users, clock, django_capture_on_commit_callbacks):
    ticket = file_fault(users, clock, username="us-customer", at=berlin(2, 15))  # US desk: 09:00 New York
    mail.outbox.clear()
    clock.set(berlin(3, 15, 1))
    with django_capture_on_commit_callbacks(execute=True):
        escalation_scan(now=berlin(3, 15, 1))
    us_warning = [m for m in escalation_mails() if m.to == ["us-agent@demo.example"]]
    assert us_warning, [m.to for m in mail.outbox]
    # The warning fell due at 13:30 New York; the reaction is due at 15:00 New York (21:00 in Berlin,
    # the zone the vendor's agents read: accounts.formatting.time_zone_for).
    assert us_warning[0].subject == (
        f"[{ticket.reference}] Reaction due by Monday, 2 March 2026, 21:00 CET: {ticket.subject}"
    )
    assert (f"The reaction to {ticket.reference} is due by Monday, 2 March 2026, 21:00 CET: "
            "1 h 30 min of support time left.") in us_warning[0].body
    assert f"/tickets/{ticket.reference}/work/" in us_warning[0].body  # the agent's workspace
    manager_breach = [m for m in escalation_mails() if m.to == ["manager@demo.example"] and "verpasst" in m.subject]
    assert manager_breach and manager_breach[0].subject.startswith(f"[{ticket.reference}] Reaktionsfrist verpasst")


def test_a_ticket_whose_levels_cannot_be_computed_does_not_hold_up_the_others(users, clock, monkeypatch, caplog):
    broken, fine = file_fault(users, clock), file_fault(users, clock)
    real = escalation_module.due_levels

    def due_levels(ticket, **kwargs):
        if ticket.pk == broken.pk:
            raise ValueError("corrupt deadline")
        return real(ticket, **kwargs)

    monkeypatch.setattr(escalation_module, "due_levels", due_levels)
    fired = scan_at(clock, berlin(2, 15, 1))
    assert {f.reference for f in fired} == {fine.reference}
    assert f"ticket {broken.pk} skipped" in caplog.text
    broken.refresh_from_db()
    assert broken.next_escalation_at == berlin(2, 15, 16)  # tried again a quarter of an hour later
    monkeypatch.setattr(escalation_module, "due_levels", real)
    assert [f.escalation.level for f in scan_at(clock, berlin(2, 15, 16))] == ["warning", "breach"]


def test_the_number_of_queries_does_not_grow_with_the_number_of_due_tickets(users, clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for day, number in ((2, 2), (9, 9)):
        for _ in range(number):
            file_fault(users, clock, at=berlin(day, 9))
        clock.set(berlin(day, 15, 1))
        with CaptureQueriesContext(connection) as queries:
            fired = escalation_scan(now=berlin(day, 15, 1))
        assert len(fired) == 2 * number
        counts.append(len(queries))
    assert counts[0] == counts[1]
