"""Who hears about a ticket event by mail, and what their mail says. The mails go through the
outbox (`notifications`): recorded in the event's transaction, rendered and sent after the commit
by the delivery task, in the recipient's language and time zone.

Rules (each subject to the recipient's notification settings, `notifications.preferences`, except
the confirmation, which is the receipt of one's own ticket):
- ticket filed → the requester: confirmation with the reference and the reaction deadline; the
  active members of the ticket's team: "new in your team";
- public reply by an agent → the requester, with the reply's files attached up to
  ``MAIL_ATTACHMENTS_MAX_MB`` in total and linked beyond;
- reply by the customer → the assignee, or the active members of the ticket's team when nobody
  is assigned (files as above);
- status "workaround provided" or "resolved" → the requester;
- the release with the permanent fix is published → the requester;
- assigned to someone → that person; moved to another team while nobody is assigned → the new
  team's members ("new in your team").
Nobody is mailed about their own action, except the confirmation of their own ticket. Each
(event, recipient) is one outbox row with the key ``ticket-mail:<event>:<recipient>``: recording it
twice records it once."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import router, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.formatting import format_moment
from accounts.models import Team, User
from core import rawsql
from notifications.kinds import Kind, agent_ticket_path
from notifications.mail import MailFile, files_split
from notifications.mail import ticket_references_in as ticket_references_in
from notifications.models import NotificationSettings, OutboxMail
from notifications.preferences import MAIL, OFF, Topic, mail_mode, mode_from
from notifications.services import OutboxRow, outbox_mails_add_rows, outbox_mails_skip
from sla.choices import Status
from tickets.markdown import render_markdown
from tickets.models import Attachment, EventCode, TicketEvent, TicketWatcher

CONFIRMATION, AGENT_REPLY, CUSTOMER_REPLY, WORKAROUND, RESOLVED, ASSIGNED, NEW_IN_TEAM, FIX_RELEASED, MERGED = (
    "ticket_confirmation",
    "ticket_agent_reply",
    "ticket_customer_reply",
    "ticket_workaround",
    "ticket_resolved",
    "ticket_assigned",
    "ticket_new_in_team",
    "ticket_fix_released",
    "ticket_merged",
)

# The notification settings that govern each kind (the confirmation is always sent).
TOPIC_NEW_IN_TEAM, TOPIC_ASSIGNED = "ticket_new_in_team", "ticket_assigned"
TOPIC_CUSTOMER_REPLY = "ticket_customer_reply"
TOPIC_REPLY, TOPIC_STATUS = "ticket_reply", "ticket_status"
TOPIC_OF_KIND = {
    AGENT_REPLY: TOPIC_REPLY,
    CUSTOMER_REPLY: TOPIC_CUSTOMER_REPLY,
    WORKAROUND: TOPIC_STATUS,
    RESOLVED: TOPIC_STATUS,
    FIX_RELEASED: TOPIC_STATUS,
    MERGED: TOPIC_STATUS,
    ASSIGNED: TOPIC_ASSIGNED,
    NEW_IN_TEAM: TOPIC_NEW_IN_TEAM,
}
# Kinds that go to agents (their links open the workspace) and kinds with the reply's files.
AGENT_KINDS = frozenset({CUSTOMER_REPLY, ASSIGNED, NEW_IN_TEAM})
REPLY_KINDS = frozenset({AGENT_REPLY, CUSTOMER_REPLY})

# The events that may send mail; `plan_for` decides to whom.
NOTIFYING_CODES = frozenset({
    EventCode.CREATED, EventCode.REPLY_ADDED, EventCode.STATUS_CHANGED, EventCode.ASSIGNED, EventCode.FIX_RELEASED,
    EventCode.MERGED_INTO,
})


def _reachable(user) -> bool:
    return bool(user and user.is_active and user.email)


@rawsql.statement
def _team_members_statement(names: rawsql.Names) -> str:
    """Params: team id. Rows (person, their notification settings or NULL): the team's active
    members, by id. Written out: asked for every new ticket, and the queryset's compilation cost
    more than the rest of the mail's planning (bench/api_create.py)."""
    n, members = names.column, Team.members.through
    return f"""
SELECT {names.select(User, "u")}, {names.select(NotificationSettings, "s")}
FROM {names.table(members)} m
JOIN {names.table(User)} u ON {n("u", User, "pk")} = {n("m", members, "user")}
LEFT JOIN {names.table(NotificationSettings)} s ON {n("s", NotificationSettings, "user")} = {n("u", User, "pk")}
WHERE {n("m", members, "team")} = %s AND {n("u", User, "is_active")}
ORDER BY {n("u", User, "pk")}
"""  # noqa: S608 (only quoted names from the models are interpolated; values are parameters)


def team_members(*, team_id: int | None) -> list[tuple[object, dict]]:
    """[(member, their stored notification choices, {} without any)] of the team's active members."""
    if not team_id:
        return []
    using = router.db_for_read(User)
    rows = rawsql.fetch_all(_team_members_statement(using), [team_id], [User, NotificationSettings], using=using)
    return [(person, (stored.choices or {}) if stored is not None else {}) for person, stored in rows]


def _assigned(event: TicketEvent) -> list[tuple]:
    ticket, payload = event.ticket, event.payload or {}
    old, new = payload.get("old") or {}, payload.get("new") or {}
    new_assignee, old_assignee = (new.get("assignee") or {}).get("id"), (old.get("assignee") or {}).get("id")
    if new_assignee and new_assignee != old_assignee and ticket.assignee_id == new_assignee:
        return [(ticket.assignee, ASSIGNED, None)]
    new_team, old_team = (new.get("team") or {}).get("id"), (old.get("team") or {}).get("id")
    if new_team and new_team != old_team and not ticket.assignee_id and ticket.team_id == new_team:
        return [(member, NEW_IN_TEAM, choices) for member, choices in team_members(team_id=ticket.team_id)]
    return []


def _watchers(event: TicketEvent, plan: list[tuple]) -> list[tuple]:
    """Watchers get what the requester gets (colleagues of the customer), followers what the
    assignee or team gets about a customer's reply (agents). Nothing for a new ticket."""
    if event.code == EventCode.CREATED or not plan:
        return []
    requester = event.ticket.requester_id
    customer_kind = next((kind for person, kind, _c in plan if person is not None and person.pk == requester), None)
    agent_kind = CUSTOMER_REPLY if any(kind == CUSTOMER_REPLY for _p, kind, _c in plan) else None
    if customer_kind is None and agent_kind is None:
        return []
    extra = []
    for watcher in TicketWatcher.objects.filter(ticket_id=event.ticket_id).select_related("user"):
        person = watcher.user
        if access.is_agent(person):
            if agent_kind:
                extra.append((person, agent_kind, None))
        elif customer_kind and person.organisation_id == event.ticket.organisation_id:
            extra.append((person, customer_kind, None))
    return extra


def plan_for(event: TicketEvent) -> list[tuple[object, str]]:
    """[(recipient, kind)] for an event; empty when nobody is to be told."""
    ticket, actor = event.ticket, event.actor
    plan: list[tuple] = []  # (person, kind, their stored choices when already read, else None)
    if event.code == EventCode.CREATED:
        members = getattr(ticket, "mail_team_members", None)  # read by the filing before it locked the counter
        if members is None:
            members = team_members(team_id=ticket.team_id)
        plan = [(ticket.requester, CONFIRMATION, None), *((m, NEW_IN_TEAM, choices) for m, choices in members)]
    elif event.code == EventCode.REPLY_ADDED:
        if access.is_agent(actor):
            plan = [(ticket.requester, AGENT_REPLY, None)]
        elif ticket.assignee_id:
            plan = [(ticket.assignee, CUSTOMER_REPLY, None)]
        else:
            plan = [(member, CUSTOMER_REPLY, choices) for member, choices in team_members(team_id=ticket.team_id)]
    elif event.code == EventCode.STATUS_CHANGED:
        new = (event.payload or {}).get("new")
        if new == Status.WORKAROUND:
            plan = [(ticket.requester, WORKAROUND, None)]
        elif new == Status.RESOLVED:
            plan = [(ticket.requester, RESOLVED, None)]
    elif event.code == EventCode.ASSIGNED:
        plan = _assigned(event)
    elif event.code == EventCode.FIX_RELEASED:
        plan = [(ticket.requester, FIX_RELEASED, None)]
    elif event.code == EventCode.MERGED_INTO:
        plan = [(ticket.requester, MERGED, None)]
    plan += _watchers(event, plan)
    chosen: dict[int, tuple[object, str]] = {}
    for recipient, kind, choices in plan:
        if not _reachable(recipient) or recipient.pk in chosen:
            continue
        if kind != CONFIRMATION and recipient.pk == getattr(actor, "pk", None):
            continue  # nobody hears of their own action
        if kind in AGENT_KINDS and not access.is_agent(recipient):
            continue
        if kind in TOPIC_OF_KIND:
            topic = TOPIC_OF_KIND[kind]
            mode = mail_mode(recipient, topic) if choices is None else mode_from(recipient, topic, choices)
            if mode != MAIL:
                continue
        chosen[recipient.pk] = (recipient, kind)
    return list(chosen.values())


def mail_key(*, event_id: int, recipient_id: int) -> str:
    return f"ticket-mail:{event_id}:{recipient_id}"


def ticket_mails_record(*, event: TicketEvent) -> int:
    """Record the event's mails in the caller's transaction (the event's own); the delivery task
    sends them after the commit. Returns how many were planned."""
    if event.code not in NOTIFYING_CODES:
        return 0
    plan = plan_for(event)
    payload = {"event": event.pk}
    outbox_mails_add_rows(
        rows=[OutboxRow(mail_key(event_id=event.pk, recipient_id=recipient.pk), recipient.pk, kind, payload,
                        event.ticket_id) for recipient, kind in plan],
        now=timezone.now(),
    )
    return len(plan)


# --- rendering (called by the delivery task, in the recipient's language and zone) -------------

def _file(attachment, reference: str) -> MailFile:
    def read() -> bytes:
        with attachment.file.open("rb") as handle:
            return handle.read()

    url = settings.SITE_URL + reverse(
        "tickets:attachment", kwargs={"reference": reference, "public_id": attachment.public_id}
    )
    return MailFile(attachment.original_name, attachment.content_type, attachment.size, read, url)


def _public_attachments():
    return Attachment.objects.filter(is_internal=False).order_by("created_at", "pk")


def mail_prefetch(mails: list[OutboxMail]) -> None:
    """The events of a delivery batch's ticket mails, with their actors, comments and the comments'
    public files: two queries for the batch."""
    ids = {(mail.payload or {}).get("event") for mail in mails} - {None}
    events = (
        TicketEvent.objects.select_related("actor", "comment")
        .prefetch_related(Prefetch("comment__attachments", queryset=_public_attachments(), to_attr="public_files"))
        .in_bulk(ids)
    )
    for mail in mails:
        event = events.get((mail.payload or {}).get("event"))
        if event is not None:
            mail.prefetched["event"] = event


def _files(comment, reference: str) -> tuple[list[MailFile], list[MailFile]]:
    """(attached, linked): a file missing on disk is linked (its page says what became of it)."""
    present, missing = [], []
    attachments = getattr(comment, "public_files", None)
    if attachments is None:
        attachments = _public_attachments().filter(comment=comment)
    for attachment in attachments:
        exists = attachment.file.name and attachment.file.storage.exists(attachment.file.name)
        (present if exists else missing).append(_file(attachment, reference))
    split = files_split(present)
    return split.attached, [*split.linked, *missing]


def mail_context(mail: OutboxMail) -> dict:
    ticket, recipient = mail.ticket, mail.recipient
    event = getattr(mail, "prefetched", {}).get("event") or TicketEvent.objects.select_related(
        "actor", "comment"
    ).get(pk=(mail.payload or {})["event"])
    comment = event.comment
    context = {
        "event": event,
        "actor": str(event.actor) if event.actor else "",
        "reaction_due": format_moment(ticket.reaction_due_at, recipient),
        "comment": comment,
        "comment_html": render_markdown(comment.body) if comment else "",
        "workaround_html": render_markdown(ticket.workaround),
        "support_partner": ticket.organisation.support_partner,
        "team": ticket.team.name if ticket.team_id else "",
        "release_name": (event.payload or {}).get("name", ""),
    }
    if mail.kind == MERGED:
        main = ticket.merged_into
        context["main"] = main
        if main is not None:
            context["url"] = settings.SITE_URL + reverse("tickets:detail", kwargs={"reference": main.reference})
    if mail.kind in AGENT_KINDS:
        context["url"] = settings.SITE_URL + agent_ticket_path(ticket.reference)
    if mail.kind in REPLY_KINDS and comment is not None:
        attached, linked = _files(comment, ticket.reference)
        context.update(files=attached, attached_files=attached, linked_files=linked)
    return context


def _kind(code: str) -> Kind:
    return Kind(code=code, mail_context=mail_context, mail_prefetch=mail_prefetch,
                mail_templates=f"tickets/email/{code.removeprefix('ticket_')}")


KINDS = [_kind(code) for code in (CONFIRMATION, AGENT_REPLY, CUSTOMER_REPLY, WORKAROUND, RESOLVED, ASSIGNED,
                                  NEW_IN_TEAM, FIX_RELEASED, MERGED)]


# --- the notification settings of ticket mail ---------------------------------------------------

def _agent_default(person) -> str:
    return MAIL


def _team_default(person) -> str:
    """Managers are told of escalations, not of every new ticket in their teams."""
    return OFF if access.is_manager(person) else MAIL


def _customer_default(person) -> str:
    return MAIL


def _mail_or_off(person) -> tuple[str, ...]:
    return (MAIL, OFF)


TICKETS_GROUP, MY_TICKETS_GROUP = _("Tickets"), _("My tickets")
TOPICS = [
    Topic(TOPIC_ASSIGNED, _("A ticket is assigned to me"), _("Someone else makes you the ticket's assignee."),
          TICKETS_GROUP, access.is_agent, _agent_default, _mail_or_off, order=10),
    Topic(TOPIC_CUSTOMER_REPLY, _("The customer replies on my ticket"),
          _("On tickets assigned to you, and on unassigned tickets of your teams."),
          TICKETS_GROUP, access.is_agent, _agent_default, _mail_or_off, order=11),
    Topic(TOPIC_NEW_IN_TEAM, _("A new ticket arrives in my team"),
          _("Filed for one of your teams, or moved to it while nobody is assigned."),
          TICKETS_GROUP, access.is_agent, _team_default, _mail_or_off, order=12),
    Topic(TOPIC_REPLY, _("Support replies on my ticket"), _("The reply, with its files."),
          MY_TICKETS_GROUP, access.is_customer, _customer_default, _mail_or_off, order=1),
    Topic(TOPIC_STATUS, _("My ticket has a workaround or is resolved"),
          _("The confirmation of a new ticket is always sent."),
          MY_TICKETS_GROUP, access.is_customer, _customer_default, _mail_or_off, order=2),
]


# --- the demo, and messages queued before the outbox ------------------------------------------

def mark_as_sent(*, ticket_ids) -> int:
    """Record the pending mails about these tickets as not to be sent (demo data: the demo people
    are not mailed; the rows stay visible in the admin as "not sent")."""
    return outbox_mails_skip(ticket_ids=ticket_ids, note="demo data: not sent")


@shared_task(name="tickets.tasks.notify_event", acks_late=True)
def notify_event(event_id: int) -> int:
    """A message of the mail task before the outbox, still queued when this version started:
    records the event's mails in the outbox (mails already sent have their rows, migration 0016),
    sends nothing itself. Remove once no such message can be left (one release)."""
    event = TicketEvent.objects.select_related("ticket", "actor").filter(pk=event_id).first()
    if event is None:
        return 0
    with transaction.atomic():
        return ticket_mails_record(event=event)
