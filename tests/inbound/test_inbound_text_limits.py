"""An e-mail longer than the limit of its text (`tickets.limits`) is not refused: its text is
shortened to fit, ending with a note in the sender's language that says how long it was."""

import re
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
from django.utils import timezone

from tickets.limits import COMMENT_MAX_LENGTH, TICKET_DESCRIPTION_MAX_LENGTH

pytestmark = pytest.mark.django_db


def long_mail(text: str, *, subject: str = "Sehr lange Störungsmeldung", message_id: str = "<lang-1@mueller.example>"):
    message = EmailMessage()
    message["Authentication-Results"] = "mx.helpdesk.example; dmarc=pass header.from=demo.example"
    message["From"] = "Jürgen Müller <customer@demo.example>"
    message["To"] = "helpdesk@localhost"
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now().replace(microsecond=0))
    message["Message-ID"] = message_id
    message.set_content(text)
    return bytes(message)


def test_a_too_long_new_mail_opens_a_ticket_with_the_text_shortened_and_a_note(ingest, users):
    lines = [f"Zeile {n}: Messwert außerhalb der Toleranz." for n in range(1200)]  # about 48,000 characters
    text = "\n".join(lines)
    result = ingest(long_mail(text))
    assert result.outcome == "ticket_opened"
    description = result.ticket.description
    assert len(description) <= TICKET_DESCRIPTION_MAX_LENGTH
    assert description.startswith("Zeile 0: Messwert außerhalb der Toleranz.\nZeile 1:")
    shown, note = description.rsplit("\n\n", 1)
    # The demo customer reads German: the note and its numbers are German.
    found = re.fullmatch(r"\[Diese E-Mail wurde gekürzt: Sie hatte (\S+) Zeichen, davon sind die ersten (\S+) zu "
                         r"sehen\. Bitte senden Sie längere Texte als Anhang\.\]", note)
    assert found, note
    assert found[1] == f"{len(text):,}".replace(",", ".")
    kept = int(found[2].replace(".", ""))
    assert shown == text[:kept].rstrip() and kept > 19_000


def test_a_mail_of_exactly_the_limit_is_kept_whole(ingest):
    text = "x" * TICKET_DESCRIPTION_MAX_LENGTH
    assert ingest(long_mail(text)).ticket.description == text


def test_a_too_long_reply_is_added_shortened_with_the_note_in_english_for_an_english_sender(ingest, users):
    customer = users["customer"]
    customer.language = "en"
    customer.save(update_fields=["language"])
    ticket = ingest(long_mail("Kurz.", message_id="<lang-2@mueller.example>")).ticket
    reply = ingest(long_mail("y" * 30_000, subject=f"Re: [{ticket.reference}] Ticket",
                             message_id="<lang-3@mueller.example>"))
    assert reply.outcome == "reply_added"
    body = ticket.comments.get().body
    assert len(body) <= COMMENT_MAX_LENGTH
    assert body.endswith(" are shown. Please send longer texts as an attachment.]")
    assert "[This e-mail was shortened: it had 30,000 characters, of which the first " in body
