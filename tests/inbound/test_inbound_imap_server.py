"""The IMAP poll against a real IMAP server: the dovecot that `.ci/imap-server` starts (plain IMAP
on 127.0.0.1, see .ci/dovecot/). Runs when IMAP_TEST_URL names it, as `.ci/run` does for its
PostgreSQL run: ``IMAP_TEST_URL=imap://helpdesk:helpdesk-ci-imap@127.0.0.1:1143/``. Each test
works in a folder of its own, removed afterwards."""

import imaplib
import os
import re
import time
import uuid
from urllib.parse import unquote, urlsplit

import pytest

from api.inbound import imap
from api.inbound.imap import imap_poll
from notifications.reply_tokens import reply_address
from tests.inbound.conftest import mail, with_headers, without_authentication
from tickets.models import Ticket

IMAP_TEST_URL = os.environ.get("IMAP_TEST_URL", "")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not IMAP_TEST_URL,
        reason="no IMAP server: set IMAP_TEST_URL=imap://helpdesk:helpdesk-ci-imap@127.0.0.1:1143/ after starting "
               "one with .ci/imap-server (.ci/run does both for its PostgreSQL run)",
    ),
]


@pytest.fixture
def mailbox(settings):
    """A fresh folder on the test server, and the settings that make the poll read it."""
    url = urlsplit(IMAP_TEST_URL)
    settings.IMAP_HOST, settings.IMAP_PORT = url.hostname, url.port or 143
    settings.IMAP_USER, settings.IMAP_PASSWORD = unquote(url.username or ""), unquote(url.password or "")
    settings.IMAP_USE_SSL, settings.IMAP_USE_STARTTLS = False, False
    settings.IMAP_FOLDER = f"helpdesk-test-{uuid.uuid4().hex[:12]}"
    client = imaplib.IMAP4(settings.IMAP_HOST, settings.IMAP_PORT, timeout=30)
    client.login(settings.IMAP_USER, settings.IMAP_PASSWORD)
    status, _ = client.create(settings.IMAP_FOLDER)
    assert status == "OK"
    yield client
    client.delete(settings.IMAP_FOLDER)
    client.logout()


def append(client, folder: str, raw: bytes) -> None:
    raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    status, _ = client.append(folder, None, imaplib.Time2Internaldate(time.time()), raw)
    assert status == "OK"


def flags(client, folder: str) -> dict[str, set[str]]:
    """{subject: flags} of every message in the folder, read without changing them."""
    client.select(folder, readonly=True)
    status, data = client.uid("FETCH", "1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
    assert status == "OK"
    found = {}
    for item in data:
        if isinstance(item, tuple):
            message_id = item[1].decode().split(":", 1)[1].strip()
            found[message_id] = set(re.search(rb"FLAGS \(([^)]*)\)", item[0])[1].decode().split()) - {"\\Recent"}
    client.close()
    return found


def test_the_poll_files_replies_holds_forgeries_marks_seen_and_flags_failures(
    mailbox, settings, users, monkeypatch, django_capture_on_commit_callbacks
):
    folder = settings.IMAP_FOLDER
    append(mailbox, folder, mail("new_ticket_umlauts.eml"))  # a customer authenticated by our server
    append(mailbox, folder, with_headers(mail("html_only.eml"), "X-Loop: helpdesk@localhost"))
    append(mailbox, folder, mail("reader.eml").replace(b"leser-1@", b"kaputt-1@"))
    handle = imap.mail_ingest

    def failing_for_one(*, raw):
        if b"kaputt-1@" in raw:
            raise RuntimeError("the database went away")
        return handle(raw=raw)

    monkeypatch.setattr(imap, "mail_ingest", failing_for_one)
    with django_capture_on_commit_callbacks(execute=True):
        first = imap_poll()
    assert (first.fetched, first.handled, first.failed) == (3, 2, 1)
    ticket = Ticket.objects.get(channel="email", requester=users["customer"])
    assert ticket.subject == "Druckerstörung in der Größenprüfung"
    assert not Ticket.objects.filter(requester=users["us-customer"], channel="email").exists()  # X-Loop

    # The customer answers the notification (its reply address); someone forges the agent.
    token = reply_address(ticket_id=ticket.pk, user_id=users["customer"].pk)
    reply = without_authentication(mail("reply_by_subject.eml", reference=ticket.reference))
    append(mailbox, folder, reply.replace(b"To: helpdesk@localhost", f"To: {token}".encode()))
    forged = mail("reply_by_subject.eml", reference=ticket.reference).replace(
        b"customer@demo.example", b"agent@demo.example").replace(b"antwort-1@", b"gefaelscht-1@")
    append(mailbox, folder, forged)
    with django_capture_on_commit_callbacks(execute=True):
        second = imap_poll()
    assert (second.fetched, second.handled, second.failed) == (2, 2, 0)
    comment = ticket.comments.get()
    assert comment.author == users["customer"] and comment.body == "Der Fehler tritt auch an der zweiten Station auf."
    ticket.refresh_from_db()
    assert ticket.first_reaction_at is None  # the forged agent mail is held, not a reaction

    assert flags(mailbox, folder) == {
        "<neu-4711@mail.mueller.example>": {"\\Seen"},
        "<html-only-1@acme.example>": {"\\Seen"},
        "<kaputt-1@mail.mueller.example>": {"\\Flagged"},
        "<antwort-1@mail.mueller.example>": {"\\Seen"},
        "<gefaelscht-1@mail.mueller.example>": {"\\Seen"},
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert imap_poll().fetched == 0  # seen and flagged mail is not read again

