"""Reads of notifications, always for one person."""

from django.db.models import QuerySet

from .kinds import agent_ticket_path, notification_show
from .models import Notification


def notification_unread_count(*, user) -> int:
    """One COUNT over the partial index of unread notifications."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(*, user) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.filter(recipient=user).select_related("ticket").order_by("-created_at", "-pk")


def notifications_shown(*, notifications, reader) -> list[dict]:
    """Each notification with its text in the current language, for a template."""
    rows = []
    for notification in notifications:
        shown = notification_show(kind=notification.kind, payload=notification.payload, reader=reader)
        url = agent_ticket_path(notification.ticket.reference) if notification.ticket_id else ""
        rows.append({"notification": notification, "text": shown.text, "icon": shown.icon, "tone": shown.tone,
                     "url": url})
    return rows
