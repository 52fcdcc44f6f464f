"""Inbound e-mail: new tickets, replies, attachments, automatic answers and loop protection."""

from datetime import timedelta
from email import message_from_bytes, policy
from email.utils import format_datetime

import pytest
from django.core import mail as outbox
from django.utils import timezone

from api.models import InboundMail
from sla.choices import Severity, Status
from tests.inbound.conftest import mail
from tests.tickets.sla_helpers import clock
from tickets.choices import Channel
from tickets.models import Comment, Ticket

pytestmark = pytest.mark.django_db


def test_known_contacts_mail_opens_a_ticket_with_decoded_umlauts_and_a_deadline(ingest, users):
    sent_at = (timezone.now() - timedelta(hours=2)).replace(microsecond=0)
    result = ingest(mail("new_ticket_umlauts.eml", date=format_datetime(sent_at)))
    assert result.outcome == "ticket_opened"
    ticket = result.ticket
    assert ticket.subject == "Druckerstörung in der Größenprüfung"
    assert ticket.requester == users["customer"] and ticket.channel == Channel.EMAIL
    assert ticket.category == "fault" and ticket.severity == Severity.MINOR
    assert "„Fehler 42“" in ticket.description and "Größenprüfung" in ticket.description
    assert ticket.reported_at == sent_at  # the mail's Date, not the time it was fetched
    assert ticket.reaction_due_at is not None
    [confirmation] = [m for m in outbox.outbox if m.to == ["customer@demo.example"]]
    assert ticket.reference in confirmation.subject


def test_outgoing_ticket_mail_carries_a_stable_message_id_naming_the_ticket(ingest):
    ticket = ingest(mail("new_ticket_umlauts.eml")).ticket
    [confirmation] = [m for m in outbox.outbox if m.to == ["customer@demo.example"]]
    headers = confirmation.extra_headers
    assert headers["Message-ID"].startswith(f"<hd.{ticket.reference}.ticket-mail.")
    assert headers["Message-ID"].endswith("@helpdesk.example.com>")
    assert headers["References"] == f"<hd.{ticket.reference}.thread@helpdesk.example.com>"


def test_an_old_date_header_does_not_backdate_the_ticket(ingest):
    arrived = timezone.now().replace(microsecond=0)
    old = format_datetime(arrived - timedelta(days=30))
    with clock(arrived):  # the arrival, as the ingest reads it
        ticket = ingest(mail("new_ticket_umlauts.eml", date=old)).ticket
    assert ticket.reported_at == arrived


def test_high_priority_mail_is_a_severe_fault(ingest):
    raw = mail("new_ticket_umlauts.eml").replace(b"MIME-Version: 1.0", b"X-Priority: 1 (Highest)\nMIME-Version: 1.0")
    assert ingest(raw).ticket.severity == Severity.SEVERE


def test_html_only_mail_becomes_readable_text(ingest, users):
    ticket = ingest(mail("html_only.eml")).ticket
    assert ticket.subject == "Etiketten-Drucker: Fehlermeldung „Papier leer“"
    assert ticket.requester == users["us-customer"]
    text = ticket.description
    assert "the label printer shows “Paper empty” although it is full." in text
    assert "(https://files.acme.example/shot.png)" in text and "- Printer: Zebra ZT410" in text
    for noise in ("<", "color: red", "alert", "ignored"):
        assert noise not in text


def test_attachments_pass_the_upload_checks(ingest):
    ticket = ingest(mail("attachments.eml")).ticket
    names = sorted(a.original_name for a in ticket.attachments.all())
    assert names == ["Prüfbericht März.pdf", "Weitergeleitet.eml"]  # the inline logo is not an attachment
    assert "„rechnung.exe“ wurde nicht angehängt" in ticket.description  # in the sender's language
    pdf = ticket.attachments.get(original_name="Prüfbericht März.pdf")
    assert pdf.file.read().startswith(b"%PDF-")


def test_reply_chain_by_subject_in_reply_to_and_references(ingest, users):
    from tickets.services import comment_add

    ticket = ingest(mail("new_ticket_umlauts.eml")).ticket

    by_subject = ingest(mail("reply_by_subject.eml", reference=ticket.reference))
    assert (by_subject.outcome, by_subject.ticket) == ("reply_added", ticket)

    comment_add(ticket=ticket, author=users["agent"], body="Bitte spielen Sie Treiber 4.0 ein.")
    agent_mail = next(m for m in reversed(outbox.outbox) if m.to == ["customer@demo.example"])
    answered = ingest(mail("reply_in_reply_to_html.eml", message_id=agent_mail.extra_headers["Message-ID"]))
    assert (answered.outcome, answered.ticket) == ("reply_added", ticket)

    outlook = ingest(mail("reply_outlook.eml", message_id=agent_mail.extra_headers["References"]))
    assert outlook.ticket == ticket

    bodies = list(Comment.objects.filter(ticket=ticket, author=users["customer"]).values_list("body", flat=True))
    assert bodies == [
        "Der Fehler tritt auch an der zweiten Station auf.",
        "Danke, mit Treiber 4.0 läuft es wieder.",
        "Die Seriennummer ist 4711-0815.\n\nFreundliche Grüße\nJürgen Müller",
    ]
    assert all(c.channel == Channel.EMAIL and not c.is_internal
               for c in Comment.objects.filter(ticket=ticket, author=users["customer"]))
    assert Ticket.objects.filter(requester=users["customer"], channel=Channel.EMAIL).count() == 1


def test_reference_of_a_ticket_the_sender_may_not_see_opens_a_new_ticket(ingest, users):
    mueller = ingest(mail("new_ticket_umlauts.eml")).ticket
    raw = mail("reply_by_subject.eml", reference=mueller.reference).replace(
        b"customer@demo.example", b"us-customer@demo.example"
    )
    result = ingest(raw)
    assert result.outcome == "ticket_opened" and result.ticket.organisation == users["us-customer"].organisation
    assert not mueller.comments.exists()


def test_reply_to_a_closed_ticket_is_answered_not_added(ingest, users):
    from tickets.services import ticket_close

    ticket = ingest(mail("new_ticket_umlauts.eml")).ticket
    ticket_close(ticket=ticket, actor=users["customer"])
    outbox.outbox.clear()
    result = ingest(mail("reply_by_subject.eml", reference=ticket.reference))
    assert (result.outcome, result.reason) == ("auto_answered", "ticket_closed")
    assert not ticket.comments.exists()
    answer = outbox.outbox[-1]
    assert ticket.reference in answer.body and "geschlossen" in answer.body


def test_reader_gets_an_answer_naming_whom_to_ask_and_nothing_is_filed(ingest):
    result = ingest(mail("reader.eml"))
    assert (result.outcome, result.reason) == ("auto_answered", "reader")
    assert not Ticket.objects.filter(channel=Channel.EMAIL).exists()
    answer = outbox.outbox[-1]
    assert answer.to == ["reader@demo.example"]
    assert "Ansprechpartner" in answer.body or "wenden Sie sich" in answer.body
    headers = answer.extra_headers
    assert headers["Auto-Submitted"] == "auto-replied"
    assert headers["In-Reply-To"] == "<leser-1@mail.mueller.example>"


def test_unknown_sender_is_told_how_to_get_access_once_a_day(ingest):
    first = ingest(mail("unknown_sender.eml", n=1))
    second = ingest(mail("unknown_sender.eml", n=2))
    assert (first.outcome, first.reason) == ("auto_answered", "unknown_sender")
    assert (second.outcome, second.reason) == ("ignored", "already_answered")
    answers = [m for m in outbox.outbox if m.to == ["fraenzi@example.org"]]
    assert len(answers) == 1
    body = answers[0].body
    assert "fraenzi@example.org" in body
    assert "nicht bei unserem Support registriert" in body and "not registered with our support" in body
    assert not Ticket.objects.filter(channel=Channel.EMAIL).exists()


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [("auto_reply.eml", "auto_submitted"), ("bulk.eml", "precedence"), ("mailing_list.eml", "mailing_list"),
     ("mailer_daemon.eml", "delivery_report")],
)
def test_machine_and_bulk_mail_is_ignored_without_an_answer(ingest, fixture, reason):
    result = ingest(mail(fixture, reference="HD-2026-000001"))
    assert (result.outcome, result.reason) == ("ignored", reason)
    assert outbox.outbox == []
    assert not Ticket.objects.filter(channel=Channel.EMAIL).exists()
    assert not Comment.objects.filter(channel=Channel.EMAIL).exists()


def test_our_own_automatic_answer_coming_back_is_ignored(ingest):
    ingest(mail("unknown_sender.eml", n=1))
    answer = outbox.outbox[-1].message()
    answer.replace_header("To", "helpdesk@localhost")
    answer["From"] = "fraenzi@example.org"  # e.g. a forwarding rule sends it back
    del answer["From"]
    answer["From"] = "fraenzi@example.org"
    result = ingest(answer.as_bytes())
    # It carries both marks (Auto-Submitted and our X-Loop, as every mail we send); the loop is seen first.
    assert answer["Auto-Submitted"] == "auto-replied" and answer["X-Loop"]
    assert (result.outcome, result.reason) == ("ignored", "x_loop")


def test_mail_from_our_own_address_is_ignored(ingest):
    raw = mail("unknown_sender.eml", n=1).replace(b"<fraenzi@example.org>", b"<helpdesk@localhost>")
    assert ingest(raw).reason == "own_mail"
    assert outbox.outbox == []


def test_the_same_message_twice_is_handled_once(ingest):
    raw = mail("new_ticket_umlauts.eml")
    first, second = ingest(raw), ingest(raw)
    assert second.duplicate and second.ticket == first.ticket
    assert Ticket.objects.filter(channel=Channel.EMAIL).count() == 1
    assert InboundMail.objects.count() == 1


def test_a_message_without_message_id_is_recognised_by_its_content(ingest):
    raw = mail("reader.eml").replace(b"Message-ID: <leser-1@mail.mueller.example>\n", b"")
    first, second = ingest(raw), ingest(raw)
    assert not first.duplicate and second.duplicate
    assert first.inbound.message_key.startswith("sha256:")


def test_automatic_answer_task_sends_once(ingest):
    from api.tasks import inbound_auto_answer_send

    result = ingest(mail("reader.eml"))
    assert len(outbox.outbox) == 1
    assert inbound_auto_answer_send(result.inbound.pk) is False
    assert inbound_auto_answer_send(result.inbound.pk) is False
    assert len(outbox.outbox) == 1
    result.inbound.refresh_from_db()
    assert result.inbound.answered_at is not None


def test_reply_without_text_or_files_adds_nothing(ingest):
    ticket = ingest(mail("new_ticket_umlauts.eml")).ticket
    raw = mail("reply_by_subject.eml", reference=ticket.reference).replace(
        b"Der Fehler tritt auch an der zweiten Station auf.\n", b""
    )
    result = ingest(raw)
    # Only the quote was there: the quote is kept rather than losing the mail.
    assert result.outcome == "reply_added"


def test_agent_replying_by_mail_answers_the_customer(ingest, users):
    from notifications.reply_tokens import reply_address

    ticket = ingest(mail("new_ticket_umlauts.eml")).ticket
    # The agent answers the notification: to the ticket's reply address issued to them.
    address = reply_address(ticket_id=ticket.pk, user_id=users["agent"].pk)
    raw = mail("reply_by_subject.eml", reference=ticket.reference).replace(
        b"customer@demo.example", b"agent@demo.example"
    ).replace(b"To: helpdesk@localhost", f"To: {address}".encode())
    result = ingest(raw)
    assert (result.outcome, result.inbound.trust) == ("reply_added", "token")
    ticket.refresh_from_db()
    assert ticket.first_reaction_at is not None
    assert ticket.status == Status.NEW


def test_parsed_message_headers_are_decoded(ingest):
    from api.inbound.parsing import mail_parse

    parsed = mail_parse(mail("new_ticket_umlauts.eml"))
    assert parsed.sender == "customer@demo.example" and parsed.sender_name == "Jürgen Müller"
    assert message_from_bytes(mail("new_ticket_umlauts.eml"), policy=policy.default)["Subject"] == parsed.subject
