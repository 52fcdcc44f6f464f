"""Merging a duplicate into a main ticket and splitting a comment off (`tickets.services.merging`):
nothing is lost (every comment, attachment and minute of effort), both histories say so, the SLA
rules of docs/agent-desk.md hold, and every refusal writes nothing.

Run on SQLite and on PostgreSQL (DATABASE_URL=postgres://...): the moves are plain UPDATEs under
the tickets' row locks."""

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.db.models import Sum

from notifications.models import OutboxMail
from sla.choices import Status
from tests.escalation.escalation_support import berlin
from tests.escalation.escalation_support import clock as clock  # the fixture
from tests.factories import AgentFactory, ContactFactory, OrganisationFactory, ResellerFactory, TicketFactory
from tests.sla.factories import contract, nrw_calendar, policy
from tests.tickets.conftest import PNG, upload
from tickets import selectors
from tickets.errors import TransitionNotAllowed
from tickets.models import Attachment, Comment, EventCode, Ticket, TicketEvent, TicketWatcher, TimeEntry
from tickets.services import (
    MergeRefused,
    comment_add,
    comment_split,
    ticket_change_status,
    ticket_merge,
    ticket_reopen,
    time_entry_add,
    time_entry_delete,
)
from tickets.timeline import timeline_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(clock):
    """A customer with an SLA contract (severe: reaction 6h, resolution 2d on Mon-Thu 9-17, Fri
    9-16 Berlin), two of its contacts, and a vendor agent. The clock starts Monday 2 March 09:00."""
    clock.set(berlin(2, 9))
    organisation = OrganisationFactory()
    contract(organisation, policy(nrw_calendar(), reaction=("6h", "1.5d"), resolution=("2d", "10d")))
    return {
        "org": organisation,
        "anna": ContactFactory(organisation=organisation, first_name="Anna"),
        "bernd": ContactFactory(organisation=organisation, first_name="Bernd"),
        "agent": AgentFactory(),
        "clock": clock,
    }


def severe(desk, who="anna", at=None, **fields):
    if at is not None:
        desk["clock"].set(at)
    return TicketFactory(requester=desk[who], severity="severe", **fields)


def totals(*tickets):
    ids = [t.pk for t in tickets]
    return {
        "comments": Comment.objects.filter(ticket_id__in=ids).count(),
        "attachments": Attachment.objects.filter(ticket_id__in=ids).count(),
        "minutes": TimeEntry.objects.filter(ticket_id__in=ids).aggregate(m=Sum("minutes"))["m"] or 0,
        "all_entries": TimeEntry.all_objects.filter(ticket_id__in=ids).count(),
    }


def busy_pair(desk):
    """A main ticket and a duplicate with replies, notes, files and effort on both."""
    agent, clock = desk["agent"], desk["clock"]
    main = severe(desk, at=berlin(2, 9))
    duplicate = severe(desk, "bernd", at=berlin(2, 9, 30), files=[upload("Foto.png", PNG, "image/png")])
    clock.set(berlin(2, 10))
    comment_add(ticket=main, author=agent, body="Wir schauen uns das an.")
    comment_add(ticket=duplicate, author=desk["bernd"], body="Bei uns auch, siehe Bericht.", files=[upload()])
    comment_add(ticket=duplicate, author=agent, body="Intern: gleiche Ursache?", is_internal=True, files=[upload()])
    clock.set(berlin(2, 11))
    comment_add(ticket=duplicate, author=agent, body="Danke, wir prüfen.")
    time_entry_add(ticket=main, actor=agent, minutes=30, worked_on=date(2026, 3, 2))
    time_entry_add(ticket=duplicate, actor=agent, minutes=45, worked_on=date(2026, 3, 2), note="Analyse Größe")
    gone = time_entry_add(ticket=duplicate, actor=agent, minutes=15, worked_on=date(2026, 3, 2))
    time_entry_delete(entry=gone, actor=agent)
    return main, duplicate


def test_merge_keeps_every_comment_attachment_and_minute_of_effort(desk):
    main, duplicate = busy_pair(desk)
    before = totals(main, duplicate)
    files_before = sorted(Attachment.objects.values_list("file", flat=True))
    desk["clock"].set(berlin(2, 12))

    merged = ticket_merge(duplicate=duplicate, main=main, actor=desk["agent"])

    assert totals(main) == before == {"comments": 4, "attachments": 3, "minutes": 75, "all_entries": 3}
    assert totals(duplicate) == {"comments": 0, "attachments": 0, "minutes": 0, "all_entries": 0}
    assert (merged.comments, merged.attachments, merged.time_entries, merged.minutes) == (3, 3, 1, 45)
    assert sorted(Attachment.objects.values_list("file", flat=True)) == files_before
    for attachment in Attachment.objects.all():
        assert attachment.file.storage.exists(attachment.file.name)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.CLOSED
    assert duplicate.merged_into == main
    assert duplicate.closed_at == berlin(2, 12)


def test_both_histories_say_so_and_the_conversation_moves_with_its_events(desk):
    main, duplicate = busy_pair(desk)
    ticket_merge(duplicate=duplicate, main=main, actor=desk["agent"])

    into = TicketEvent.objects.get(ticket=duplicate, code=EventCode.MERGED_INTO)
    assert into.is_public and into.payload["main"]["reference"] == main.reference
    came = TicketEvent.objects.get(ticket=main, code=EventCode.MERGED_FROM)
    assert came.payload["duplicate"]["reference"] == duplicate.reference
    assert came.payload["description"] == duplicate.description
    assert (came.payload["comments"], came.payload["minutes"]) == (3, 45)
    # The main ticket's timeline shows the duplicate's messages; the duplicate keeps its own events.
    items = timeline_for(ticket=main, events=selectors.ticket_events_for_user(ticket=main, user=desk["agent"]),
                         attachments=selectors.ticket_attachments_for_user(ticket=main, user=desk["agent"]))
    texts = " ".join(item.text + str(item.body_html) for item in items)
    assert "Bei uns auch, siehe Bericht." in texts and "Intern: gleiche Ursache?" in texts
    assert duplicate.reference in texts
    assert duplicate.description in texts  # the duplicate's own report is quoted
    assert set(TicketEvent.objects.filter(ticket=duplicate).values_list("code", flat=True)) == {
        EventCode.CREATED, EventCode.MERGED_INTO,
    }


def test_the_duplicates_requester_is_told_through_the_outbox_and_watches_the_main_ticket(desk):
    main, duplicate = busy_pair(desk)
    ticket_merge(duplicate=duplicate, main=main, actor=desk["agent"])

    told = OutboxMail.objects.filter(kind="ticket_merged")
    assert list(told.values_list("recipient_id", "ticket_id")) == [(desk["bernd"].pk, duplicate.pk)]
    assert list(TicketWatcher.objects.filter(ticket=main).values_list("user_id", flat=True)) == [desk["bernd"].pk]


def test_watchers_move_without_doubling(desk):
    main, duplicate = severe(desk), severe(desk)
    carla = ContactFactory(organisation=desk["org"])
    TicketWatcher.objects.create(ticket=duplicate, user=carla)
    TicketWatcher.objects.create(ticket=duplicate, user=desk["bernd"])
    TicketWatcher.objects.create(ticket=main, user=desk["bernd"])

    ticket_merge(duplicate=duplicate, main=main, actor=desk["agent"])

    assert sorted(TicketWatcher.objects.filter(ticket=main).values_list("user_id", flat=True)) == sorted(
        [carla.pk, desk["bernd"].pk])
    assert not TicketWatcher.objects.filter(ticket=duplicate).exists()


def test_sla_the_main_keeps_its_targets_and_the_duplicates_decided_targets_stay(desk):
    """Main filed Mon 09:00 (reaction due 15:00). The duplicate, filed 09:30, was answered at 10:00
    (reaction met); at the merge (Mon 11:00) its resolution target runs: it ends without a verdict."""
    clock = desk["clock"]
    main = severe(desk, at=berlin(2, 9))
    duplicate = severe(desk, at=berlin(2, 9, 30))
    clock.set(berlin(2, 10))
    comment_add(ticket=duplicate, author=desk["agent"], body="Wir sind dran.")
    main.refresh_from_db()
    main_before = {f: getattr(main, f) for f in ("reaction_due_at", "resolution_due_at", "reaction_state",
                                                  "resolution_state", "sla_state")}
    clock.set(berlin(2, 11))

    ticket_merge(duplicate=duplicate, main=main, actor=desk["agent"])

    main.refresh_from_db()
    duplicate.refresh_from_db()
    assert {f: getattr(main, f) for f in main_before} == main_before
    assert main.reaction_due_at == berlin(2, 15)
    assert duplicate.reaction_state == "met"
    assert duplicate.reaction_business_seconds == 1800
    assert duplicate.resolution_state == "" and duplicate.resolution_due_at is None
    assert duplicate.sla_state == "met"
    assert duplicate.next_escalation_at is None


def test_sla_an_overdue_target_of_the_duplicate_counts_as_breached(desk):
    """Nobody reacted to the duplicate (filed Mon 09:00, due 15:00); merged on Tuesday: breached."""
    main = severe(desk, at=berlin(2, 9))
    duplicate = severe(desk, "bernd", at=berlin(2, 9))
    desk["clock"].set(berlin(3, 10))

    ticket_merge(duplicate=duplicate, main=main, actor=desk["agent"])

    duplicate.refresh_from_db()
    assert duplicate.reaction_state == "breached"
    assert duplicate.reaction_due_at == berlin(2, 15)
    assert duplicate.resolution_state == ""  # due Wednesday: not overdue, no verdict
    assert duplicate.sla_state == "breached"


def test_a_merged_duplicate_cannot_be_reopened(desk):
    main, duplicate = severe(desk), severe(desk)
    ticket_merge(duplicate=duplicate, main=main, actor=desk["agent"])
    with pytest.raises(TransitionNotAllowed, match=main.reference):
        ticket_reopen(ticket=duplicate, actor=desk["anna"])
    assert Ticket.objects.get(pk=duplicate.pk).status == Status.CLOSED


def test_a_mail_answer_to_the_duplicate_goes_on_where_it_was_merged(desk):
    main, duplicate = severe(desk), severe(desk)
    ticket_merge(duplicate=duplicate, main=main, actor=desk["agent"])
    assert selectors.ticket_continued_in(Ticket.objects.get(pk=duplicate.pk)) == main
    third = severe(desk)
    ticket_merge(duplicate=main, main=third, actor=desk["agent"])
    assert selectors.ticket_continued_in(Ticket.objects.get(pk=duplicate.pk)) == third


def _nothing_written(tickets, before_events):
    assert TicketEvent.objects.count() == before_events
    for ticket in tickets:
        fresh = Ticket.objects.get(pk=ticket.pk)
        assert fresh.merged_into_id is None
        assert fresh.status == ticket.status


@pytest.mark.parametrize("case", ["itself", "other organisation", "closed duplicate", "closed main"])
def test_merge_refusals_write_nothing(desk, case):
    main, duplicate = severe(desk), severe(desk)
    if case == "itself":
        duplicate = main
    elif case == "other organisation":
        other = OrganisationFactory()
        duplicate = TicketFactory(requester=ContactFactory(organisation=other), severity="minor")
    elif case == "closed duplicate":
        ticket_change_status(ticket=duplicate, actor=desk["agent"], status=Status.CLOSED)
    else:
        ticket_change_status(ticket=main, actor=desk["agent"], status=Status.CLOSED)
    main.refresh_from_db()
    duplicate.refresh_from_db()
    comment_add(ticket=duplicate, author=desk["agent"], body="Notiz", is_internal=True)
    before = TicketEvent.objects.count()
    comments = Comment.objects.filter(ticket=duplicate).count()
    with pytest.raises(ValidationError) as refused:
        ticket_merge(duplicate=duplicate, main=main, actor=desk["agent"])
    if case.startswith("closed"):
        assert isinstance(refused.value, MergeRefused)
        assert refused.value.code == "closed"
    _nothing_written([main, duplicate], before)
    assert Comment.objects.filter(ticket=duplicate).count() == comments


def test_customers_cannot_merge_and_agents_only_tickets_they_see(desk):
    main, duplicate = severe(desk), severe(desk)
    before = TicketEvent.objects.count()
    with pytest.raises(PermissionDenied):
        ticket_merge(duplicate=duplicate, main=main, actor=desk["anna"])
    reseller_agent = AgentFactory(organisation=ResellerFactory())  # supports other customers only
    with pytest.raises(PermissionDenied):
        ticket_merge(duplicate=duplicate, main=main, actor=reseller_agent)
    _nothing_written([main, duplicate], before)


# --- split ---------------------------------------------------------------------------------------


def test_split_makes_a_ticket_with_its_own_sla_from_the_comments_time(desk):
    clock = desk["clock"]
    origin = severe(desk, at=berlin(2, 9))
    clock.set(berlin(2, 10))
    comment_add(ticket=origin, author=desk["agent"], body="Wir sind dran.")
    clock.set(berlin(2, 11))
    message = comment_add(ticket=origin, author=desk["bernd"], body="Und der Drucker druckt auch nicht.",
                          files=[upload()]).comment
    before = totals(origin)
    clock.set(berlin(3, 9))

    split = comment_split(comment=message, actor=desk["agent"], subject="Drucker druckt nicht")

    new = Ticket.objects.get(pk=split.ticket.pk)
    assert new.reported_at == berlin(2, 11)
    assert new.reaction_due_at == berlin(2, 17)  # 6 business hours from Monday 11:00
    assert new.sla_state == "breached"  # split on Tuesday: nobody has reacted to the message since
    assert new.organisation == origin.organisation
    assert new.requester == desk["bernd"]  # the comment's author, a contact of the organisation
    assert (new.category, new.severity) == (origin.category, origin.severity)
    assert new.description == "Und der Drucker druckt auch nicht."
    assert totals(origin, new) == before
    assert list(Comment.objects.filter(ticket=new).values_list("pk", flat=True)) == [message.pk]
    assert Attachment.objects.filter(ticket=new, comment=message).count() == 1
    assert TicketEvent.objects.filter(ticket=new, comment=message).exists()
    assert not TicketEvent.objects.filter(ticket=origin, comment=message).exists()
    assert TicketEvent.objects.get(ticket=origin, code=EventCode.SPLIT_OFF).payload["ticket"]["reference"] == (
        new.reference)
    assert TicketEvent.objects.get(ticket=new, code=EventCode.SPLIT_FROM).payload["ticket"]["reference"] == (
        origin.reference)
    assert OutboxMail.objects.filter(kind="ticket_confirmation", ticket=new, recipient=desk["bernd"]).exists()
    origin.refresh_from_db()
    assert origin.reaction_state == "met"  # the original's targets are untouched


def test_split_of_an_agents_reply_keeps_the_original_requester(desk):
    origin = severe(desk)
    reply = comment_add(ticket=origin, author=desk["agent"], body="Zweites Thema: Lizenz läuft ab.").comment
    split = comment_split(comment=reply, actor=desk["agent"], subject="Lizenz", category="question")
    assert split.ticket.requester == desk["anna"]
    assert split.ticket.category == "question" and split.ticket.severity == ""


@pytest.mark.parametrize("case", ["internal note", "no subject", "moved", "customer"])
def test_split_refusals_write_nothing(desk, case):
    origin = severe(desk)
    comment = comment_add(ticket=origin, author=desk["anna"], body="Noch etwas.",
                          is_internal=False).comment
    actor, subject, error = desk["agent"], "Neues Thema", ValidationError
    if case == "internal note":
        comment = comment_add(ticket=origin, author=desk["agent"], body="Intern", is_internal=True).comment
    elif case == "no subject":
        subject = "  "
    elif case == "moved":
        comment_split(comment=comment, actor=actor, subject="Zuerst")
        comment.ticket = origin  # the form's stale view
    else:
        actor, error = desk["anna"], PermissionDenied
    tickets, events = Ticket.objects.count(), TicketEvent.objects.count()
    with pytest.raises(error):
        comment_split(comment=comment, actor=actor, subject=subject)
    assert (Ticket.objects.count(), TicketEvent.objects.count()) == (tickets, events)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_agents_merging_a_pair_in_opposite_directions_queue_up_without_deadlock(desk):
    first, second = severe(desk), severe(desk)
    other_agent = AgentFactory()
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def merge(duplicate, main, actor):
        try:
            barrier.wait()
            ticket_merge(duplicate=duplicate, main=main, actor=actor)
            outcomes.append("merged")
        except MergeRefused as refused:
            outcomes.append(refused.code)
        except Exception as error:  # collected for the assertion
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=merge, args=(first, second, desk["agent"])),
               threading.Thread(target=merge, args=(second, first, other_agent))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(outcomes) == ["closed", "merged"]
    links = sorted(Ticket.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "merged_into_id"))
    assert links in ([(first.pk, second.pk), (second.pk, None)], [(first.pk, None), (second.pk, first.pk)])
