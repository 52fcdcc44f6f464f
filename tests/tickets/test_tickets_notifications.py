"""Mail after commit, to the right people, in their language, once per event and recipient."""

from datetime import UTC, datetime

import pytest
from django.core import mail

from sla.choices import Status
from tests.tickets.conftest import upload
from tests.tickets.sla_helpers import berlin, clock
from tickets import services
from tickets.models import NotificationSent, Ticket
from tickets.tasks import notify_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the services hand to transaction.on_commit (the mail task), as a real commit would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def _to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_confirmation_goes_to_the_requester_in_german_with_the_reaction_deadline(committed, file_ticket, users):
    with clock(berlin(2026, 11, 23, 10, 0)):  # a minor fault: 1.5 working days
        ticket = committed(file_ticket)
    [message] = mail.outbox
    assert message.to == [users["customer"].email]
    assert message.subject == f"[{ticket.reference}] Ticket erhalten: Prüfstand meldet Fehler 42"
    assert "Wir reagieren bis Dienstag, 24. November 2026, 14:00 CET." in message.body
    assert f"/tickets/{ticket.reference}/" in message.body
    html = message.alternatives[0][0]
    assert ticket.reference in html and 'lang="de"' in html


def test_confirmation_names_the_reaction_deadline_when_set(file_ticket, users):
    ticket = file_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(reaction_due_at=datetime(2026, 11, 23, 12, 30, tzinfo=UTC))
    mail.outbox.clear()
    notify_event(ticket.events.get().pk)
    assert "Wir reagieren bis Montag, 23. November 2026, 13:30 CET." in mail.outbox[0].body


def test_us_customer_gets_english_mail_in_eastern_time(file_ticket, users):
    ticket = file_ticket("us-customer")
    Ticket.objects.filter(pk=ticket.pk).update(reaction_due_at=datetime(2026, 11, 23, 19, 0, tzinfo=UTC))
    mail.outbox.clear()
    notify_event(ticket.events.get().pk)
    [message] = mail.outbox
    assert message.subject.startswith(f"[{ticket.reference}] Ticket received:")
    assert "We will react by Monday, 23 November 2026, 14:00 EST." in message.body


def test_reseller_customer_is_reminded_who_supports_them(committed, file_ticket):
    committed(file_ticket, "partner-customer")
    assert "PartnerSoft GmbH" in mail.outbox[0].body


def test_agent_reply_goes_to_the_customer_with_text_and_files(committed, file_ticket, users):
    ticket = file_ticket()
    mail.outbox.clear()
    committed(services.comment_add, ticket=ticket, author=users["agent"], body="Bitte **neu starten**.",
              files=[upload("Anleitung.pdf")])
    [message] = mail.outbox
    assert message.to == [users["customer"].email]
    assert "Neue Antwort" in message.subject and ticket.reference in message.subject
    assert "Bitte **neu starten**." in message.body and "Anleitung.pdf" in message.body
    assert "<strong>neu starten</strong>" in message.alternatives[0][0]


def test_customer_reply_goes_to_the_assignee(committed, file_ticket, users):
    ticket = services.ticket_assign(ticket=file_ticket(), actor=users["agent"], assignee=users["agent"])
    mail.outbox.clear()
    committed(services.comment_add, ticket=ticket, author=users["customer"], body="Firmware 2.1")
    assert [m.to for m in mail.outbox] == [[users["agent"].email]]
    assert "Antwort des Kunden" in mail.outbox[0].subject


def test_customer_reply_to_an_unassigned_ticket_goes_to_the_team(committed, file_ticket, users, demo):
    ticket = file_ticket()
    mail.outbox.clear()
    committed(services.comment_add, ticket=ticket, author=users["customer"], body="Noch da?")
    members = {u.email for u in demo["teams"]["de-1st-level"].members.all()}
    assert {m.to[0] for m in mail.outbox} == members


def test_internal_note_mails_nobody(committed, file_ticket, users):
    ticket = file_ticket()
    mail.outbox.clear()
    committed(services.comment_add, ticket=ticket, author=users["agent"], body="intern", is_internal=True)
    assert mail.outbox == []


@pytest.mark.parametrize(("status", "subject"), [(Status.RESOLVED, "Gelöst"), (Status.WORKAROUND, "Umgehungslösung")])
def test_workaround_and_resolution_go_to_the_customer(committed, file_ticket, users, status, subject):
    ticket = services.ticket_change_status(ticket=file_ticket(), actor=users["agent"], status=Status.IN_PROGRESS)
    mail.outbox.clear()
    if status == Status.WORKAROUND:
        committed(services.ticket_provide_workaround, ticket=ticket, actor=users["agent"], workaround="Neu starten.")
    else:
        committed(services.ticket_change_status, ticket=ticket, actor=users["agent"], status=status)
    [message] = mail.outbox
    assert message.to == [users["customer"].email] and subject in message.subject


def test_nobody_is_mailed_about_their_own_action(committed, file_ticket, users):
    ticket = file_ticket()
    services.ticket_change_status(ticket=ticket, actor=users["agent"], status=Status.IN_PROGRESS)
    mail.outbox.clear()
    committed(services.ticket_close, ticket=ticket, actor=users["customer"])
    assert mail.outbox == []


def test_mail_waits_for_the_commit(django_capture_on_commit_callbacks, file_ticket):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        file_ticket()
    assert len(callbacks) == 1  # handed to on_commit, not sent inside the transaction
    assert mail.outbox == []


def test_task_run_twice_sends_once(file_ticket, users):
    ticket = file_ticket()
    event = ticket.events.get()
    mail.outbox.clear()
    assert notify_event(event.pk) == 1
    assert notify_event(event.pk) == 0
    assert len(mail.outbox) == 1
    assert NotificationSent.objects.filter(event=event).count() == 1


def test_failed_sending_is_not_recorded_so_a_retry_sends(file_ticket, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    ticket = file_ticket()
    event = ticket.events.get()
    original = EmailMultiAlternatives.send

    def smtp_down(self, *args, **kwargs):
        raise OSError("smtp server unreachable")

    monkeypatch.setattr(EmailMultiAlternatives, "send", smtp_down)
    with pytest.raises(OSError):
        notifications_send(event.pk)
    assert not NotificationSent.objects.filter(event=event).exists()
    monkeypatch.setattr(EmailMultiAlternatives, "send", original)
    assert notifications_send(event.pk) == 1


def notifications_send(event_id):
    from tickets.notifications import send_for_event

    return send_for_event(event_id=event_id)


def test_missing_event_is_a_no_op():
    assert notify_event(987654321) == 0


def test_inactive_or_mailless_people_are_skipped(file_ticket, users):
    ticket = file_ticket()
    users["customer"].email = ""
    users["customer"].save(update_fields=["email"])
    mail.outbox.clear()
    assert notify_event(ticket.events.get().pk) == 0
