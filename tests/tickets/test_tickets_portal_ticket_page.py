"""The customer portal: a ticket's page, its actions and attachment downloads."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from sla.choices import Status
from tests.tickets.conftest import PDF, login_as, upload
from tickets import services
from tickets.models import Attachment, Ticket

pytestmark = pytest.mark.django_db


# --- ticket page -----------------------------------------------------------------------------

def test_ticket_page_promises_the_reaction_in_the_readers_language(client, users, file_ticket):
    ticket = file_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(reaction_due_at=datetime(2037, 11, 23, 12, 30, tzinfo=UTC))
    login_as(client, users, language="de")
    content = client.get(reverse("tickets:detail", kwargs={"reference": ticket.reference})).content.decode()
    assert "Reaktion bis Montag, 23. November 2037, 13:30" in content
    login_as(client, users, language="en")
    content = client.get(reverse("tickets:detail", kwargs={"reference": ticket.reference})).content.decode()
    assert "Reaction by Monday, 23 November 2037, 13:30" in content


def test_ticket_page_without_computed_deadline_says_it_follows(client, users, file_ticket):
    ticket = file_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(reaction_due_at=None)  # e.g. beyond the holiday years
    login_as(client, users)
    response = client.get(reverse("tickets:detail", kwargs={"reference": ticket.reference}))
    assert response.context["promise"]["kind"] == "pending"


def test_ticket_page_of_a_request_without_sla_promises_no_time(client, users, file_ticket):
    ticket = file_ticket(category="question")
    login_as(client, users)
    response = client.get(reverse("tickets:detail", kwargs={"reference": ticket.reference}))
    assert response.context["promise"]["kind"] == "none"
    assert "sets no reaction time for this request" in response.content.decode()


def test_ticket_page_shows_workaround_and_fix_release(client, users, file_ticket):
    ticket = services.ticket_change_status(ticket=file_ticket(), actor=users["agent"], status=Status.IN_PROGRESS)
    services.ticket_provide_workaround(ticket=ticket, actor=users["agent"], workaround="Export **in Teilen**.")
    services.ticket_set_fix_release(ticket=ticket, actor=users["agent"], release="7.3")
    login_as(client, users)
    content = client.get(reverse("tickets:detail", kwargs={"reference": ticket.reference})).content.decode()
    assert "Export <strong>in Teilen</strong>." in content
    assert "The permanent fix is part of release 7.3." in content


def test_customer_does_not_see_internal_notes_or_assignments(client, users, file_ticket):
    ticket = file_ticket()
    services.ticket_assign(ticket=ticket, actor=users["agent"], assignee=users["agent"])
    services.comment_add(ticket=ticket, author=users["agent"], body="Geheime Notiz", is_internal=True,
                         files=[upload("intern.txt", b"intern")])
    services.comment_add(ticket=ticket, author=users["agent"], body="Öffentliche Antwort")
    login_as(client, users)
    content = client.get(reverse("tickets:detail", kwargs={"reference": ticket.reference})).content.decode()
    assert "Öffentliche Antwort" in content
    assert "Geheime Notiz" not in content and "intern.txt" not in content and "assignment" not in content
    login_as(client, users, "agent")
    content = client.get(reverse("tickets:detail", kwargs={"reference": ticket.reference})).content.decode()
    assert "Geheime Notiz" in content and "intern.txt" in content


def test_reader_sees_the_ticket_but_no_reply_controls(client, users, file_ticket):
    ticket = file_ticket()
    login_as(client, users, "reader")
    response = client.get(reverse("tickets:detail", kwargs={"reference": ticket.reference}))
    content = response.content.decode()
    assert response.status_code == 200 and ticket.subject in content
    assert 'data-testid="reply-form"' not in content and 'data-testid="close"' not in content
    assert 'data-testid="read-only"' in content


# --- actions ---------------------------------------------------------------------------------

def test_reply_with_a_refused_file_saves_the_text_and_explains(client, users, file_ticket):
    ticket = file_ticket()
    login_as(client, users)
    response = client.post(
        reverse("tickets:reply", kwargs={"reference": ticket.reference}),
        {"body": "Hier das Protokoll", "attachments": [upload("protokoll.exe", b"MZ")], "idempotency_key": "e" * 32},
        follow=True,
    )
    comment = ticket.comments.get()
    assert comment.body == "Hier das Protokoll" and not comment.attachments.exists()
    messages = [str(m) for m in response.context["messages"]]
    assert any("protokoll.exe" in m for m in messages)


def test_reply_with_an_accepted_file(client, users, file_ticket):
    ticket = file_ticket()
    login_as(client, users)
    client.post(reverse("tickets:reply", kwargs={"reference": ticket.reference}),
                {"body": "Bericht anbei", "attachments": [upload()]})
    assert ticket.comments.get().attachments.get().original_name == "Prüfbericht.pdf"


def test_empty_reply_is_shown_again_with_the_error(client, users, file_ticket):
    ticket = file_ticket()
    login_as(client, users)
    response = client.post(reverse("tickets:reply", kwargs={"reference": ticket.reference}), {"body": " "})
    assert response.status_code == 200
    assert "body" in response.context["reply_form"].errors
    assert not ticket.comments.exists()


def test_double_reply_saves_once(client, users, file_ticket):
    ticket = file_ticket()
    login_as(client, users)
    url = reverse("tickets:reply", kwargs={"reference": ticket.reference})
    for _ in range(2):
        client.post(url, {"body": "Einmal", "idempotency_key": "f" * 32})
    assert ticket.comments.count() == 1


def test_a_reply_token_reused_on_another_ticket_is_saved_there(client, users, file_ticket):
    first, second = file_ticket(), file_ticket()
    login_as(client, users)
    for ticket in (first, second):
        response = client.post(reverse("tickets:reply", kwargs={"reference": ticket.reference}),
                               {"body": "Gleicher Text", "idempotency_key": "d" * 32}, follow=True)
        assert "Your reply has been added." in response.content.decode()
    assert [c.body for c in second.comments.all()] == ["Gleicher Text"]
    assert first.comments.count() == 1


def test_a_reply_token_reused_with_another_text_saves_both(client, users, file_ticket):
    ticket = file_ticket()
    login_as(client, users)
    url = reverse("tickets:reply", kwargs={"reference": ticket.reference})
    client.post(url, {"body": "Erster Text", "idempotency_key": "c" * 32})
    client.post(url, {"body": "Korrigierter Text", "idempotency_key": "c" * 32})
    assert [c.body for c in ticket.comments.all()] == ["Erster Text", "Korrigierter Text"]


def test_reader_reply_is_refused_with_whom_to_contact(client, users, file_ticket):
    ticket = file_ticket()
    login_as(client, users, "reader")
    for name in ("reply", "confirm", "close", "reopen"):
        response = client.post(reverse(f"tickets:{name}", kwargs={"reference": ticket.reference}), {"body": "x"})
        assert response.status_code == 403, name
        assert "registered support contact" in response.content.decode()
    assert not ticket.comments.exists()


def test_reseller_customer_reader_is_pointed_to_the_reseller(client, users, file_ticket, orgs):
    from tests.factories import UserFactory

    reader = UserFactory(organisation=orgs["baeckerei"], role="reader", language="en")
    ticket = file_ticket("partner-customer")
    client.force_login(reader)
    response = client.post(reverse("tickets:reply", kwargs={"reference": ticket.reference}), {"body": "x"})
    assert response.status_code == 403 and "PartnerSoft GmbH" in response.content.decode()


def test_customer_confirms_a_resolution(client, users, file_ticket):
    ticket = services.ticket_change_status(ticket=file_ticket(), actor=users["agent"], status=Status.IN_PROGRESS)
    services.ticket_change_status(ticket=ticket, actor=users["agent"], status=Status.RESOLVED)
    login_as(client, users)
    page = client.get(reverse("tickets:detail", kwargs={"reference": ticket.reference})).content.decode()
    assert 'data-testid="confirm"' in page and 'data-testid="reopen"' in page
    client.post(reverse("tickets:confirm", kwargs={"reference": ticket.reference}))
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED


def test_customer_closes_and_reopens(client, users, file_ticket):
    ticket = file_ticket()
    login_as(client, users)
    client.post(reverse("tickets:close", kwargs={"reference": ticket.reference}))
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    client.post(reverse("tickets:reopen", kwargs={"reference": ticket.reference}))
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS


def test_refused_action_is_explained_not_crashed(client, users, file_ticket):
    ticket = file_ticket()
    login_as(client, users)
    response = client.post(reverse("tickets:confirm", kwargs={"reference": ticket.reference}), follow=True)
    assert any("Only a resolved ticket" in str(m) for m in response.context["messages"])


def test_reply_to_a_closed_ticket_is_refused_with_the_text_kept(client, users, file_ticket):
    ticket = services.ticket_close(ticket=file_ticket(), actor=users["customer"])
    login_as(client, users)
    response = client.post(reverse("tickets:reply", kwargs={"reference": ticket.reference}), {"body": "Noch was"})
    assert response.status_code == 200
    assert "Reopen it to reply" in response.content.decode()
    assert not ticket.comments.exists()


# --- downloads -------------------------------------------------------------------------------

def test_attachment_is_downloaded_not_displayed(client, users, file_ticket):
    ticket = file_ticket(files=[upload("Prüfbericht März.pdf")])
    attachment = ticket.attachments.get()
    login_as(client, users)
    response = client.get(reverse("tickets:attachment", kwargs={"reference": ticket.reference,
                                                                 "public_id": attachment.public_id}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Pr%C3%BCfbericht%20M%C3%A4rz.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_attachment_file_missing_on_disk_is_a_404(client, users, file_ticket):
    ticket = file_ticket(files=[upload()])
    attachment = ticket.attachments.get()
    attachment.file.storage.delete(attachment.file.name)
    login_as(client, users)
    url = reverse("tickets:attachment", kwargs={"reference": ticket.reference, "public_id": attachment.public_id})
    assert client.get(url).status_code == 404


def test_attachments_have_no_public_url():
    with pytest.raises(ValueError):
        Attachment(file="attachments/ab/x.pdf").file.url  # noqa: B018


def test_ticket_page_queries_do_not_grow_with_the_conversation(client, users, file_ticket,
                                                               django_assert_max_num_queries):
    ticket = file_ticket()
    for n in range(12):
        services.comment_add(ticket=ticket, author=users["agent"], body=f"Antwort {n}", files=[upload()])
    login_as(client, users)
    with django_assert_max_num_queries(10):  # 7, the linked articles, the watchers, the satisfaction survey
        response = client.get(reverse("tickets:detail", kwargs={"reference": ticket.reference}))
    assert len([i for i in response.context["timeline"] if i.kind == "comment"]) == 12
