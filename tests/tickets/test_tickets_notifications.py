"""Ticket mail through the outbox: recorded with its event, sent after the commit, to the right
people, in their language, once per event and recipient, threaded, with the reply's files."""

from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.db import transaction

from notifications.models import OutboxMail, OutboxStatus
from notifications.reply_tokens import token_in
from notifications.services import notification_settings_save
from notifications.tasks import outbox_deliver
from sla.choices import Status
from tests.tickets.conftest import PDF, upload
from tests.tickets.sla_helpers import berlin, clock
from tickets import services
from tickets.models import Ticket
from tickets.tasks import notify_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the services hand to transaction.on_commit (the delivery task), as a real commit would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def filed(file_ticket):
    """A ticket filed, its mails sent and forgotten: the tests look at what comes next."""

    def run(*args, **kwargs):
        ticket = file_ticket(*args, **kwargs)
        outbox_deliver()
        mail.outbox.clear()
        return ticket

    return run


def ticket_mails(ticket, **filters):
    return OutboxMail.objects.filter(ticket=ticket, key__startswith="ticket-mail:", **filters)


def to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_confirmation_goes_to_the_requester_in_german_with_the_reaction_deadline(committed, file_ticket, users):
    with clock(berlin(2026, 11, 23, 10, 0)):  # a minor fault: 1.5 working days
        ticket = committed(file_ticket)
    [message] = to(users["customer"].email)
    assert message.subject == f"[{ticket.reference}] Ticket erhalten: Prüfstand meldet Fehler 42"
    assert "Wir reagieren bis Dienstag, 24. November 2026, 14:00 CET." in message.body
    assert f"/tickets/{ticket.reference}/" in message.body
    html = message.alternatives[0][0]
    assert ticket.reference in html and 'lang="de"' in html


def test_the_mail_is_rendered_when_it_is_sent(file_ticket, users):
    ticket = file_ticket()  # recorded, not yet sent (no commit ran the delivery)
    Ticket.objects.filter(pk=ticket.pk).update(reaction_due_at=datetime(2026, 11, 23, 12, 30, tzinfo=UTC))
    outbox_deliver()
    [message] = to(users["customer"].email)
    assert "Wir reagieren bis Montag, 23. November 2026, 13:30 CET." in message.body


def test_us_customer_gets_english_mail_in_eastern_time(file_ticket, users):
    ticket = file_ticket("us-customer")
    Ticket.objects.filter(pk=ticket.pk).update(reaction_due_at=datetime(2026, 11, 23, 19, 0, tzinfo=UTC))
    outbox_deliver()
    [message] = to(users["us-customer"].email)
    assert message.subject.startswith(f"[{ticket.reference}] Ticket received:")
    assert "We will react by Monday, 23 November 2026, 14:00 EST." in message.body


def test_reseller_customer_is_reminded_who_supports_them(committed, file_ticket, users):
    committed(file_ticket, "partner-customer")
    assert "PartnerSoft GmbH" in to(users["partner-customer"].email)[0].body


def test_a_new_ticket_tells_the_team_but_not_its_manager_by_default(committed, file_ticket, users, demo):
    ticket = committed(file_ticket)
    members = {u.username for u in demo["teams"]["de-1st-level"].members.all()}
    assert {"agent", "manager"} <= members
    assert sorted(ticket_mails(ticket).values_list("kind", "recipient__username")) == [
        ("ticket_confirmation", "customer"), ("ticket_new_in_team", "agent"),
    ]
    [message] = to(users["agent"].email)
    assert message.subject == f"[{ticket.reference}] Neu in Ihrem Team: Prüfstand meldet Fehler 42"
    assert f"/tickets/{ticket.reference}/work/" in message.body  # agents open the workspace


def test_agent_reply_goes_to_the_customer_with_text_and_attached_files(committed, filed, users):
    ticket = filed()
    committed(services.comment_add, ticket=ticket, author=users["agent"], body="Bitte **neu starten**.",
              files=[upload("Anleitung.pdf")])
    [message] = mail.outbox
    assert message.to == [users["customer"].email]
    assert "Neue Antwort" in message.subject and ticket.reference in message.subject
    assert "Bitte **neu starten**." in message.body and "Anleitung.pdf" in message.body
    assert "<strong>neu starten</strong>" in message.alternatives[0][0]
    assert message.attachments == [("Anleitung.pdf", PDF, "application/pdf")]


def test_files_beyond_the_size_limit_are_linked_not_attached(committed, filed, users, settings):
    settings.SITE_URL = "https://support.example.com:8443"
    settings.MAIL_ATTACHMENTS_MAX_MB = (len(PDF) + 10) / (1024 * 1024)  # room for one of the two files
    ticket = filed()
    reply = committed(services.comment_add, ticket=ticket, author=users["agent"], body="Zwei Dateien.",
                      files=[upload("Erste.pdf"), upload("Zweite.pdf")]).comment
    [message] = mail.outbox
    assert [name for name, _content, _type in message.attachments] == ["Erste.pdf"]
    second = reply.attachments.get(original_name="Zweite.pdf")
    link = f"https://support.example.com:8443/tickets/{ticket.reference}/attachments/{second.public_id}/"
    assert link in message.body and f'href="{link}"' in message.alternatives[0][0]
    assert "Erste.pdf" in message.body  # named as attached


def test_customer_reply_goes_to_the_assignee(committed, filed, users):
    ticket = services.ticket_assign(ticket=filed(), actor=users["agent"], assignee=users["agent"])
    committed(services.comment_add, ticket=ticket, author=users["customer"], body="Firmware 2.1")
    assert [m.to for m in mail.outbox if "Antwort des Kunden" in m.subject] == [[users["agent"].email]]


def test_customer_reply_to_an_unassigned_ticket_goes_to_the_team(committed, file_ticket, users, demo):
    ticket = file_ticket()
    committed(services.comment_add, ticket=ticket, author=users["customer"], body="Noch da?")
    members = {u.pk for u in demo["teams"]["de-1st-level"].members.all()}
    assert set(ticket_mails(ticket, kind="ticket_customer_reply").values_list("recipient_id", flat=True)) == members


def test_assignment_tells_the_new_assignee_but_not_who_claims_for_themselves(committed, file_ticket, users):
    ticket = file_ticket()
    committed(services.ticket_assign, ticket=ticket, actor=users["manager"], assignee=users["agent"])
    [row] = ticket_mails(ticket, kind="ticket_assigned")
    assert row.recipient == users["agent"] and row.status == OutboxStatus.SENT
    assert any("Ihnen zugewiesen" in m.subject for m in to(users["agent"].email))
    committed(services.ticket_assign, ticket=ticket, actor=users["manager"], assignee=users["manager"])
    assert ticket_mails(ticket, kind="ticket_assigned").count() == 1  # the manager took it himself


def test_internal_note_mails_nobody(committed, file_ticket, users):
    ticket = file_ticket()
    before = ticket_mails(ticket).count()
    committed(services.comment_add, ticket=ticket, author=users["agent"], body="intern", is_internal=True)
    assert ticket_mails(ticket).count() == before


@pytest.mark.parametrize(("status", "subject"), [(Status.RESOLVED, "Gelöst"), (Status.WORKAROUND, "Umgehungslösung")])
def test_workaround_and_resolution_go_to_the_customer(committed, file_ticket, users, status, subject):
    ticket = services.ticket_change_status(ticket=file_ticket(), actor=users["agent"], status=Status.IN_PROGRESS)
    outbox_deliver()
    mail.outbox.clear()
    if status == Status.WORKAROUND:
        committed(services.ticket_provide_workaround, ticket=ticket, actor=users["agent"], workaround="Neu starten.")
    else:
        committed(services.ticket_change_status, ticket=ticket, actor=users["agent"], status=status)
    # (the first resolution also asks for a rating: a mail of its own, tests/tickets/test_satisfaction.py)
    [message] = [m for m in mail.outbox
                 if not m.extra_headers.get("X-Helpdesk-Outbox", "").startswith("satisfaction-survey:")]
    assert message.to == [users["customer"].email] and subject in message.subject


def test_nobody_is_mailed_about_their_own_action(committed, file_ticket, users):
    ticket = file_ticket()
    services.ticket_change_status(ticket=ticket, actor=users["agent"], status=Status.IN_PROGRESS)
    before = ticket_mails(ticket).count()
    committed(services.ticket_close, ticket=ticket, actor=users["customer"])
    assert ticket_mails(ticket).count() == before


def test_settings_switch_a_mail_off(committed, file_ticket, users):
    notification_settings_save(user=users["customer"], choices={"ticket_reply": "off"})
    ticket = file_ticket()
    committed(services.comment_add, ticket=ticket, author=users["agent"], body="Erledigt?")
    assert not ticket_mails(ticket, kind="ticket_agent_reply").exists()
    assert ticket_mails(ticket, kind="ticket_confirmation").exists()  # the receipt is always sent


def test_the_mail_is_recorded_with_the_event_and_sent_only_after_the_commit(
    django_capture_on_commit_callbacks, file_ticket, users
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ticket = file_ticket()
    assert ticket_mails(ticket, kind="ticket_confirmation", status=OutboxStatus.PENDING).exists()
    assert mail.outbox == [] and len(callbacks) == 1  # the delivery task, once the commit is through
    callbacks[0]()
    assert to(users["customer"].email)


def test_a_rolled_back_event_leaves_no_mail(file_ticket, users):
    ticket = file_ticket()
    before = OutboxMail.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.comment_add(ticket=ticket, author=users["agent"], body="Wird zurückgerollt.")
        assert OutboxMail.objects.count() == before + 1
        raise RuntimeError("the request failed after the reply")
    assert OutboxMail.objects.count() == before


def test_every_mail_of_a_ticket_is_in_its_thread_and_carries_the_recipients_reply_address(
    committed, file_ticket, users, settings
):
    settings.SITE_URL = "https://support.example.com"
    ticket = committed(file_ticket)
    committed(services.comment_add, ticket=ticket, author=users["agent"], body="Antwort")
    committed(services.comment_add, ticket=ticket, author=users["customer"], body="Danke")
    thread = f"<hd.{ticket.reference}.thread@support.example.com>"
    mails = [m for m in mail.outbox if m.extra_headers.get("X-Helpdesk-Ticket") == ticket.reference]
    assert len(mails) >= 4
    ids = [m.extra_headers["Message-ID"] for m in mails]
    assert len(set(ids)) == len(ids)
    for message in mails:
        headers = message.extra_headers
        assert headers["Message-ID"].startswith(f"<hd.{ticket.reference}.ticket-mail.")
        assert headers["Message-ID"].endswith("@support.example.com>")
        assert headers["In-Reply-To"] == headers["References"] == thread
        assert headers["Auto-Submitted"] == "auto-generated"
        assert headers["X-Loop"] == "helpdesk@localhost"
        token = token_in(headers["Reply-To"])
        recipient = next(u for u in users.values() if [u.email] == message.to)
        assert (token.ticket_id, token.user_id) == (ticket.pk, recipient.pk)
    parsed = message_from_bytes(mails[0].message().as_bytes(), policy=policy.default)
    assert parsed["In-Reply-To"] == thread and parsed["Reply-To"].startswith("helpdesk+hd-")


def test_an_old_task_message_records_its_mails_once_and_sends_nothing_itself(file_ticket):
    ticket = file_ticket()
    event = ticket.events.get()
    OutboxMail.objects.filter(ticket=ticket).delete()  # as if queued before the outbox existed
    assert notify_event(event.pk) == 2  # the confirmation and the team's mail
    assert notify_event(event.pk) == 2  # planned again, recorded once
    assert ticket_mails(ticket).count() == 2
    assert mail.outbox == []
    assert notify_event(987654321) == 0


def test_inactive_or_mailless_people_are_skipped(file_ticket, users):
    users["customer"].email = ""
    users["customer"].save(update_fields=["email"])
    ticket = file_ticket()
    assert not ticket_mails(ticket, kind="ticket_confirmation").exists()
