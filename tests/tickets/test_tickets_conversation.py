"""Replies, internal notes and attachments through the services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sla.choices import Status
from tests.factories import ContactFactory, TicketFactory
from tests.tickets.conftest import PDF, upload
from tickets import services
from tickets.choices import Channel
from tickets.errors import AttachmentRefused, IdempotencyConflict
from tickets.models import Attachment, Comment, EventCode, Ticket

pytestmark = pytest.mark.django_db


def test_first_public_agent_reply_is_the_reaction(file_ticket, users):
    ticket = file_ticket()
    comment = services.comment_add(ticket=ticket, author=users["agent"], body="Wir schauen uns das an.").comment
    ticket.refresh_from_db()
    assert ticket.first_reaction_at == comment.created_at
    assert ticket.status == Status.NEW  # replying does not change the status by itself


def test_internal_note_is_no_reaction_and_not_public(file_ticket, users):
    ticket = file_ticket()
    services.comment_add(ticket=ticket, author=users["agent"], body="Intern: Treiber prüfen", is_internal=True)
    ticket.refresh_from_db()
    assert ticket.first_reaction_at is None
    event = ticket.events.last()
    assert event.code == EventCode.NOTE_ADDED and not event.is_public


def test_customer_reply_is_no_reaction(file_ticket, users):
    ticket = file_ticket()
    services.comment_add(ticket=ticket, author=users["customer"], body="Noch ein Hinweis.")
    ticket.refresh_from_db()
    assert ticket.first_reaction_at is None


def test_customer_cannot_write_internal_notes(file_ticket, users):
    with pytest.raises(PermissionDenied):
        services.comment_add(ticket=file_ticket(), author=users["customer"], body="geheim", is_internal=True)


def test_reader_cannot_reply(file_ticket, users):
    with pytest.raises(PermissionDenied):
        services.comment_add(ticket=file_ticket(), author=users["reader"], body="Darf ich?")


def test_foreign_customer_cannot_reply(file_ticket, users):
    with pytest.raises(PermissionDenied):
        services.comment_add(ticket=file_ticket(), author=users["us-customer"], body="Hello?")


def test_customer_reply_to_a_waiting_ticket_moves_it_back_to_work(file_ticket, users):
    ticket = services.ticket_change_status(ticket=file_ticket(), actor=users["agent"], status=Status.IN_PROGRESS)
    services.ticket_change_status(ticket=ticket, actor=users["agent"], status=Status.WAITING_ON_CUSTOMER)
    services.comment_add(ticket=ticket, author=users["customer"], body="Firmware 2.1.")
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    assert ticket.events.last().payload == {"old": "waiting", "new": "in_progress", "reason": "customer_replied"}


def test_no_public_reply_on_a_closed_ticket(file_ticket, users):
    ticket = services.ticket_close(ticket=file_ticket(), actor=users["customer"])
    with pytest.raises(ValidationError):
        services.comment_add(ticket=ticket, author=users["customer"], body="Doch noch was")
    services.comment_add(ticket=ticket, author=users["agent"], body="Notiz", is_internal=True)


def test_empty_reply_is_refused(file_ticket, users):
    with pytest.raises(ValidationError):
        services.comment_add(ticket=file_ticket(), author=users["customer"], body="  ")


def test_same_reply_token_saves_one_comment(file_ticket, users):
    ticket = file_ticket()
    first = services.comment_add(ticket=ticket, author=users["customer"], body="Hallo", idempotency_key="c" * 32)
    second = services.comment_add(ticket=ticket, author=users["customer"], body="Hallo", idempotency_key="c" * 32)
    assert first.comment.pk == second.comment.pk
    assert (first.created, second.created) == (True, False)
    assert ticket.comments.count() == 1


def test_reply_with_files_stores_them_privately_with_clean_names(file_ticket, users, _private_media):
    ticket = file_ticket()
    comment = services.comment_add(
        ticket=ticket, author=users["customer"], body="Anbei der Bericht",
        files=[upload("../../etc/Prüf\x07bericht März.pdf")],
    ).comment
    attachment = comment.attachments.get()
    assert attachment.original_name == "Prüfbericht März.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert not attachment.is_internal
    stored = _private_media / attachment.file.name
    assert stored.read_bytes() == PDF
    assert "Prüf" not in attachment.file.name  # the stored name is the random id, never the upload's
    codes = list(ticket.events.values_list("code", flat=True))
    assert codes[-2:] == [EventCode.REPLY_ADDED, EventCode.ATTACHMENT_ADDED]


def test_note_attachments_are_internal(file_ticket, users):
    comment = services.comment_add(
        ticket=file_ticket(), author=users["agent"], body="Log", is_internal=True, files=[upload("log.txt", b"ok")]
    ).comment
    attachment = comment.attachments.get()
    assert attachment.is_internal
    assert not attachment.ticket.events.get(code=EventCode.ATTACHMENT_ADDED).is_public


def test_refused_file_fails_the_whole_call_and_leaves_no_file(file_ticket, users, _private_media):
    ticket = file_ticket()
    with pytest.raises(AttachmentRefused):
        services.comment_add(
            ticket=ticket, author=users["customer"], body="Text",
            files=[upload("ok.pdf"), upload("setup.exe", b"MZ\x90\x00")],
        )
    assert not Comment.objects.filter(ticket=ticket).exists()
    assert not list(_private_media.rglob("*.pdf"))  # the accepted first file was not kept either


def test_failure_after_a_file_was_written_removes_the_file(file_ticket, users, _private_media, monkeypatch):
    from tickets.services import conversation

    def boom(**kwargs):
        raise RuntimeError("database gone")

    ticket = file_ticket()
    before = {p for p in _private_media.rglob("*") if p.is_file()}  # the demo data's file
    monkeypatch.setattr(conversation, "event_write", boom)
    with pytest.raises(RuntimeError):
        services.attachment_add(ticket=ticket, actor=users["customer"], file=upload())
    assert {p for p in _private_media.rglob("*") if p.is_file()} == before
    assert not Attachment.objects.filter(ticket=ticket).exists()


def test_attachment_add_to_the_ticket(file_ticket, users):
    ticket = file_ticket()
    photo = upload("Foto.png", b"\x89PNG\r\n\x1a\nxx")
    attachment = services.attachment_add(ticket=ticket, actor=users["customer"], file=photo)
    assert attachment.comment is None and attachment.content_type == "image/png"
    assert ticket.events.last().payload["name"] == "Foto.png"


def test_reader_cannot_attach(file_ticket, users):
    with pytest.raises(PermissionDenied):
        services.attachment_add(ticket=file_ticket(), actor=users["reader"], file=upload())


def test_comment_of_another_ticket_is_refused(file_ticket, users):
    first, second = file_ticket(), file_ticket()
    comment = services.comment_add(ticket=first, author=users["customer"], body="hier").comment
    with pytest.raises(ValidationError):
        services.attachment_add(ticket=second, actor=users["customer"], file=upload(), comment=comment)


def test_ticket_filed_with_files(file_ticket, users):
    ticket = file_ticket(files=[upload(), upload("fehler.log", b"Fehler 42\n")])
    assert sorted(ticket.attachments.values_list("original_name", flat=True)) == ["Prüfbericht.pdf", "fehler.log"]


def test_double_reply_that_races_past_the_check_returns_the_first(file_ticket, users, monkeypatch):
    from tickets.services import conversation

    ticket = file_ticket()
    first = services.comment_add(ticket=ticket, author=users["customer"], body="Hallo", idempotency_key="9" * 32)
    real_check, checks = conversation._already_written, []

    def check_misses_the_first_time(author, key):
        checks.append(key)
        return None if len(checks) == 1 else real_check(author, key)

    monkeypatch.setattr(conversation, "_already_written", check_misses_the_first_time)
    events = ticket.events.count()
    second = services.comment_add(ticket=ticket, author=users["customer"], body="Hallo", idempotency_key="9" * 32)
    assert second.comment.pk == first.comment.pk and not second.created and len(checks) == 2
    assert ticket.comments.count() == 1 and ticket.events.count() == events


def test_system_may_write_an_internal_note(file_ticket):
    comment = services.comment_add(ticket=file_ticket(), author=None, body="Gerät meldet Papierstau",
                                   is_internal=True).comment
    assert comment.is_internal and comment.author is None


def test_internal_note_does_not_move_the_ticket_in_the_customers_list(file_ticket, users):
    ticket = file_ticket()
    before = Ticket.objects.get(pk=ticket.pk).last_activity_at
    services.comment_add(ticket=ticket, author=users["agent"], body="intern", is_internal=True)
    assert Ticket.objects.get(pk=ticket.pk).last_activity_at == before
    services.comment_add(ticket=ticket, author=users["agent"], body="öffentlich")
    assert Ticket.objects.get(pk=ticket.pk).last_activity_at > before


# --- a reused idempotency key is never swallowed ------------------------------------------------

KEY = "4f" * 16


@pytest.fixture
def two_tickets():
    """Two tickets of one customer contact (factories, no demo data)."""
    contact = ContactFactory(language="en")
    return contact, TicketFactory(requester=contact), TicketFactory(requester=contact)


def test_a_forms_token_reused_on_another_ticket_saves_the_reply_there(two_tickets):
    contact, first, second = two_tickets
    services.comment_add(ticket=first, author=contact, body="Hallo", idempotency_key=KEY)
    again = services.comment_add(ticket=second, author=contact, body="Hallo", idempotency_key=KEY)
    assert again.created and again.comment.ticket_id == second.pk
    assert [c.body for c in second.comments.all()] == ["Hallo"]
    assert first.comments.count() == 1
    assert second.events.filter(code=EventCode.REPLY_ADDED).count() == 1


def test_a_forms_token_reused_with_another_text_saves_a_new_reply(two_tickets):
    contact, ticket, _other = two_tickets
    first = services.comment_add(ticket=ticket, author=contact, body="Hallo", idempotency_key=KEY)
    edited = services.comment_add(ticket=ticket, author=contact, body="Hallo, noch etwas", idempotency_key=KEY)
    assert edited.created and edited.comment.pk != first.comment.pk
    assert [c.body for c in ticket.comments.all()] == ["Hallo", "Hallo, noch etwas"]
    assert edited.comment.idempotency_key == ""  # the key stays the first reply's


def test_a_reply_and_a_note_under_one_token_are_two_comments(file_ticket, users):
    ticket = file_ticket()
    services.comment_add(ticket=ticket, author=users["agent"], body="Geprüft", is_internal=True, idempotency_key=KEY)
    reply = services.comment_add(ticket=ticket, author=users["agent"], body="Geprüft", idempotency_key=KEY)
    assert reply.created and not reply.comment.is_internal
    assert ticket.comments.count() == 2


def test_through_the_api_a_true_repeat_returns_the_first_comment(two_tickets):
    contact, ticket, _other = two_tickets
    first = services.comment_add(ticket=ticket, author=contact, body="Hallo", idempotency_key="erp-7",
                                 channel=Channel.API)
    events = ticket.events.count()
    again = services.comment_add(ticket=ticket, author=contact, body="  Hallo \n", idempotency_key="erp-7",
                                 channel=Channel.API)
    assert (first.created, again.created) == (True, False)
    assert again.comment.pk == first.comment.pk
    assert ticket.comments.count() == 1 and ticket.events.count() == events


@pytest.mark.parametrize("change", ["ticket", "body", "kind"])
def test_through_the_api_the_key_with_another_comment_is_a_conflict(file_ticket, users, change):
    agent = users["agent"]
    ticket, other = file_ticket(), file_ticket()
    services.comment_add(ticket=ticket, author=agent, body="Wir prüfen das.", idempotency_key="erp-8",
                         channel=Channel.API)
    request = {"ticket": ticket, "body": "Wir prüfen das.", "is_internal": False}
    request.update({"ticket": {"ticket": other}, "body": {"body": "Etwas anderes"},
                    "kind": {"is_internal": True}}[change])
    comments = Comment.objects.count()
    with pytest.raises(IdempotencyConflict) as conflict:
        services.comment_add(author=agent, idempotency_key="erp-8", channel=Channel.API, **request)
    assert str(conflict.value) == ("This idempotency key was already used for another comment. Send that request "
                                   "again unchanged, or use a new key for a new comment.")
    assert Comment.objects.count() == comments


def test_two_authors_may_use_one_key(two_tickets, file_ticket, users):
    contact, ticket, _other = two_tickets
    mine = services.comment_add(ticket=ticket, author=contact, body="Hallo", idempotency_key="k", channel=Channel.API)
    demo_ticket = file_ticket()
    theirs = services.comment_add(ticket=demo_ticket, author=users["customer"], body="Hallo", idempotency_key="k",
                                  channel=Channel.API)
    assert mine.created and theirs.created


@pytest.mark.parametrize(("channel", "outcome"), [(Channel.API, "conflict"), (Channel.PORTAL, "saved")])
def test_another_comment_that_races_past_the_check(two_tickets, monkeypatch, channel, outcome):
    from tickets.services import conversation

    contact, first, second = two_tickets
    services.comment_add(ticket=first, author=contact, body="Hallo", idempotency_key=KEY, channel=channel)
    real_check, checks = conversation._already_written, []

    def check_misses_the_first_time(author, key):
        checks.append(key)
        return None if len(checks) == 1 else real_check(author, key)

    monkeypatch.setattr(conversation, "_already_written", check_misses_the_first_time)
    if outcome == "conflict":
        with pytest.raises(IdempotencyConflict):
            services.comment_add(ticket=second, author=contact, body="Hallo", idempotency_key=KEY, channel=channel)
        assert not second.comments.exists()
    else:
        saved = services.comment_add(ticket=second, author=contact, body="Hallo", idempotency_key=KEY,
                                     channel=channel)
        assert saved.created and saved.comment.ticket_id == second.pk and saved.comment.idempotency_key == ""
    assert len(checks) == 2
