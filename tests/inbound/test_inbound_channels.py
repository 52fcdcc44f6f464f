"""The two ways mail comes in: `manage.py ingest_email` and the IMAP poll."""

import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from api.inbound.imap import imap_poll
from api.models import InboundMail
from tests.inbound.conftest import mail
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


class StdIn:
    def __init__(self, raw: bytes):
        self.buffer = io.BytesIO(raw)


def test_ingest_email_reads_standard_input(demo, monkeypatch, capsys, django_capture_on_commit_callbacks):
    monkeypatch.setattr(sys, "stdin", StdIn(mail("new_ticket_umlauts.eml")))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("ingest_email")
    out = capsys.readouterr().out
    ticket = Ticket.objects.get(channel="email")
    assert out.strip() == f"ticket_opened - {ticket.reference}"


def test_ingest_email_reports_a_repeat(demo, monkeypatch, capsys, tmp_path):
    path = tmp_path / "mail.eml"
    path.write_bytes(mail("reader.eml"))
    call_command("ingest_email", file=str(path))
    call_command("ingest_email", file=str(path))
    assert capsys.readouterr().out.splitlines()[-1] == "auto_answered reader - (seen before)"


def test_ingest_email_refuses_empty_input(db, monkeypatch):
    monkeypatch.setattr(sys, "stdin", StdIn(b"  \n"))
    with pytest.raises(CommandError) as error:
        call_command("ingest_email")
    assert error.value.returncode == 65


def test_ingest_email_asks_the_mail_server_to_retry_when_handling_fails(db, monkeypatch):
    import api.inbound

    def broken(raw):
        raise RuntimeError("database is down")

    monkeypatch.setattr(api.inbound, "mail_ingest", broken)
    monkeypatch.setattr(sys, "stdin", StdIn(mail("reader.eml")))
    with pytest.raises(CommandError) as error:
        call_command("ingest_email")
    assert error.value.returncode == 75


class FakeImap:
    """Just enough of imaplib.IMAP4 for the poll."""

    def __init__(self, messages: dict[bytes, bytes]):
        self.messages = messages
        self.flags: dict[bytes, set[str]] = {uid: set() for uid in messages}
        self.logged_out = False

    def select(self, folder):
        self.folder = folder
        return "OK", [str(len(self.messages)).encode()]

    def uid(self, command, *args):
        if command == "SEARCH":
            assert args[1:] == ("UNSEEN", "UNFLAGGED")
            uids = [u for u, f in self.flags.items() if not f & {"\\Seen", "\\Flagged"}]
            return "OK", [b" ".join(uids)]
        if command == "FETCH":
            uid = args[0]
            assert args[1] == "(BODY.PEEK[])"
            return "OK", [(uid + b" (UID " + uid + b" BODY[] {1}", self.messages[uid]), b")"]
        if command == "STORE":
            uid, _, flag = args
            self.flags[uid].add(flag.strip("()"))
            return "OK", []
        raise AssertionError(command)

    def logout(self):
        self.logged_out = True


def test_imap_poll_ingests_unseen_mail_marks_it_seen_and_flags_failures(demo, settings, monkeypatch):
    settings.IMAP_FOLDER = "Support"
    fake = FakeImap({b"1": mail("new_ticket_umlauts.eml"), b"2": b"", b"3": mail("bulk.eml")})
    result = imap_poll(connect=lambda: fake)
    assert (result.fetched, result.handled, result.failed) == (3, 2, 1)
    assert fake.folder == "Support" and fake.logged_out
    assert fake.flags == {b"1": {"\\Seen"}, b"2": {"\\Flagged"}, b"3": {"\\Seen"}}
    assert Ticket.objects.filter(channel="email").count() == 1
    again = imap_poll(connect=lambda: fake)
    assert again.fetched == 0


def test_imap_poll_twice_over_the_same_mail_files_one_ticket(demo):
    first = FakeImap({b"7": mail("new_ticket_umlauts.eml")})
    second = FakeImap({b"7": mail("new_ticket_umlauts.eml")})  # e.g. the seen flag was lost
    imap_poll(connect=lambda: first)
    imap_poll(connect=lambda: second)
    assert Ticket.objects.filter(channel="email").count() == 1
    assert InboundMail.objects.count() == 1


def test_imap_task_does_nothing_without_a_mailbox(settings):
    from api.tasks import inbound_imap_poll

    settings.IMAP_HOST = ""
    assert inbound_imap_poll() == {"skipped": "IMAP_HOST not set"}


@pytest.mark.parametrize(("host", "scheduled"), [("", False), ("imap.example.com", True)])
def test_beat_polls_only_when_a_mailbox_is_configured(host, scheduled):
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'helpdesk.settings'; django.setup(); "
            "from django.conf import settings; print('inbound-imap-poll' in settings.CELERY_BEAT_SCHEDULE)")
    env = {"IMAP_HOST": host, "PATH": "/usr/bin:/bin", "HELPDESK_VAR_DIR": "/tmp/helpdesk-imap-settings-test"}
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert output.stdout.strip() == str(scheduled)


def test_plain_imap_is_refused_to_another_machine(settings):
    from django.core.exceptions import ImproperlyConfigured

    from api.inbound.imap import imap_connect

    settings.IMAP_HOST, settings.IMAP_USE_SSL, settings.IMAP_USE_STARTTLS = "imap.example.com", False, False
    with pytest.raises(ImproperlyConfigured):
        imap_connect()
