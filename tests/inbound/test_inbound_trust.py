"""Whom an inbound mail acts as (docs/mail-trust.md): a reply token, a customer whose domain our
receiving server authenticated — or nobody: forged staff and customer addresses are held for
review and count for nothing; X-Loop and bounces never open a ticket."""

from email.utils import format_datetime

import pytest
from django.core import mail as outbox
from django.urls import reverse
from django.utils import timezone

from api.models import InboundMail
from notifications.reply_tokens import reply_address
from sla.choices import Status
from tests.inbound.conftest import mail, with_headers, without_authentication
from tickets.choices import Channel
from tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(ingest):
    """A ticket the demo customer filed by (authenticated) mail, with the confirmation sent."""
    ticket = ingest(mail("new_ticket_umlauts.eml")).ticket
    outbox.outbox.clear()
    return ticket


def forged_reply(reference: str, sender: bytes = b"customer@demo.example", *, authenticated=False) -> bytes:
    raw = mail("reply_by_subject.eml", reference=reference)
    raw = raw if authenticated else without_authentication(raw)
    return raw.replace(b"customer@demo.example", sender)


def snapshot(ticket: Ticket) -> dict:
    """Everything of a ticket that a reply could change: status, SLA bookkeeping, activity."""
    ticket.refresh_from_db()
    fields = ("status", "first_reaction_at", "reaction_due_at", "resolution_due_at", "last_activity_at",
              "updated_at")
    return {name: getattr(ticket, name) for name in fields} | {
        "comments": ticket.comments.count(), "events": TicketEvent.objects.filter(ticket=ticket).count(),
    }


# --- A forged agent address -------------------------------------------------------------------

def test_a_forged_agent_address_is_held_and_never_acts_as_the_agent(ingest, users, ticket):
    before = snapshot(ticket)
    # Even with a DMARC pass for the domain: a staff address alone never lets a mail act as them.
    result = ingest(forged_reply(ticket.reference, b"agent@demo.example", authenticated=True))
    assert (result.outcome, result.reason, result.ticket) == ("held", "staff_without_token", ticket)
    held = result.inbound
    assert (held.trust, held.person, held.review) == ("unverified", users["agent"], "pending")
    assert held.body == "Der Fehler tritt auch an der zweiten Station auf."
    assert snapshot(ticket) == before  # no reply, no first reaction, no status, no clock
    assert not ticket.comments.filter(author=users["agent"]).exists()
    # The owner of the address is told (and so learns of a forgery).
    answer = outbox.outbox[-1]
    assert answer.to == ["agent@demo.example"] and answer.extra_headers["Auto-Submitted"] == "auto-replied"
    assert ticket.reference in answer.body and "nicht veröffentlicht" in answer.body


def test_agents_see_a_held_mail_on_the_ticket_and_in_the_queue_and_accept_it_in_their_own_name(
    client, ingest, users, ticket
):
    held = ingest(forged_reply(ticket.reference, b"agent@demo.example")).inbound
    client.force_login(users["us-agent"])
    page = client.get(reverse("tickets:workspace", kwargs={"reference": ticket.reference})).content.decode()
    assert 'data-testid="timeline-unverified"' in page and 'data-code="unverified_mail"' in page
    assert "Der Fehler tritt auch an der zweiten Station auf." in page
    assert 'data-testid="held-accept-reply"' in page and 'data-testid="held-discard"' in page
    assert 'data-testid="held-accept-sender"' not in page  # never posted as the claimed agent
    queue = client.get(reverse("tickets:queue")).content.decode()
    assert 'data-testid="queue-flag" data-code="unverified_mail"' in queue
    assert 'data-testid="queue-notice" data-code="unverified_mail"' in queue

    response = client.post(reverse("held_mail:accept", kwargs={"pk": held.pk}), {"mode": "reply"})
    assert response.status_code == 302
    comment = ticket.comments.get()
    assert (comment.author, comment.is_internal, comment.channel) == (users["us-agent"], False, Channel.EMAIL)
    assert comment.body == "Der Fehler tritt auch an der zweiten Station auf."
    ticket.refresh_from_db()
    assert ticket.first_reaction_at == comment.created_at  # the accepting agent's reaction, now
    held.refresh_from_db()
    assert (held.review, held.accepted_as, held.reviewed_by, held.raw) == ("accepted", "reply", users["us-agent"], None)
    page = client.get(reverse("tickets:workspace", kwargs={"reference": ticket.reference})).content.decode()
    assert "accepted by Tom Baker" in page and 'data-testid="held-discard"' not in page


def test_discarding_a_held_mail_posts_nothing_and_keeps_a_record(client, ingest, users, ticket):
    held = ingest(forged_reply(ticket.reference, b"manager@demo.example")).inbound
    before = snapshot(ticket)
    users["agent"].language = "en"
    users["agent"].save(update_fields=["language"])
    client.force_login(users["agent"])
    client.post(reverse("held_mail:discard", kwargs={"pk": held.pk}))
    assert snapshot(ticket) == before
    held.refresh_from_db()
    assert (held.review, held.reviewed_by, held.raw) == ("discarded", users["agent"], None)
    assert held.body  # the text stays for the record
    again = client.post(reverse("held_mail:accept", kwargs={"pk": held.pk}), {"mode": "reply"}, follow=True)
    assert "already been reviewed" in again.content.decode()
    reviewed = client.get(reverse("held_mail:list") + "?show=reviewed").content.decode()
    assert f'data-pk="{held.pk}"' in reviewed and "discarded by Anja Böhm" in reviewed


def test_a_refused_accept_keeps_the_mail_waiting_and_a_note_is_still_possible(client, ingest, users, ticket):
    from tickets.services import ticket_close

    held = ingest(forged_reply(ticket.reference, b"agent@demo.example")).inbound
    ticket_close(ticket=ticket, actor=users["customer"])
    client.force_login(users["us-agent"])
    refused = client.post(reverse("held_mail:accept", kwargs={"pk": held.pk}), {"mode": "reply"}, follow=True)
    assert "closed" in refused.content.decode()
    held.refresh_from_db()
    assert held.review == "pending" and held.raw
    assert client.post(reverse("held_mail:accept", kwargs={"pk": held.pk}), {"mode": "sender"},
                       follow=True).status_code == 200  # not offered for a staff address: refused
    assert not ticket.comments.exists()
    client.post(reverse("held_mail:accept", kwargs={"pk": held.pk}), {"mode": "note"})
    note = ticket.comments.get()
    assert (note.author, note.is_internal) == (users["us-agent"], True)
    assert note.body == (
        "Unverified e-mail from agent@demo.example:\n\nDer Fehler tritt auch an der zweiten Station auf.")


def test_the_held_list_is_for_agents_who_may_see_the_ticket(client, ingest, users, ticket):
    held = ingest(forged_reply(ticket.reference, b"agent@demo.example")).inbound
    client.force_login(users["customer"])
    assert client.get(reverse("held_mail:list")).status_code == 403
    client.force_login(users["partner-agent"])  # a reseller's agent: not Müller's tickets
    assert f'data-pk="{held.pk}"' not in client.get(reverse("held_mail:list")).content.decode()
    assert client.post(reverse("held_mail:discard", kwargs={"pk": held.pk})).status_code == 404
    client.force_login(users["agent"])
    assert f'data-pk="{held.pk}"' in client.get(reverse("held_mail:list")).content.decode()


# --- A forged customer address without a token ------------------------------------------------

def test_an_unauthenticated_customer_reply_is_held_and_counts_for_nothing_on_the_sla(ingest, users, ticket):
    from tickets.services import comment_add, ticket_change_status

    comment_add(ticket=ticket, author=users["agent"], body="Welche Seriennummer?")
    ticket_change_status(ticket=ticket, actor=users["agent"], status=Status.WAITING_ON_CUSTOMER)
    outbox.outbox.clear()
    before = snapshot(ticket)
    result = ingest(forged_reply(ticket.reference))
    assert (result.outcome, result.reason, result.inbound.trust) == ("held", "unverified_sender", "unverified")
    assert snapshot(ticket) == before  # still waiting on the customer: no customer reply, no clock moved
    assert ticket.status == Status.WAITING_ON_CUSTOMER
    answer = outbox.outbox[-1]
    assert answer.to == ["customer@demo.example"]
    assert "nicht bestätigen" in answer.body and "Antworten" in answer.body and "/account/login/" in answer.body


def test_accepting_an_unverified_customer_reply_posts_it_as_the_customers(client, ingest, users, ticket):
    held = ingest(forged_reply(ticket.reference)).inbound
    client.force_login(users["agent"])
    client.post(reverse("held_mail:accept", kwargs={"pk": held.pk}), {"mode": "sender"})
    comment = ticket.comments.get()
    assert (comment.author, comment.is_internal) == (users["customer"], False)


def test_an_unauthenticated_new_request_opens_no_ticket_until_an_agent_accepts_it(client, ingest, users):
    count = Ticket.objects.count()
    result = ingest(without_authentication(mail("new_ticket_umlauts.eml")))
    assert (result.outcome, result.ticket, result.inbound.person) == ("held", None, users["customer"])
    assert Ticket.objects.count() == count
    client.force_login(users["agent"])
    listing = client.get(reverse("held_mail:list")).content.decode()
    assert f'data-pk="{result.inbound.pk}"' in listing and "Druckerstörung" in listing
    assert 'data-testid="queue-notice"' in client.get(reverse("tickets:queue")).content.decode()
    client.post(reverse("held_mail:accept", kwargs={"pk": result.inbound.pk}), {"mode": "sender"})
    held = InboundMail.objects.get(pk=result.inbound.pk)
    assert held.accepted_as == "ticket" and held.ticket.requester == users["customer"]
    assert held.ticket.channel == Channel.EMAIL and "Fehler 42" in held.ticket.description


@pytest.mark.parametrize("headers", [
    # Written by the sender: below our server's own header, or under another server's name.
    ["Authentication-Results: mx.helpdesk.example; dmarc=none header.from=demo.example",
     "Received: from evil.example by mx.helpdesk.example",
     "Authentication-Results: mx.helpdesk.example; dmarc=pass header.from=demo.example"],
    ["Authentication-Results: mx.evil.example; dmarc=pass header.from=demo.example"],
    # Authenticated, but another domain than From's, or SPF for a MAIL FROM that is not aligned.
    ["Authentication-Results: mx.helpdesk.example; dmarc=pass header.from=evil.example"],
    ["Authentication-Results: mx.helpdesk.example; spf=pass smtp.mailfrom=bounce@evil.example"],
    # DMARC failed: an aligned SPF pass does not make up for it.
    ["Authentication-Results: mx.helpdesk.example; spf=pass smtp.mailfrom=demo.example; dmarc=fail "
     "header.from=demo.example"],
])
def test_authentication_results_that_do_not_authenticate_the_sender(ingest, ticket, headers):
    result = ingest(with_headers(forged_reply(ticket.reference), *headers))
    assert (result.outcome, result.inbound.trust) == ("held", "unverified")
    assert not ticket.comments.exists()


@pytest.mark.parametrize("header", [
    "Authentication-Results: MX.helpdesk.example 1; dmarc=pass (p=none) header.from=demo.example",
    "Authentication-Results: mx.helpdesk.example; spf=pass (sender SPF authorized) "
    "smtp.mailfrom=bounces+123@mail.demo.example",
])
def test_a_dmarc_pass_or_aligned_spf_pass_of_our_server_authenticates_the_customer(ingest, users, ticket, header):
    result = ingest(with_headers(forged_reply(ticket.reference), header))
    assert (result.outcome, result.inbound.trust) == ("reply_added", "authenticated")
    assert ticket.comments.get().author == users["customer"]


def test_without_trusted_servers_no_authentication_results_count(settings, ingest, ticket):
    settings.INBOUND_TRUSTED_AUTHSERV_IDS = []
    assert ingest(forged_reply(ticket.reference, authenticated=True)).outcome == "held"


# --- Reply tokens ---------------------------------------------------------------------------

def token_reply(reference: str, address: str, *, header: str = "To", sender=b"customer@demo.example") -> bytes:
    raw = forged_reply(reference, sender)  # no Authentication-Results: the token alone counts
    return raw.replace(b"To: helpdesk@localhost", f"{header}: {address}".encode())


def test_a_token_attributes_the_reply_without_any_authentication(ingest, users, ticket):
    address = reply_address(ticket_id=ticket.pk, user_id=users["customer"].pk)
    result = ingest(token_reply(ticket.reference, address, header="Delivered-To"))
    assert (result.outcome, result.inbound.trust, result.inbound.person) == ("reply_added", "token", users["customer"])
    assert ticket.comments.get().author == users["customer"]


def test_a_token_for_ticket_a_in_a_mail_naming_ticket_b_goes_to_ticket_a(ingest, users, ticket):
    other = ingest(mail("new_ticket_umlauts.eml").replace(b"neu-4711", b"neu-4712")).ticket
    address = reply_address(ticket_id=ticket.pk, user_id=users["customer"].pk)
    result = ingest(token_reply(other.reference, address))  # the subject names the other ticket
    assert (result.outcome, result.ticket) == ("reply_added", ticket)
    assert ticket.comments.count() == 1 and not other.comments.exists()


def test_a_tampered_token_or_one_of_a_person_who_left_is_disregarded(ingest, users, ticket):
    forged = reply_address(ticket_id=ticket.pk, user_id=users["reader"].pk).replace(
        f"-{users['reader'].pk}-", f"-{users['customer'].pk}-")
    assert ingest(token_reply(ticket.reference, forged)).outcome == "held"
    customer = users["customer"]
    address = reply_address(ticket_id=ticket.pk, user_id=customer.pk)
    customer.is_active = False
    customer.save(update_fields=["is_active"])
    raw = token_reply(ticket.reference, address).replace(b"antwort-1@", b"antwort-2@")
    assert ingest(raw).inbound.trust == "unknown"  # the token's person is gone, and so is the address's
    assert not ticket.comments.exists()


def test_an_agents_token_makes_the_reply_the_agents_first_reaction(ingest, users, ticket):
    address = reply_address(ticket_id=ticket.pk, user_id=users["agent"].pk)
    result = ingest(token_reply(ticket.reference, address, header="Cc", sender=b"anja.privat@example.org"))
    assert (result.outcome, result.inbound.person) == ("reply_added", users["agent"])
    ticket.refresh_from_db()
    assert ticket.first_reaction_at is not None


# --- Loops and bounces ------------------------------------------------------------------------

@pytest.mark.parametrize("x_loop", ["helpdesk@localhost", "Helpdesk <HELPDESK@localhost>",
                                    "helpdesk+hd-1-2-abc@localhost"])
def test_a_mail_with_our_x_loop_opens_no_ticket_and_is_not_answered(ingest, x_loop):
    count = Ticket.objects.count()
    result = ingest(with_headers(mail("new_ticket_umlauts.eml"), f"X-Loop: {x_loop}"))
    assert (result.outcome, result.reason) == ("ignored", "x_loop")
    assert Ticket.objects.count() == count and outbox.outbox == []


def test_another_systems_x_loop_does_not_stop_a_mail(ingest):
    assert ingest(with_headers(mail("new_ticket_umlauts.eml"), "X-Loop: ticket@other.example")).outcome == (
        "ticket_opened")


DSN = """Return-Path: <>
From: Mail Delivery System <MAILER-DAEMON@mx.demo.example>
To: helpdesk@localhost
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
Date: {date}
Message-ID: <dsn-{n}@mx.demo.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Your message could not be delivered.
--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.demo.example

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; 550 5.1.1 <{recipient}>: Recipient address
    rejected: User unknown in virtual mailbox table

--B
Content-Type: text/rfc822-headers

From: Helpdesk <helpdesk@localhost>
To: {recipient}
Subject: [HD-2026-000001] Neue Antwort
--B--
"""


def dsn(recipient="Customer@Demo.Example", action="failed", status="5.1.1", n=1) -> bytes:
    return DSN.format(recipient=recipient, action=action, status=status, n=n,
                      date=format_datetime(timezone.now())).encode()


def test_a_bounce_marks_the_address_and_agents_see_it(client, ingest, users, ticket):
    count = Ticket.objects.count()
    result = ingest(dsn())
    assert (result.outcome, result.reason) == ("ignored", "bounce")
    assert Ticket.objects.count() == count and outbox.outbox == []
    customer = users["customer"]
    customer.refresh_from_db()
    assert customer.mail_bounced_at is not None
    assert customer.mail_bounce_reason.startswith("5.1.1 smtp; 550 5.1.1 <Customer@Demo.Example>: Recipient")
    client.force_login(users["agent"])
    page = client.get(reverse("tickets:workspace", kwargs={"reference": ticket.reference})).content.decode()
    assert 'data-testid="requester-bounced"' in page and "customer@demo.example" in page
    client.force_login(users["reader"])  # the person's organisation page
    assert 'data-testid="mail-bounced"' in client.get(reverse("accounts:organisation")).content.decode()


def test_a_delayed_delivery_is_no_bounce(ingest, users):
    assert ingest(dsn(action="delayed", status="4.4.1")).reason == "auto_submitted"
    users["customer"].refresh_from_db()
    assert users["customer"].mail_bounced_at is None
