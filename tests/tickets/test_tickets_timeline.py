"""History is stored as codes and payloads and rendered in the reader's language."""

import json

import pytest
from django.utils import translation

from sla.choices import Status
from tickets import services
from tickets.models import EventCode
from tickets.timeline import describe, timeline_for

pytestmark = pytest.mark.django_db


def test_event_payloads_hold_codes_not_translated_text(file_ticket, users):
    ticket = services.ticket_change_status(ticket=file_ticket(), actor=users["agent"], status=Status.IN_PROGRESS)
    services.ticket_change_severity(ticket=ticket, actor=users["agent"], severity="severe")
    stored = json.dumps([e.payload for e in ticket.events.all()], ensure_ascii=False)
    for label in ("In Bearbeitung", "In progress", "Schwerwiegend", "Severe", "Störung"):
        assert label not in stored


def test_same_event_reads_in_german_and_english(file_ticket, users):
    ticket = services.ticket_change_status(ticket=file_ticket(), actor=users["agent"], status=Status.IN_PROGRESS)
    event = ticket.events.get(code=EventCode.STATUS_CHANGED)
    with translation.override("de"):
        assert describe(event, "Anja Böhm") == "Anja Böhm hat den Status von „Neu“ auf „In Bearbeitung“ geändert."
    with translation.override("en"):
        assert describe(event, "Anja Böhm") == "Anja Böhm changed the status from “New” to “In progress”."


@pytest.mark.parametrize(
    ("reason", "english"),
    [
        ("confirmed", "X confirmed the resolution; the ticket is closed."),
        ("withdrawn", "X closed the ticket."),
        ("reopened", "X reopened the ticket."),
        ("customer_replied", "The customer replied; the status changed from “Waiting on customer” to “In progress”."),
    ],
)
def test_status_reasons_have_their_own_sentence(reason, english):
    from tickets.models import TicketEvent

    event = TicketEvent(code=EventCode.STATUS_CHANGED, payload={"old": "waiting", "new": "in_progress",
                                                                 "reason": reason})
    with translation.override("en"):
        assert describe(event, "X") == english


def test_unknown_codes_fall_back_to_the_stored_code(file_ticket):
    from tickets.models import TicketEvent

    event = TicketEvent(code=EventCode.STATUS_CHANGED, payload={"old": "archived", "new": "new"})
    with translation.override("en"):
        assert "“archived”" in describe(event, "X")


def test_timeline_folds_a_comments_files_into_the_comment(file_ticket, users):
    from tests.tickets.conftest import upload
    from tickets import selectors

    ticket = file_ticket()
    services.comment_add(ticket=ticket, author=users["customer"], body="Mit Datei", files=[upload()])
    services.attachment_add(ticket=ticket, actor=users["customer"], file=upload("Nachtrag.pdf"))
    with translation.override("en"):
        items = timeline_for(
            ticket=ticket,
            events=selectors.ticket_events_for_user(ticket=ticket, user=users["customer"]),
            attachments=selectors.ticket_attachments_for_user(ticket=ticket, user=users["customer"]),
        )
    assert [i.kind for i in items] == ["event", "comment", "event"]
    assert [a["name"] for a in items[1].attachments] == ["Prüfbericht.pdf"]
    assert items[2].text == "Jürgen Müller attached “Nachtrag.pdf”."
    assert items[2].attachments[0]["url"].endswith("/")


def test_an_event_that_names_its_actor_does_not_repeat_the_name_in_its_header(file_ticket, users, client):
    from tickets import selectors

    ticket = services.ticket_change_status(ticket=file_ticket(), actor=users["agent"], status=Status.IN_PROGRESS)
    services.ticket_set_fix_release(ticket=ticket, actor=users["agent"], release="7.3")
    with translation.override("en"):
        items = timeline_for(
            ticket=ticket,
            events=selectors.ticket_events_for_user(ticket=ticket, user=users["customer"]),
            attachments={},
        )
    changed = next(i for i in items if "changed the status" in i.text)
    assert not changed.actor_shown
    release = next(i for i in items if "release 7.3" in i.text)  # the sentence does not say who
    assert release.actor_shown and release.actor == "Anja Böhm"
    client.force_login(users["customer"])
    page = client.get(f"/tickets/{ticket.reference}/").content.decode()
    assert page.count("Anja Böhm hat den Status") == 1  # the customer reads German
    assert page.count('data-testid="timeline-actor">Anja Böhm<') == 1  # only the release's header
