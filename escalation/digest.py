"""Escalation mail by level, as each person chose it (`notifications.preferences`): at once, in a
daily digest, or (agents only) not at all. Managers cannot switch escalation mails off, only
bundle them into the digest. The in-app notifications are not affected: every recipient of an
escalation gets one, and the digest lists exactly those.

The digest (`escalation.tasks.escalation_digest`, daily at ``DIGEST_HOUR``): one mail per person
who chose the digest for a level and got such escalations since the end of their previous digest
(`NotificationSettings.digest_until`; the first one covers a day). The period's end is recorded in
the transaction that records the mail, so nothing is listed twice or left out; a second run within
12 hours (a duplicate beat tick) does nothing."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import access
from accounts.formatting import format_moment
from notifications.kinds import Kind, agent_ticket_path
from notifications.models import Notification, NotificationSettings, OutboxMail
from notifications.preferences import DIGEST, MAIL, OFF, Topic, mode_from
from notifications.services import notification_settings_digest_advance, outbox_mails_add

from . import kinds
from .kinds import BREACH, POST_BREACH, SLA_ESCALATION, WARNING

logger = logging.getLogger(__name__)

TOPIC_FOR_LEVEL = {
    WARNING: "escalation_warning",
    BREACH: "escalation_breach",
    POST_BREACH: "escalation_post_breach",
}
SLA_ESCALATION_DIGEST = "sla_escalation_digest"
FIRST_PERIOD = timedelta(days=1)  # what a person's first digest covers
MIN_GAP = timedelta(hours=12)  # a second run within this is a duplicate tick: nothing to do
MAX_LISTED = 500  # escalations listed in one digest; the rest are counted


def _modes(person) -> tuple[str, ...]:
    return (MAIL, DIGEST) if access.is_manager(person) else (MAIL, DIGEST, OFF)


def _default(person) -> str:
    return MAIL


GROUP = _("Escalations")
REFUSAL = _("Managers cannot switch escalation mails off. Choose the daily digest to get them once a day.")
TOPICS = [
    Topic(TOPIC_FOR_LEVEL[WARNING], _("A deadline of a ticket is close (warning)"),
          _("On your tickets, or your team's unassigned ones."), GROUP, access.is_agent, _default, _modes,
          REFUSAL, order=20),
    Topic(TOPIC_FOR_LEVEL[BREACH], _("A deadline was missed (breach)"),
          _("As team lead and as manager."), GROUP, access.is_agent, _default, _modes, REFUSAL, order=21),
    Topic(TOPIC_FOR_LEVEL[POST_BREACH], _("A deadline is still missed (post-breach)"),
          _("Managers only, a while after the breach."), GROUP, access.is_agent, _default, _modes, REFUSAL,
          order=22),
]


def digest_levels(person, choices: dict) -> list[str]:
    return [level for level, topic in TOPIC_FOR_LEVEL.items() if mode_from(person, topic, choices) == DIGEST]


def escalation_digest_run(*, now: datetime) -> int:
    """Record the digest mails due at `now`; returns how many."""
    recorded = 0
    candidates = NotificationSettings.objects.select_related("user").filter(user__is_active=True).order_by("pk")
    for row in candidates.iterator(chunk_size=500):
        if DIGEST not in (row.choices or {}).values():
            continue
        levels = digest_levels(row.user, row.choices)
        if levels:
            recorded += _digest_one(row.pk, levels, now)
    if recorded:
        logger.info("escalation digest at %s: %d mails", now.isoformat(), recorded)
    return recorded


def _digest_one(settings_id: int, levels: list[str], now: datetime) -> int:
    with transaction.atomic():
        row = NotificationSettings.objects.select_for_update().select_related("user").get(pk=settings_id)
        start = row.digest_until or now - FIRST_PERIOD
        if now - start < MIN_GAP:
            return 0
        mailed = bool(row.user.email) and _listed(row.user_id, levels, start, now).exists()
        if mailed:
            outbox_mails_add(mails=[OutboxMail(
                key=f"sla-escalation-digest:{row.user_id}:{now:%Y%m%d%H%M%S}", recipient=row.user,
                kind=SLA_ESCALATION_DIGEST,
                payload={"from": start.isoformat(), "to": now.isoformat(), "levels": levels},
            )])
        notification_settings_digest_advance(settings_row=row, until=now)
    return int(mailed)


def _listed(user_id: int, levels: list[str], start: datetime, end: datetime):
    return Notification.objects.filter(
        recipient_id=user_id, kind=SLA_ESCALATION, created_at__gte=start, created_at__lt=end, payload__level__in=levels,
    ).order_by("created_at", "pk")


def digest_mail_context(mail: OutboxMail) -> dict:
    payload, recipient = mail.payload or {}, mail.recipient
    start, end = parse_datetime(payload["from"]), parse_datetime(payload["to"])
    found = _listed(recipient.pk, payload.get("levels") or [], start, end)
    total = found.count()
    items = []
    for notification in found[:MAX_LISTED]:
        reference = (notification.payload or {}).get("reference", "")
        items.append({
            "text": kinds.show(notification.payload or {}, recipient).text,
            "at": format_moment(notification.created_at, recipient),
            "url": settings.SITE_URL + agent_ticket_path(reference) if reference else "",
        })
    return {
        "items": items,
        "total": total,
        "more": total - len(items),
        "since": format_moment(start, recipient),
        "until": format_moment(end, recipient),
        "subject": ngettext("Daily digest: %(count)d escalation", "Daily digest: %(count)d escalations", total)
        % {"count": total},
        "url": settings.SITE_URL + reverse("notifications:list"),
    }


SLA_ESCALATION_DIGEST_KIND = Kind(
    code=SLA_ESCALATION_DIGEST, mail_context=digest_mail_context,
    mail_templates="escalation/email/sla_escalation_digest",
)
