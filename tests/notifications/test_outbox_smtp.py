"""The outbox through a real SMTP server: aiosmtpd on a free local port, Django's SMTP backend
pointed at it. What a mail client receives: the thread headers, the reply address, the parts and
the attached file; a refused mail is tried again."""

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.core import mail

from notifications.models import OutboxMail, OutboxStatus
from notifications.reply_tokens import token_in
from notifications.tasks import outbox_deliver
from tests.tickets.conftest import PDF, upload

pytestmark = pytest.mark.django_db


class Sink:
    """Accepts every message (or refuses the next `refuse` ones with a temporary error)."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.sessions: set[int] = set()
        self.refuse = 0

    async def handle_DATA(self, server, session, envelope):
        self.sessions.add(id(session))
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        self.messages.append(envelope.original_content)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings, tmp_path):
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    settings.MEDIA_ROOT = tmp_path / "private-media"
    settings.SITE_URL = "https://support.example.com"
    yield sink
    controller.stop()


@pytest.fixture
def users(demo):
    return demo["users"]


def _reply_with_a_file(users):
    from tickets.services import comment_add, ticket_create

    customer = users["customer"]
    ticket = ticket_create(organisation=customer.organisation, requester=customer, actor=customer,
                           subject="Waage zeigt Fehler 7", description="Seit heute.", category="fault",
                           severity="minor").ticket
    comment_add(ticket=ticket, author=users["agent"], body="Bitte die **Anleitung** lesen.",
                files=[upload("Anleitung.pdf")])
    return ticket


def test_a_ticket_mail_through_a_real_smtp_server(smtp, users):
    ticket = _reply_with_a_file(users)
    result = outbox_deliver()
    assert result["sent"] == 3 and mail.outbox == []  # confirmation, new in team, the reply: all by SMTP
    assert len(smtp.sessions) == 1  # one connection for the whole run
    received = [message_from_bytes(raw, policy=policy.default) for raw in smtp.messages]
    [reply] = [m for m in received if "Neue Antwort" in m["Subject"]]
    thread = f"<hd.{ticket.reference}.thread@support.example.com>"
    assert reply["To"] == "customer@demo.example"
    assert reply["Message-ID"].startswith(f"<hd.{ticket.reference}.ticket-mail.")
    assert reply["In-Reply-To"] == reply["References"] == thread
    assert all(m["References"] == thread for m in received)  # every mail of the ticket: one thread
    token = token_in(reply["Reply-To"])
    assert (token.ticket_id, token.user_id) == (ticket.pk, users["customer"].pk)
    assert reply["Auto-Submitted"] == "auto-generated" and reply["X-Loop"] == "helpdesk@localhost"
    assert reply.get_body(("plain",)).get_content().count("Bitte die **Anleitung** lesen.") == 1
    assert "<strong>Anleitung</strong>" in reply.get_body(("html",)).get_content()
    [attachment] = list(reply.iter_attachments())
    assert attachment.get_filename() == "Anleitung.pdf" and attachment.get_content() == PDF


def test_a_refused_mail_is_tried_again_and_sent_once(smtp, users, monkeypatch):
    from notifications import delivery

    _reply_with_a_file(users)
    smtp.refuse = 1
    first = outbox_deliver()
    assert (first["sent"], first["failed"]) == (2, 1)
    failed = OutboxMail.objects.get(status=OutboxStatus.PENDING, key__startswith="ticket-mail:")
    assert "451" in failed.last_error and failed.attempts == 1
    monkeypatch.setattr(delivery, "RETRY_BASE_SECONDS", 0)
    OutboxMail.objects.filter(pk=failed.pk).update(next_attempt_at=failed.created_at)
    assert outbox_deliver()["sent"] == 1
    assert len(smtp.messages) == 3
    ids = [message_from_bytes(raw, policy=policy.default)["Message-ID"] for raw in smtp.messages]
    assert len(set(ids)) == 3
