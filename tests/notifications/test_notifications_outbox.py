"""The e-mail outbox: mails recorded with the change are sent once, retried with backoff after
an SMTP failure, and picked up by the sweep after a crash."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMessage

from escalation.services import escalation_scan
from notifications import delivery, services
from notifications.models import OutboxMail, OutboxStatus
from notifications.tasks import outbox_deliver
from tests.escalation.escalation_support import berlin, file_fault

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo):
    return demo["users"]


@pytest.fixture
def escalated(users, clock):
    """A ticket whose warning (to agent and manager) and breach (to the manager) were escalated at
    Monday 15:01; the three mails are recorded but the delivery enqueued on commit never ran (as if
    the process died right after the commit)."""
    ticket = file_fault(users, clock)
    OutboxMail.objects.all().delete()  # filing mailed the requester and the team: not these tests' mails
    clock.set(berlin(2, 15, 1))
    escalation_scan(now=clock.now)
    mail.outbox.clear()
    return ticket


def test_a_crash_before_delivery_loses_nothing_the_sweep_sends_each_mail_once(escalated, clock):
    assert OutboxMail.objects.filter(status=OutboxStatus.PENDING).count() == 3
    assert outbox_deliver() == {"sent": 3, "failed": 0, "gave_up": 0}
    assert outbox_deliver() == {"sent": 0, "failed": 0, "gave_up": 0}  # the sweep again: nothing twice
    assert len(mail.outbox) == 3
    assert not OutboxMail.objects.exclude(status=OutboxStatus.SENT).exists()
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 3


def test_an_smtp_failure_is_retried_with_backoff_and_then_sent_exactly_once(escalated, clock):
    with mock.patch.object(EmailMessage, "send", side_effect=smtplib.SMTPServerDisconnected("gone")):
        assert outbox_deliver() == {"sent": 0, "failed": 3, "gave_up": 0}
    rows = list(OutboxMail.objects.all())
    assert {row.status for row in rows} == {OutboxStatus.PENDING}
    assert {row.attempts for row in rows} == {1}
    assert {row.next_attempt_at for row in rows} == {berlin(2, 15, 2)}  # one minute later
    assert "SMTPServerDisconnected" in rows[0].last_error
    clock.set(berlin(2, 15, 1, 30))
    assert outbox_deliver()["sent"] == 0  # not due yet
    clock.set(berlin(2, 15, 2))
    assert outbox_deliver()["sent"] == 3
    assert outbox_deliver()["sent"] == 0
    assert len(mail.outbox) == 3


def test_the_backoff_doubles_up_to_an_hour():
    assert [delivery.retry_delay(n) for n in (1, 2, 3, 7, 8, 20)] == [
        timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4), timedelta(minutes=60),
        timedelta(minutes=60), timedelta(minutes=60),
    ]


def test_a_mail_is_given_up_after_the_last_attempt_and_can_be_queued_again(escalated, clock):
    OutboxMail.objects.update(attempts=delivery.MAX_ATTEMPTS - 1)
    with mock.patch.object(EmailMessage, "send", side_effect=smtplib.SMTPRecipientsRefused({})):
        assert outbox_deliver()["gave_up"] == 3
    assert set(OutboxMail.objects.values_list("status", flat=True)) == {OutboxStatus.FAILED}
    clock.set(berlin(2, 20))
    assert outbox_deliver()["sent"] == 0  # given up stays given up
    row = OutboxMail.objects.first()
    assert services.outbox_mail_retry(mail=row) is True
    assert services.outbox_mail_retry(mail=row) is False
    assert outbox_deliver()["sent"] == 1


def test_a_recipient_without_address_is_given_up_at_once(escalated, users):
    users["agent"].email = ""
    users["agent"].save(update_fields=["email"])
    result = outbox_deliver()
    assert (result["sent"], result["gave_up"]) == (2, 1)
    assert OutboxMail.objects.get(status=OutboxStatus.FAILED).recipient == users["agent"]


def test_a_crash_after_sending_before_marking_sent_sends_again_with_the_same_message_id(escalated, clock):
    """The documented at-least-once window: the SMTP server accepted the mail, then the commit
    that marks it sent did not happen. When its lease has run out, the mail is sent a second
    time, with the same Message-ID; the mails of the batch not started are due again at once."""

    def crash_on_mark_sent(mail):
        raise ConnectionError("database went away")

    with mock.patch.object(delivery, "_mark_sent", crash_on_mark_sent), pytest.raises(ConnectionError):
        outbox_deliver()
    assert len(mail.outbox) == 1
    assert OutboxMail.objects.filter(status=OutboxStatus.PENDING).count() == 3
    assert outbox_deliver()["sent"] == 2  # the two not started; the one in flight is leased
    clock.set(clock.now + delivery.LEASE)
    assert outbox_deliver()["sent"] == 1
    assert len(mail.outbox) == 4
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert ids.count(ids[0]) == 2


def test_two_runs_at_once_claim_different_mails(escalated, clock):
    first = delivery._claim(clock.now, 2)
    second = delivery._claim(clock.now, 10)
    assert (len(first), len(second)) == (2, 1)
    assert {m.pk for m in second}.isdisjoint(m.pk for m in first)
    assert delivery._claim(clock.now, 10) == []  # all three leased
    clock.set(clock.now + delivery.LEASE)
    assert len(delivery._claim(clock.now, 10)) == 3  # a run that died: its lease ran out


def test_recording_the_same_key_twice_keeps_one_mail(users, django_capture_on_commit_callbacks):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.outbox_mail_add(
                key="sla-escalation:1:1", recipient=users["manager"], kind="sla_escalation",
                payload={"target": "reaction", "level": "breach", "due_at": "2026-03-02T14:00:00+00:00",
                         "reference": "HD-2026-000001"},
            )
    assert OutboxMail.objects.filter(key="sla-escalation:1:1").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("[HD-2026-000001] Reaktionsfrist verpasst")


def test_a_failed_mail_does_not_hold_up_the_others(escalated):
    real_send = EmailMessage.send
    calls = []

    def first_fails(self, *args, **kwargs):
        calls.append(self.to)
        if len(calls) == 1:
            raise smtplib.SMTPDataError(451, "try later")
        return real_send(self, *args, **kwargs)

    with mock.patch.object(EmailMessage, "send", first_fails):
        result = outbox_deliver()
    assert (result["sent"], result["failed"]) == (2, 1)


def test_a_backlog_larger_than_one_run_is_drained_by_follow_up_runs(escalated, monkeypatch):
    from notifications import tasks

    monkeypatch.setattr(tasks, "BATCH", 2)
    assert outbox_deliver() == {"sent": 2, "failed": 0, "gave_up": 0}  # and a follow-up run sent the 3rd
    assert len(mail.outbox) == 3
    assert not OutboxMail.objects.filter(status=OutboxStatus.PENDING).exists()


def test_a_run_goes_on_while_mails_are_due_even_below_its_batch(escalated, monkeypatch):
    from notifications import tasks

    sent_by_run = []
    real = delivery.outbox_deliver_due

    def one_at_a_time(*, limit, now=None):  # as if each run ended after one mail (time, a crash...)
        result = real(limit=1, now=now)
        sent_by_run.append(result.sent)
        return result

    monkeypatch.setattr(delivery, "outbox_deliver_due", one_at_a_time)
    tasks.outbox_deliver()
    assert sent_by_run == [1, 1, 1, 0] or sent_by_run == [1, 1, 1]
    assert len(mail.outbox) == 3


def test_a_broker_outage_at_enqueue_leaves_the_mails_to_the_sweep(escalated, monkeypatch, caplog):
    from kombu.exceptions import OperationalError

    from notifications import tasks

    monkeypatch.setattr(tasks, "BATCH", 2)
    with mock.patch.object(tasks.outbox_deliver, "delay", side_effect=OperationalError("Connection refused")):
        tasks.outbox_deliver_enqueue()  # after a commit: no exception into the caller
        assert tasks.outbox_deliver() == {"sent": 2, "failed": 0, "gave_up": 0}  # its follow-up failed
    assert "delivery not enqueued" in caplog.text
    assert OutboxMail.objects.filter(status=OutboxStatus.PENDING).count() == 1
    assert outbox_deliver()["sent"] == 1  # the sweep


def test_deleting_a_ticket_or_a_person_removes_their_notifications_and_mails(escalated, users):
    from notifications.models import Notification

    assert Notification.objects.filter(ticket=escalated).exists()
    escalated.delete()
    assert not Notification.objects.filter(ticket_id=escalated.pk).exists()
    assert not OutboxMail.objects.filter(ticket_id=escalated.pk).exists()
    from tests.factories import AgentFactory

    newcomer = AgentFactory()
    services.outbox_mail_add(key="other:1", recipient=newcomer, kind="sla_escalation", payload={})
    services.notification_create(recipient=newcomer, kind="sla_escalation", payload={})
    newcomer_id = newcomer.pk
    newcomer.delete()
    assert not OutboxMail.objects.filter(key="other:1").exists()
    assert not Notification.objects.filter(recipient_id=newcomer_id).exists()


def test_the_claim_locks_the_mail_alone_and_reads_its_ticket_by_primary_key(
    escalated, clock, django_assert_max_num_queries
):
    """The lock must not join the ticket table: joined, PostgreSQL merge-joined every ticket for each
    mail when the outbox's statistics were stale (bench/escalation_latency.py, docs/escalation.md).
    The claimed mail comes with what rendering reads, so sending it costs no further lookups."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        [claimed] = delivery._claim(clock.now, 1)
    first = next(query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT"))
    assert "notifications_outboxmail" in first and "JOIN" not in first.upper()
    assert not [query["sql"] for query in queries.captured_queries
                if "notifications_outboxmail" in query["sql"] and "tickets_ticket" in query["sql"]]
    with django_assert_max_num_queries(0):
        assert claimed.ticket.reference == escalated.reference
        assert claimed.ticket.organisation.pk == escalated.organisation_id
        assert claimed.recipient.organisation is not None
        _ = claimed.ticket.team, claimed.ticket.assignee
