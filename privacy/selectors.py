"""Reads of data protection: what the product stores about a person (the export's content),
people to choose from, the records of exports and erasures."""

from __future__ import annotations

from pathlib import PurePath

from django.db.models import Q, QuerySet

from accounts import access
from accounts.models import Absence, User
from notifications.models import Notification, NotificationSettings
from tickets.models import Attachment, Comment, SatisfactionSurvey, SavedView, Ticket, TimeEntry

from .models import DataExport, Erasure

MAX_RESULTS = 50


def people_matching(*, actor, text: str) -> QuerySet[User]:
    """People whose user name, name or e-mail contains `text` (administrators only)."""
    if not access.may_manage_personal_data(actor):
        return User.objects.none()
    people = User.objects.select_related("organisation").order_by("username")
    for word in (text or "").split()[:4]:
        people = people.filter(
            Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    return people[:MAX_RESULTS]


def person_for(*, actor, pk: int) -> User | None:
    if not access.may_manage_personal_data(actor):
        return None
    return User.objects.select_related("organisation").filter(pk=pk).first()


def erasure_of(*, person: User) -> Erasure | None:
    return Erasure.objects.select_related("actor").filter(person_id=person.pk).first()


def exports_of(*, person: User) -> QuerySet[DataExport]:
    return DataExport.objects.select_related("actor").filter(person_id=person.pk)


def attachment_archive_name(attachment: Attachment) -> str:
    """The file's path inside the archive: unique by its id, the uploaded name kept readable."""
    name = PurePath(attachment.original_name).name or "file"
    return f"attachments/{attachment.public_id}-{name}"


def person_attachments(*, person: User) -> QuerySet[Attachment]:
    return Attachment.objects.filter(uploaded_by=person).select_related("ticket").order_by("pk")


def person_data(*, person: User) -> dict[str, list | dict]:
    """Everything the product stores about a person, as JSON-ready rows per kind of data."""
    organisation = person.organisation
    profile = {
        "id": person.pk,
        "username": person.username,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "phone": person.phone,
        "mail_bounced_at": person.mail_bounced_at,
        "mail_bounce_reason": person.mail_bounce_reason,
        "role": person.role,
        "language": person.language,
        "organisation": {"id": organisation.pk, "name": organisation.name} if organisation else None,
        "is_active": person.is_active,
        "date_joined": person.date_joined,
        "last_login": person.last_login,
        "teams": list(person.teams.values_list("name", flat=True)),
    }
    tickets = [
        {
            "reference": t.reference,
            "subject": t.subject,
            "description": t.description,
            "occurring_since": t.occurring_since,
            "steps_to_reproduce": t.steps_to_reproduce,
            "impact": t.impact,
            "category": t.category,
            "severity": t.severity,
            "affected_system": t.affected_system,
            "callback_phone": t.callback_phone,
            "channel": t.channel,
            "status": t.status,
            "reported_at": t.reported_at,
            "closed_at": t.closed_at,
        }
        for t in Ticket.objects.filter(requester=person).order_by("pk")
    ]
    comments = [
        {
            "ticket": c.ticket.reference,
            "body": c.body,
            "internal_note": c.is_internal,
            "channel": c.channel,
            "written_at": c.created_at,
        }
        for c in Comment.objects.filter(author=person).select_related("ticket").order_by("pk")
    ]
    attachments = [
        {
            "ticket": a.ticket.reference,
            "file_name": a.original_name,
            "content_type": a.content_type,
            "size": a.size,
            "uploaded_at": a.created_at,
            "in_archive": attachment_archive_name(a),
        }
        for a in person_attachments(person=person)
    ]
    time_entries = [
        {
            "ticket": e.ticket.reference,
            "worked_on": e.worked_on,
            "minutes": e.minutes,
            "work_type": e.work_type,
            "note": e.note,
            "billable": e.billable,
            "out_of_hours": e.out_of_hours,
            "logged_at": e.created_at,
        }
        for e in TimeEntry.objects.filter(agent=person).select_related("ticket").order_by("pk")
    ]
    notifications = [
        {"kind": n.kind, "details": n.payload, "ticket_id": n.ticket_id, "created_at": n.created_at,
         "read_at": n.read_at}
        for n in Notification.objects.filter(recipient=person).order_by("pk")
    ]
    notification_settings = [
        {"choices": row.choices, "digest_until": row.digest_until, "changed_at": row.updated_at}
        for row in NotificationSettings.objects.filter(user=person)
    ]
    saved_views = [
        {"name": v.name, "filters": v.query, "created_at": v.created_at}
        for v in SavedView.objects.filter(owner=person).order_by("pk")
    ]
    absences = [
        {"from": a.starts_on, "until": a.ends_on, "kind": a.kind, "note": a.note, "recorded_at": a.created_at}
        for a in Absence.objects.filter(agent=person).order_by("pk")
    ]
    satisfaction = [
        {"ticket": s.ticket.reference, "asked_at": s.asked_at, "rating": s.rating, "comment": s.comment,
         "answered_at": s.answered_at}
        for s in SatisfactionSurvey.objects.filter(requester=person).select_related("ticket").order_by("pk")
    ]
    return {
        "profile": profile,
        "tickets": tickets,
        "comments": comments,
        "attachments": attachments,
        "time_entries": time_entries,
        "notifications": notifications,
        "notification_settings": notification_settings,
        "saved_views": saved_views,
        "absences": absences,
        "satisfaction_surveys": satisfaction,
    }
