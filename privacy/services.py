"""Every write of data protection: the export (recorded), the erasure of a person and the
retention of closed tickets. Keyword-only, atomic, recorded in the same transaction.

What is kept and what is removed is documented in docs/privacy.md; the two must agree."""

from __future__ import annotations

import json
import time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Absence, AssignmentTurn, Team, User
from notifications.models import Notification, NotificationSettings, OutboxMail
from sla.choices import Status
from tickets.models import (
    Attachment,
    Comment,
    EventCode,
    SatisfactionSurvey,
    SavedView,
    Ticket,
    TicketEvent,
    TicketPresence,
    TimeEntry,
)

from . import registry, selectors
from .models import AnonymisedTicket, DataExport, Erasure, RetentionRule
from .texts import ERASED_NAME, REMOVED_FILE, REMOVED_TEXT, stored

RETENTION_BATCH = 500


def _require_privacy_admin(actor) -> None:
    if not access.may_manage_personal_data(actor):
        raise PermissionDenied(_("Only administrators export or erase personal data."))


def _dumps(rows) -> str:
    return json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


# ---------------------------------------------------------------------------------------------
# Export


def person_export(*, person: User, actor, out, now: datetime) -> DataExport:
    """Write the person's data as a ZIP archive to the binary file `out` and record the export.
    `actor` None: the command line (an operator with shell access). The archive holds one JSON
    file per kind of data (`selectors.person_data`) and the files the person uploaded under
    `attachments/`."""
    if actor is not None:
        _require_privacy_admin(actor)
    with transaction.atomic():
        data = selectors.person_data(person=person)
        for name, collect in registry.export_sections().items():
            data[name] = collect(person)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("README.txt", _(
                "Personal data of user %(id)d, exported on %(at)s. One JSON file per kind of data; "
                "attachments/ holds the files the person uploaded (listed in attachments.json)."
            ) % {"id": person.pk, "at": now.isoformat(timespec="seconds")} + "\n")
            for name, rows in data.items():
                archive.writestr(f"{name}.json", _dumps(rows))
            for attachment in selectors.person_attachments(person=person):
                try:
                    with attachment.file.open("rb") as handle:
                        archive.writestr(selectors.attachment_archive_name(attachment), handle.read())
                except FileNotFoundError:
                    continue  # listed in attachments.json; the file itself is gone
        return DataExport.objects.create(person=person, actor=actor, exported_at=now)


# ---------------------------------------------------------------------------------------------
# Erasure


@dataclass(frozen=True)
class Erased:
    erasure: Erasure
    created: bool


def erased_name(person_id: int) -> tuple[str, str]:
    """First and last name of an erased person: "Gelöschte Person" and the id."""
    return stored(ERASED_NAME), str(person_id)


def _delete_files_on_commit(files: list) -> None:
    """Files go after the rows are gone for good: a rolled-back erasure keeps them."""

    def remove():
        for storage, name in files:
            storage.delete(name)

    if files:
        transaction.on_commit(remove)


def _attachments_delete(attachments) -> int:
    """Delete attachment rows (files after commit) and blank the file name in their events."""
    rows = list(attachments)
    if not rows:
        return 0
    ids = [a.pk for a in rows]
    candidates = TicketEvent.objects.filter(ticket_id__in={a.ticket_id for a in rows}, code=EventCode.ATTACHMENT_ADDED)
    events = [e for e in candidates if (e.payload or {}).get("attachment_id") in ids]
    placeholder = stored(REMOVED_FILE)
    for event in events:
        event.payload = {**event.payload, "name": placeholder}
    TicketEvent.objects.bulk_update(events, ["payload"])
    files = [(a.file.storage, a.file.name) for a in rows if a.file.name]
    Attachment.objects.filter(pk__in=ids).delete()
    _delete_files_on_commit(files)
    return len(rows)


def _rename_in_events(person: User, name: str) -> int:
    """Events keep people's names as they were (`tickets.services._common.user_ref`): the erased
    person's become the placeholder."""
    pk = person.pk
    events = TicketEvent.objects.filter(
        Q(code=EventCode.CREATED, payload__requester__id=pk)
        | Q(code=EventCode.ASSIGNED, payload__old__assignee__id=pk)
        | Q(code=EventCode.ASSIGNED, payload__new__assignee__id=pk)
    )

    def rename(value):
        if isinstance(value, dict):
            if value.get("id") == pk and "name" in value:
                return {**value, "name": name}
            return {key: rename(item) for key, item in value.items()}
        return value

    changed = []
    for event in events:
        event.payload = rename(event.payload)
        changed.append(event)
    TicketEvent.objects.bulk_update(changed, ["payload"])
    return len(changed)


def person_erase(*, person: User, actor, reason: str, confirmation: str, now: datetime) -> Erased:
    """Anonymise a person for good: the name becomes "Gelöschte Person <id>", e-mail and phone are
    emptied, the login is disabled; what they wrote (comments, tickets they filed, time-entry
    notes) is replaced by a fixed text, files they uploaded are deleted. Tickets, their SLA
    figures, escalations and the minutes of time entries stay.

    `confirmation` must be the person's user name, `reason` is required. A person already erased
    returns the first erasure and nothing is written."""
    _require_privacy_admin(actor)
    existing = Erasure.objects.filter(person_id=person.pk).first()
    if existing is not None:
        return Erased(existing, created=False)
    errors = {}
    if person.pk == actor.pk:
        errors["confirmation"] = _("You cannot erase your own account.")
    elif (confirmation or "").strip() != person.username:
        errors["confirmation"] = _("Type the user name exactly as shown to confirm.")
    if not (reason or "").strip():
        errors["reason"] = _("Please give the reason for the erasure (e.g. the request's date and channel).")
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=person.pk)
        existing = Erasure.objects.filter(person_id=locked.pk).first()
        if existing is not None:
            return Erased(existing, created=False)
        old_username, old_email = locked.username, locked.email
        placeholder = stored(REMOVED_TEXT)
        counts = {
            "attachments": _attachments_delete(Attachment.objects.filter(uploaded_by=locked)),
            "comments": Comment.objects.filter(author=locked).update(body=placeholder),
            "tickets": Ticket.objects.filter(requester=locked).update(
                subject=placeholder, description=placeholder, occurring_since="", steps_to_reproduce="",
                impact="", callback_phone="", remote_session_id="", updated_at=now,
            ),
            "time_entries": TimeEntry.objects.filter(agent=locked).exclude(note="").update(note=""),
            "notifications": Notification.objects.filter(recipient=locked).delete()[0],
            "mails": OutboxMail.objects.filter(recipient=locked).delete()[0],
            "notification_settings": NotificationSettings.objects.filter(user=locked).delete()[0],
            "saved_views": SavedView.objects.filter(owner=locked).delete()[0],
            "satisfaction_comments": _satisfaction_comments_remove(SatisfactionSurvey.objects.filter(requester=locked)),
        }
        TicketPresence.objects.filter(user=locked).delete()
        Absence.objects.filter(agent=locked).delete()  # sick days are health data
        AssignmentTurn.objects.filter(agent=locked).delete()
        locked.teams.clear()
        Team.objects.filter(lead=locked).update(lead=None)

        first_name, last_name = erased_name(locked.pk)
        locked.first_name, locked.last_name = first_name, last_name
        locked.username = f"deleted-{locked.pk}"
        locked.email = ""
        locked.phone = ""
        locked.mail_bounced_at, locked.mail_bounce_reason = None, ""
        locked.is_active = False
        locked.is_staff = False
        locked.is_superuser = False
        locked.set_unusable_password()
        locked.save()
        locked.user_permissions.clear()
        locked.groups.clear()
        counts["events"] = _rename_in_events(locked, str(locked))

        # Sign-in records of django-axes and the admin's log keep the old user name.
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username=old_username).delete()
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(User), object_id=str(locked.pk)
        ).update(object_repr=str(locked))
        for step in registry.erasure_steps():
            counts.update(step(person=locked, old_email=old_email, old_username=old_username) or {})

        erasure = Erasure.objects.create(
            person=locked, actor=actor, reason=reason.strip(), erased_at=now, counts=counts
        )
    person.refresh_from_db()
    return Erased(erasure, created=True)


# ---------------------------------------------------------------------------------------------
# Retention


@dataclass
class RetentionOutcome:
    tickets: int = 0
    batches: int = 0
    longest_batch_seconds: float = 0.0
    batch_seconds: list[float] = field(default_factory=list)


def retention_candidates(*, rule: RetentionRule, now: datetime):
    """The rule's closed tickets past their retention that still carry personal data, by id."""
    cutoff = now - timedelta(days=rule.closed_ticket_days)
    return (
        Ticket.objects.filter(organisation_id=rule.organisation_id, status=Status.CLOSED, closed_at__lt=cutoff)
        .filter(~Exists(AnonymisedTicket.objects.filter(ticket_id=OuterRef("pk"))))
        .order_by("pk")
    )


def _satisfaction_comments_remove(surveys) -> int:
    """The comments of these satisfaction surveys, and in their history entries, become empty
    (the rating stays: it is no personal text). Returns how many surveys had one."""
    with_comment = list(surveys.exclude(comment="").values_list("pk", "ticket_id"))
    if not with_comment:
        return 0
    SatisfactionSurvey.objects.filter(pk__in=[pk for pk, _ticket in with_comment]).update(comment="")
    events = list(TicketEvent.objects.filter(ticket_id__in=[t for _pk, t in with_comment],
                                             code=EventCode.SATISFACTION_RATED))
    for event in events:
        event.payload = {**(event.payload or {}), "comment": ""}
    TicketEvent.objects.bulk_update(events, ["payload"])
    return len(with_comment)


def tickets_anonymise(*, ticket_ids: list[int], now: datetime, cutoff: datetime) -> int:
    """Anonymise these tickets, in the caller's transaction: the ticket's texts, every comment
    body and time-entry note become the fixed text or empty, attachments are deleted. Kept: the
    ticket with its requester link, status, dates and SLA figures, escalations, time entries'
    minutes. Each ticket is locked and checked again (still closed before `cutoff`, not done)."""
    ids = list(
        Ticket.objects.select_for_update()
        .filter(pk__in=ticket_ids, status=Status.CLOSED, closed_at__lt=cutoff)
        .filter(~Exists(AnonymisedTicket.objects.filter(ticket_id=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    placeholder = stored(REMOVED_TEXT)
    Ticket.objects.filter(pk__in=ids).update(
        subject=placeholder, description=placeholder, occurring_since="", steps_to_reproduce="", impact="",
        callback_phone="", remote_session_id="", updated_at=now,
    )
    Ticket.objects.filter(pk__in=ids).exclude(workaround="").update(workaround=placeholder)
    Comment.objects.filter(ticket_id__in=ids).exclude(body="").update(body=placeholder)
    TimeEntry.objects.filter(ticket_id__in=ids).exclude(note="").update(note="")
    workaround_events = list(TicketEvent.objects.filter(ticket_id__in=ids, code=EventCode.WORKAROUND_CHANGED))
    for event in workaround_events:
        event.payload = {key: (placeholder if value else value) for key, value in (event.payload or {}).items()}
    TicketEvent.objects.bulk_update(workaround_events, ["payload"])
    _attachments_delete(Attachment.objects.filter(ticket_id__in=ids))
    _satisfaction_comments_remove(SatisfactionSurvey.objects.filter(ticket_id__in=ids))
    for step in registry.ticket_steps():
        step(ticket_ids=ids)
    AnonymisedTicket.objects.bulk_create(
        [AnonymisedTicket(ticket_id=pk, anonymised_at=now) for pk in ids], ignore_conflicts=True
    )
    return len(ids)


def retention_apply(*, now: datetime, batch_size: int = RETENTION_BATCH) -> RetentionOutcome:
    """Anonymise every closed ticket past its organisation's retention period. Batches of
    `batch_size` tickets, one short transaction each, in id order from a high-water mark: no long
    lock, and an interrupted run loses at most one batch, which the next run does again.
    Idempotent: done tickets are recorded (`AnonymisedTicket`) and skipped."""
    outcome = RetentionOutcome()
    for rule in RetentionRule.objects.order_by("pk"):
        cutoff = now - timedelta(days=rule.closed_ticket_days)
        candidates = retention_candidates(rule=rule, now=now)
        high_water = 0
        while True:
            ids = list(candidates.filter(pk__gt=high_water).values_list("pk", flat=True)[:batch_size])
            if not ids:
                break
            high_water = ids[-1]
            started = time.monotonic()
            with transaction.atomic():
                outcome.tickets += tickets_anonymise(ticket_ids=ids, now=now, cutoff=cutoff)
            seconds = time.monotonic() - started
            outcome.batches += 1
            outcome.batch_seconds.append(seconds)
            outcome.longest_batch_seconds = max(outcome.longest_batch_seconds, seconds)
    return outcome


def sign_in_records_prune(*, now: datetime, days: int) -> int:
    """Delete django-axes' sign-in records (user name, IP address, browser) older than ``days``:
    the access log, the failure log, and failed-attempt counters last touched before then (long
    past their cool-off). Returns the number of rows deleted. ``days`` < 1 keeps everything."""
    if days < 1:
        return 0
    cutoff = now - timedelta(days=days)
    deleted = 0
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        deleted += model.objects.filter(attempt_time__lt=cutoff).delete()[0]
    return deleted
