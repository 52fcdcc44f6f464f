"""Every mail the product sends is an outbox row, written in the transaction of its cause and sent
only after the commit: for each kind, the row is there before anything is sent, and a rolled-back
cause leaves no row."""


import pytest
from django.core import mail
from django.db import transaction

from notifications.kinds import _KINDS
from notifications.models import Notification, OutboxMail, OutboxStatus
from notifications.services import notification_settings_save
from notifications.tasks import outbox_deliver
from sla.choices import Status
from tests.escalation.escalation_support import berlin, file_fault
from tests.inbound.conftest import mail as inbound_mail
from tests.tickets.conftest import upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def users(demo):
    return demo["users"]


class Rollback(Exception):
    pass


def file_ticket(users, clock):
    """A severe fault of the demo customer, its own mails sent already (filed at `berlin(2, 9)`)."""
    ticket = file_fault(users, clock)
    outbox_deliver()
    mail.outbox.clear()
    return ticket


def _filed(users, clock):
    from tickets.services import ticket_create

    requester = users["customer"]
    return ticket_create(organisation=requester.organisation, requester=requester, actor=requester,
                         subject="Neu", description="Neu.", category="fault", severity="minor",
                         reported_at=clock.now).ticket


def _agent_reply(users, clock):
    from tickets.services import comment_add

    comment_add(ticket=file_ticket(users, clock), author=users["agent"], body="Antwort", files=[upload()])


def _customer_reply(users, clock):
    from tickets.services import comment_add

    comment_add(ticket=file_ticket(users, clock), author=users["customer"], body="Noch da?")


def _workaround(users, clock):
    from tickets.services import ticket_change_status, ticket_provide_workaround

    ticket = ticket_change_status(ticket=file_ticket(users, clock), actor=users["agent"], status=Status.IN_PROGRESS)
    ticket_provide_workaround(ticket=ticket, actor=users["agent"], workaround="Neu starten.")


def _resolved(users, clock):
    from tickets.services import ticket_change_status

    ticket = ticket_change_status(ticket=file_ticket(users, clock), actor=users["agent"], status=Status.IN_PROGRESS)
    ticket_change_status(ticket=ticket, actor=users["agent"], status=Status.RESOLVED)


def _assigned(users, clock):
    from tickets.services import ticket_assign

    ticket_assign(ticket=file_ticket(users, clock), actor=users["manager"], assignee=users["agent"])


def _fix_released(users, clock):
    from products.models import Product
    from products.services import release_create, release_publish
    from tickets.services import ticket_set_fix_release

    ticket = file_ticket(users, clock)
    product = Product.objects.create(slug="pruefstand", name="Prüfstand-Software")
    release = release_create(actor=users["manager"], now=clock.now, product=product, version="9.1",
                             notes_de="Behoben: Fehler 42.")
    ticket_set_fix_release(ticket=ticket, actor=users["agent"], release="", product_release=release)
    release_publish(release=release, actor=users["manager"], now=clock.now)


def _escalation(users, clock):
    from escalation.services import escalation_scan

    file_ticket(users, clock)
    clock.set(berlin(2, 15, 1))
    escalation_scan(now=clock.now)


def _digest(users, clock):
    from escalation.digest import escalation_digest_run

    manager = users["manager"]
    notification_settings_save(user=manager, choices={"escalation_breach": "digest"})
    Notification.objects.create(recipient=manager, kind="sla_escalation", created_at=berlin(2, 15, 1),
                                payload={"target": "reaction", "level": "breach", "reference": "HD-2026-000001",
                                         "due_at": berlin(2, 15).isoformat()})
    escalation_digest_run(now=berlin(3, 7))


def _auto_answer(users, clock):
    from api.inbound import mail_ingest

    mail_ingest(raw=inbound_mail("reader.eml"))


def _password_reset(users, clock):
    from notifications.password_reset import QueuedPasswordResetForm

    form = QueuedPasswordResetForm({"email": users["customer"].email})
    assert form.is_valid()
    form.save(domain_override="ignored")


def _chat_transcript(users, clock):
    from chat import services
    from chat.access import CUSTOMER
    from chat.mail import chat_transcript_mail
    from tests.chat.factories import always_open_desk, available_agent

    desk = always_open_desk()
    available_agent()
    chat = services.chat_start(desk=desk, customer=users["customer"], body="Hallo", now=clock.now)
    chat_transcript_mail(chat=chat, side=CUSTOMER, now=clock.now)


def _merged(users, clock):
    from tickets.services import ticket_merge

    main = file_ticket(users, clock)
    ticket_merge(duplicate=_filed(users, clock), main=main, actor=users["agent"])


def _agent_absent(users, clock):
    from datetime import date

    from tickets.services import absence_record, ticket_assign

    ticket_assign(ticket=file_ticket(users, clock), actor=users["manager"], assignee=users["agent"])
    absence_record(actor=users["agent"], agent=users["agent"], starts_on=date(2026, 12, 2),
                   ends_on=date(2026, 12, 4), now=clock.now)  # the lead of de-1st-level is the manager


# kind → what causes it
CAUSES = {
    "ticket_confirmation": _filed,
    "ticket_new_in_team": _filed,
    "ticket_agent_reply": _agent_reply,
    "ticket_customer_reply": _customer_reply,
    "ticket_workaround": _workaround,
    "ticket_resolved": _resolved,
    "ticket_satisfaction_survey": _resolved,  # the survey is asked at the first resolution
    "ticket_assigned": _assigned,
    "ticket_fix_released": _fix_released,
    "ticket_merged": _merged,
    "sla_escalation": _escalation,
    "sla_escalation_digest": _digest,
    "inbound_auto_answer": _auto_answer,
    "password_reset": _password_reset,
    "chat_transcript": _chat_transcript,
    "agent_absent_open_tickets": _agent_absent,
}


def test_every_registered_kind_of_mail_is_tested_here():
    assert set(_KINDS) == set(CAUSES)


def _rows(kind):
    return OutboxMail.objects.filter(kind=kind)


@pytest.mark.parametrize("kind", sorted(CAUSES))
def test_the_row_is_written_with_its_cause_and_sent_only_after_the_commit(
    kind, users, clock, django_capture_on_commit_callbacks
):
    clock.set(berlin(2, 9))
    before = set(_rows(kind).values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        CAUSES[kind](users, clock)
        written = _rows(kind).exclude(pk__in=before)
        assert written.exists(), f"no {kind} mail recorded in the cause's transaction"
    assert mail.outbox == []  # nothing is sent inside the transaction
    assert {row.status for row in written} == {OutboxStatus.PENDING}
    assert callbacks  # the delivery task, enqueued for after the commit
    for callback in callbacks:
        callback()
    assert {row.status for row in _rows(kind).exclude(pk__in=before)} == {OutboxStatus.SENT}
    assert mail.outbox


@pytest.mark.parametrize("kind", sorted(CAUSES))
def test_a_rolled_back_cause_leaves_no_row(kind, users, clock):
    clock.set(berlin(2, 9))
    before = OutboxMail.objects.filter(kind=kind).count()
    with pytest.raises(Rollback), transaction.atomic():
        CAUSES[kind](users, clock)
        assert OutboxMail.objects.filter(kind=kind).count() > before
        raise Rollback
    assert OutboxMail.objects.filter(kind=kind).count() == before
    assert mail.outbox == []


def test_the_digest_covers_each_escalation_once(users, clock):
    from escalation.digest import escalation_digest_run

    manager = users["manager"]
    notification_settings_save(user=manager, choices={"escalation_breach": "digest", "escalation_warning": "mail"})
    for hour, level in ((10, "breach"), (11, "warning"), (12, "breach")):
        Notification.objects.create(recipient=manager, kind="sla_escalation", created_at=berlin(2, hour),
                                    payload={"target": "reaction", "level": level, "reference": f"HD-2026-{hour:06d}",
                                             "due_at": berlin(2, hour).isoformat()})
    assert escalation_digest_run(now=berlin(3, 7)) == 1
    assert escalation_digest_run(now=berlin(3, 7, 5)) == 0  # a duplicate tick
    outbox_deliver()
    [digest] = [m for m in mail.outbox if m.to == [manager.email]]
    assert digest.subject == "Tägliche Übersicht: 2 Eskalationen"
    assert "HD-2026-000010" in digest.body and "HD-2026-000012" in digest.body
    assert "HD-2026-000011" not in digest.body  # warnings are mailed at once, not in the digest
    assert "/tickets/HD-2026-000010/work/" in digest.body
    Notification.objects.create(recipient=manager, kind="sla_escalation", created_at=berlin(3, 9),
                                payload={"target": "reaction", "level": "breach", "reference": "HD-2026-000099",
                                         "due_at": berlin(3, 9).isoformat()})
    assert escalation_digest_run(now=berlin(4, 7)) == 1
    outbox_deliver()
    second = [m for m in mail.outbox if m.to == [manager.email]][-1]
    assert "HD-2026-000099" in second.body and "HD-2026-000010" not in second.body
    assert escalation_digest_run(now=berlin(5, 7)) == 0  # nothing new: no empty digest
    assert OutboxMail.objects.filter(kind="sla_escalation_digest").count() == 2


def test_a_manager_in_digest_mode_gets_no_immediate_escalation_mail_but_the_bell(users, clock):
    from escalation.services import escalation_scan

    notification_settings_save(user=users["manager"], choices={"escalation_warning": "digest",
                                                               "escalation_breach": "digest"})
    notification_settings_save(user=users["agent"], choices={"escalation_warning": "off"})
    ticket = file_fault(users, clock)
    escalation_scan(now=berlin(2, 15, 1))
    told = sorted(Notification.objects.filter(ticket=ticket).values_list("recipient__username", "payload__level"))
    assert told == [("agent", "warning"), ("manager", "breach"), ("manager", "warning")]
    assert not OutboxMail.objects.filter(ticket=ticket, kind="sla_escalation").exists()


def test_an_erased_person_gets_no_queued_mail_and_loses_their_settings(users, clock):
    from notifications.models import NotificationSettings
    from privacy.services import person_erase

    customer = users["customer"]
    notification_settings_save(user=customer, choices={"ticket_reply": "off"})
    _password_reset(users, clock)
    _auto_answer(users, clock)  # the reader's automatic answer names no address on the row ...
    person_erase(person=customer, actor=users["admin"], reason="Antrag", confirmation=customer.username,
                 now=berlin(2, 10))
    person_erase(person=users["reader"], actor=users["admin"], reason="Antrag", confirmation="reader",
                 now=berlin(2, 10))
    assert not OutboxMail.objects.filter(recipient=customer).exists()
    assert not NotificationSettings.objects.filter(user=customer).exists()
    outbox_deliver()  # ... so the erased sender's address is gone with the inbound log: nothing goes out
    assert mail.outbox == []
    assert OutboxMail.objects.get(kind="inbound_auto_answer").status == OutboxStatus.FAILED
