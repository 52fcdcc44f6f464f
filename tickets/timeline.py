"""Turns stored events (codes + payloads) into the timeline a reader sees, in the reader's
language: the text is made here, at display time, never stored."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateformat import format as date_format
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from sla.choices import Severity, Status
from tickets.choices import Channel
from tickets.markdown import render_markdown
from tickets.models import EventCode, TicketEvent, WorkType

ICONS = {
    EventCode.CREATED: "plus-circle",
    EventCode.STATUS_CHANGED: "arrow-left-right",
    EventCode.SEVERITY_CHANGED: "exclamation-triangle",
    EventCode.ASSIGNED: "person-check",
    EventCode.ATTACHMENT_ADDED: "paperclip",
    EventCode.WORKAROUND_CHANGED: "tools",
    EventCode.FIX_RELEASE_CHANGED: "box-seam",
    EventCode.FIX_RELEASED: "box-seam",
    EventCode.OUT_OF_HOURS_ACCEPTED: "moon-stars",
    EventCode.SLA_RECOMPUTED: "hourglass-split",
    EventCode.SLA_UNAVAILABLE: "hourglass",
    EventCode.EFFORT_LOGGED: "clock-history",
    EventCode.EFFORT_CHANGED: "pencil",
    EventCode.EFFORT_DELETED: "trash",
    EventCode.MERGED_INTO: "box-arrow-in-right",
    EventCode.MERGED_FROM: "intersect",
    EventCode.SPLIT_OFF: "scissors",
    EventCode.SPLIT_FROM: "scissors",
    EventCode.WATCHER_ADDED: "eye",
    EventCode.WATCHER_REMOVED: "eye-slash",
    EventCode.TAGS_CHANGED: "tags",
    EventCode.MACRO_APPLIED: "magic",
    EventCode.SATISFACTION_RATED: "star",
}


@dataclass
class TimelineItem:
    kind: str  # "comment" or "event"; registered sources may use their own (e.g. "unverified")
    at: datetime
    actor: str
    text: str = ""
    # False when `text` already names the actor ("Anja Böhm changed the status ..."): the item's
    # header then shows only the time, so the name is not said twice.
    actor_shown: bool = True
    icon: str = "dot"
    is_internal: bool = False
    body_html: str = ""
    attachments: list[dict] = field(default_factory=list)
    # For registered sources: a badge next to the actor (in the `tone` colour, e.g. "danger"),
    # and buttons, each a POST form: {"label", "url", "style", "fields": {name: value}, "testid"}.
    badge: str = ""
    tone: str = ""
    actions: list[dict] = field(default_factory=list)


def _label(choices, code: str | None) -> str:
    if not code:
        return _("none")
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def _person(ref: dict | None) -> str:
    return ref["name"] if ref else _("nobody")


def _assignment(ref: dict) -> str:
    if ref.get("team"):
        return _("%(person)s (team %(team)s)") % {"person": _person(ref.get("assignee")), "team": ref["team"]["name"]}
    return _person(ref.get("assignee"))


def _automatic(p: dict) -> str:
    """Why auto-assignment chose this agent (`tickets.services.auto_assignment`)."""
    auto = p["auto"]
    values = {
        "person": _person((p.get("new") or {}).get("assignee")),
        "load": auto.get("load", 0),
        "available": auto.get("available", 0),
        "absent": auto.get("absent", 0),
    }
    if auto.get("reason") == "absence":
        values["absent_agent"] = _person(auto.get("instead_of"))
        text = _("Reassigned automatically to %(person)s because %(absent_agent)s is absent: lowest load "
                 "%(load)s among %(available)s available agents.") % values
    else:
        text = _("Assigned automatically to %(person)s: lowest load %(load)s among %(available)s available "
                 "agents.") % values
    if values["absent"]:
        text += " " + ngettext("%(absent)s absent agent skipped.", "%(absent)s absent agents skipped.",
                               values["absent"]) % values
    return text


def describe(event: TicketEvent, actor: str) -> str:
    """One sentence for one event, in the active language."""
    p = event.payload or {}
    values = {"actor": actor}
    if event.code == EventCode.CREATED:
        return _("%(actor)s filed the ticket (%(channel)s).") % {**values, "channel": _label(Channel, p.get("channel"))}
    if event.code == EventCode.STATUS_CHANGED:
        reason = p.get("reason", "")
        values |= {"old": _label(Status, p.get("old")), "new": _label(Status, p.get("new"))}
        if reason == "confirmed":
            return _("%(actor)s confirmed the resolution; the ticket is closed.") % values
        if reason == "withdrawn":
            return _("%(actor)s closed the ticket.") % values
        if reason == "reopened":
            return _("%(actor)s reopened the ticket.") % values
        if reason == "customer_replied":
            return _("The customer replied; the status changed from “%(old)s” to “%(new)s”.") % values
        return _("%(actor)s changed the status from “%(old)s” to “%(new)s”.") % values
    if event.code == EventCode.SEVERITY_CHANGED:
        values |= {"old": _label(Severity, p.get("old")), "new": _label(Severity, p.get("new"))}
        if p.get("reason"):
            return _deadlines_moved(_("%(actor)s changed the severity from “%(old)s” to “%(new)s”: %(reason)s") % {
                **values, "reason": p["reason"]
            }, p.get("deadlines"))
        return _deadlines_moved(
            _("%(actor)s changed the severity from “%(old)s” to “%(new)s”.") % values, p.get("deadlines")
        )
    if event.code == EventCode.ASSIGNED and p.get("auto"):
        return _automatic(p)
    if event.code == EventCode.ASSIGNED:
        values |= {"old": _assignment(p.get("old", {})), "new": _assignment(p.get("new", {}))}
        return _("%(actor)s changed the assignment from %(old)s to %(new)s.") % values
    if event.code == EventCode.ATTACHMENT_ADDED:
        return _("%(actor)s attached “%(name)s”.") % {**values, "name": p.get("name", "")}
    if event.code == EventCode.WORKAROUND_CHANGED:
        return _("%(actor)s described a workaround.") % values
    if event.code == EventCode.FIX_RELEASE_CHANGED:
        if p.get("new"):
            return _("The permanent fix will be part of release %(release)s.") % {"release": p["new"]}
        return _("The release for the permanent fix is no longer set.")
    if event.code == EventCode.FIX_RELEASED:
        return _("Release %(release)s with the permanent fix has been published.") % {"release": p.get("name", "")}
    if event.code == EventCode.OUT_OF_HOURS_ACCEPTED:
        return _("%(actor)s accepted the paid out-of-hours service.") % values
    if event.code in (EventCode.EFFORT_LOGGED, EventCode.EFFORT_CHANGED, EventCode.EFFORT_DELETED):
        return _effort(event.code, p, values)
    if event.code in (EventCode.MERGED_INTO, EventCode.MERGED_FROM, EventCode.SPLIT_OFF, EventCode.SPLIT_FROM):
        return _merge_or_split(event.code, p, values)
    if event.code == EventCode.TAGS_CHANGED:
        return _tags_changed(p, values)
    if event.code == EventCode.MACRO_APPLIED:
        return _("%(actor)s applied the macro “%(title)s”.") % {**values, "title": (p.get("macro") or {}).get("title")}
    if event.code in (EventCode.WATCHER_ADDED, EventCode.WATCHER_REMOVED):
        values["person"] = _person(p.get("person"))
        if event.code == EventCode.WATCHER_ADDED:
            return _("%(actor)s added %(person)s as a watcher.") % values
        return _("%(actor)s removed %(person)s as a watcher.") % values
    if event.code == EventCode.SATISFACTION_RATED:
        text = _("%(actor)s rated the support %(rating)s of 5.") % {**values, "rating": p.get("rating")}
        if p.get("comment"):
            text += " " + _("Comment: “%(comment)s”") % {"comment": p["comment"]}
        return text
    if event.code == EventCode.SLA_RECOMPUTED:
        return _deadlines_moved(_("The support hours changed."), p.get("deadlines"))
    if event.code == EventCode.SLA_UNAVAILABLE:
        if p.get("reason") == "out_of_range":
            return _("No service-level deadlines: the business calendar has no holiday data for %(year)s.") % {
                "year": p.get("year")
            }
        return _("No service-level deadlines: they could not be computed.")
    return _label(EventCode, event.code)


def _tags_changed(p: dict, values: dict) -> str:
    parts = []
    if p.get("added"):
        parts.append(_("added %(tags)s") % {"tags": ", ".join(p["added"])})
    if p.get("removed"):
        parts.append(_("removed %(tags)s") % {"tags": ", ".join(p["removed"])})
    return _("%(actor)s changed the tags: %(changes)s.") % {**values, "changes": "; ".join(parts)}


def _merge_or_split(code: str, p: dict, values: dict) -> str:
    """Merge (payload: main or duplicate, counts) and split (payload: the other ticket, comment id)."""
    if code == EventCode.MERGED_INTO:
        return _("%(actor)s merged this ticket into %(reference)s as a duplicate and closed it; its conversation, "
                 "files and effort continue there.") % {**values, "reference": (p.get("main") or {}).get("reference")}
    if code == EventCode.MERGED_FROM:
        # Customers read this too: no counts (they would tell of internal notes and effort).
        return _("%(actor)s merged the duplicate %(reference)s (“%(subject)s”) into this ticket; its conversation "
                 "and files are here now. Its report:") % {
            **values, "reference": (p.get("duplicate") or {}).get("reference"),
            "subject": (p.get("duplicate") or {}).get("subject", ""),
        }
    other = p.get("ticket") or {}
    if code == EventCode.SPLIT_OFF:
        return _("%(actor)s split a message off into the new ticket %(reference)s (“%(subject)s”).") % {
            **values, "reference": other.get("reference"), "subject": other.get("subject", "")}
    return _("%(actor)s split this ticket off from %(reference)s (“%(subject)s”).") % {
        **values, "reference": other.get("reference"), "subject": other.get("subject", "")}


def _effort_field_labels() -> dict[str, str]:
    return {
        "worked_on": _("day"), "minutes": _("minutes"), "work_type": _("work type"), "note": _("note"),
        "billable": _("billable"), "out_of_hours": _("out of hours"),
    }


def _effort_value(name: str, value) -> str:
    """One raw value of a time entry (as stored in the payload) in the active language."""
    if value is None or value == "":
        return _("none")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "work_type":
        return _label(WorkType, value)
    if name == "worked_on":
        day = parse_date(value) if isinstance(value, str) else value
        return formats.date_format(day, "SHORT_DATE_FORMAT") if day else str(value)
    if name == "minutes":
        return _("%(minutes)s min") % {"minutes": value}
    return str(value)


def _effort(code: str, p: dict, values: dict) -> str:
    """A time entry logged, changed or deleted (payload: entry_id, agent, old, new)."""
    old, new = p.get("old") or {}, p.get("new") or {}
    if code == EventCode.EFFORT_CHANGED:
        labels = _effort_field_labels()
        changes = "; ".join(
            _("%(field)s: %(old)s → %(new)s") % {
                "field": labels.get(name, name), "old": _effort_value(name, old.get(name)),
                "new": _effort_value(name, new.get(name)),
            }
            for name in new
        )
        return _("%(actor)s changed the time entry of %(agent)s (%(changes)s).") % {
            **values, "agent": _person(p.get("agent")), "changes": changes,
        }
    entry = new if code == EventCode.EFFORT_LOGGED else old
    details = {
        **values,
        "minutes": _effort_value("minutes", entry.get("minutes")),
        "work_type": _effort_value("work_type", entry.get("work_type")),
        "day": _effort_value("worked_on", entry.get("worked_on")),
        "agent": _person(p.get("agent")),
    }
    if code == EventCode.EFFORT_LOGGED:
        text = _("%(actor)s logged %(minutes)s (%(work_type)s) on %(day)s.") % details
    else:
        text = _("%(actor)s deleted the time entry of %(agent)s: %(minutes)s (%(work_type)s) on %(day)s.") % details
    flags = []
    if entry.get("note"):
        flags.append(_("Note: %(note)s") % {"note": entry["note"]})
    if entry.get("billable") is False:
        flags.append(_("not billable"))
    if entry.get("out_of_hours"):
        flags.append(_("out of hours"))
    return " ".join([text, *(f"{flag}." for flag in flags)])


def _moment(value) -> str:
    """A stored instant (ISO text in payloads) in the active language and time zone."""
    instant = parse_datetime(value) if isinstance(value, str) else value
    if instant is None:
        return _("none")
    return date_format(timezone.localtime(instant), pgettext("deadline date format", "l, j F Y, H:i T"))


def _deadlines_moved(text: str, deadlines: dict | None) -> str:
    """`text` followed by one sentence per moved SLA deadline (payload {"reaction_due_at": {"old", "new"}})."""
    sentences = [text]
    for name, sentence in (
        ("reaction_due_at", _("Reaction deadline: %(old)s → %(new)s.")),
        ("resolution_due_at", _("Resolution deadline: %(old)s → %(new)s.")),
        ("next_reply_due_at", _("Next-reply deadline: %(old)s → %(new)s.")),
    ):
        change = (deadlines or {}).get(name)
        if change:
            sentences.append(sentence % {"old": _moment(change.get("old")), "new": _moment(change.get("new"))})
    return " ".join(sentences)


def _attachment_links(ticket, attachments) -> list[dict]:
    return [
        {
            "name": a.original_name,
            "size": a.size,
            "url": reverse("tickets:attachment", kwargs={"reference": ticket.reference, "public_id": a.public_id}),
        }
        for a in attachments
    ]


# Extra timeline sources: apps above `tickets` (which `tickets` must not import) add their own
# internal items to the agent workspace's timeline, e.g. `escalation` the levels that fired.
TimelineSource = Callable[[object], Iterable[TimelineItem]]
_SOURCES: list[TimelineSource] = []


def timeline_source_register(source: TimelineSource) -> None:
    """Add `source(ticket) -> items` to the workspace timeline (from an `AppConfig.ready()`; a
    source registered twice counts once). Its items are for agents' eyes; it should cost one query."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def timeline_extra_items(*, ticket) -> list[TimelineItem]:
    """The items of every registered source for the ticket (agents only: the workspace)."""
    return [item for source in _SOURCES for item in source(ticket)]


def timeline_for(
    *, ticket, events: list[TicketEvent], attachments: dict[int, object], extra: Iterable[TimelineItem] = ()
) -> list[TimelineItem]:
    """Events (already filtered for the reader by `selectors.ticket_events_for_user`) as items;
    a reply or note carries its text and files; an attachment event of a comment is folded into
    it. `attachments` are the reader's visible attachments by id, for the other attachment events.
    `extra` items (`timeline_extra_items`; agents only) join in the order of their instants."""
    items = list(extra)
    merge = bool(items)
    # A macro's steps are told by its own entry, where the reader sees that entry (agents).
    by_id = {event.pk: event for event in events}
    macros = {event.pk for event in events if event.code == EventCode.MACRO_APPLIED}
    for event in events:
        actor = str(event.actor) if event.actor else _("Helpdesk")
        if (event.payload or {}).get("macro_event") in macros:
            continue
        if event.code in (EventCode.REPLY_ADDED, EventCode.NOTE_ADDED) and event.comment is not None:
            items.append(
                TimelineItem(
                    kind="comment",
                    at=event.created_at,
                    actor=actor,
                    is_internal=event.comment.is_internal,
                    body_html=render_markdown(event.comment.body),
                    attachments=_attachment_links(ticket, event.comment.attachments.all()),
                    icon="lock" if event.comment.is_internal else "chat-left-text",
                )
            )
            continue
        if event.code == EventCode.ATTACHMENT_ADDED and event.comment_id:
            continue
        text = describe(event, actor)
        if event.code == EventCode.MACRO_APPLIED:
            steps = [by_id[step["id"]] for step in event.payload.get("steps", []) if step.get("id") in by_id]
            text = " ".join([text, *(describe(step, actor) for step in steps)])
        item = TimelineItem(
            kind="event",
            at=event.created_at,
            actor=actor,
            text=text,
            actor_shown=actor not in text,
            icon=ICONS.get(event.code, "dot"),
            is_internal=not event.is_public,
        )
        if event.code == EventCode.MERGED_FROM and event.payload.get("description"):
            item.body_html = render_markdown(event.payload["description"])
        if event.code == EventCode.ATTACHMENT_ADDED:
            attachment = attachments.get(event.payload.get("attachment_id"))
            item.attachments = _attachment_links(ticket, [attachment] if attachment else [])
        items.append(item)
    return sorted(items, key=lambda item: item.at) if merge else items
