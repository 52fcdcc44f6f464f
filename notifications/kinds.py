"""Notification kinds: the stored code and payload, turned into text in the reader's language
when shown. Add a kind here together with its text; never store the text itself.

`sla_escalation` (written by `sla.services.escalation`): payload ``{"target": "reaction" |
"resolution", "level": "warning" | "breach" | "post_breach", "due_at": ISO instant,
"reference": ticket reference}``."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.formatting import format_moment

SLA_ESCALATION = "sla_escalation"

# (level, target) → whole sentence; %(reference)s and %(due)s are filled in when shown.
SLA_TEXTS = {
    ("warning", "reaction"): gettext_lazy("The reaction to %(reference)s is due by %(due)s."),
    ("warning", "resolution"): gettext_lazy("The resolution of %(reference)s is due by %(due)s."),
    ("breach", "reaction"): gettext_lazy("The reaction deadline of %(reference)s passed on %(due)s."),
    ("breach", "resolution"): gettext_lazy("The resolution deadline of %(reference)s passed on %(due)s."),
    ("post_breach", "reaction"): gettext_lazy(
        "%(reference)s still has no reaction: it was due on %(due)s."
    ),
    ("post_breach", "resolution"): gettext_lazy(
        "%(reference)s is still not resolved: it was due on %(due)s."
    ),
}
SLA_SUBJECTS = {
    ("warning", "reaction"): gettext_lazy("[%(reference)s] Reaction due soon: %(subject)s"),
    ("warning", "resolution"): gettext_lazy("[%(reference)s] Resolution due soon: %(subject)s"),
    ("breach", "reaction"): gettext_lazy("[%(reference)s] Reaction deadline missed: %(subject)s"),
    ("breach", "resolution"): gettext_lazy("[%(reference)s] Resolution deadline missed: %(subject)s"),
    ("post_breach", "reaction"): gettext_lazy("[%(reference)s] Still no reaction: %(subject)s"),
    ("post_breach", "resolution"): gettext_lazy("[%(reference)s] Still not resolved: %(subject)s"),
}
SLA_TONES = {"warning": ("exclamation-triangle", "warning"), "breach": ("alarm", "danger"),
             "post_breach": ("megaphone", "danger")}


def agent_ticket_path(reference: str) -> str:
    """Where an agent works a ticket: the workspace (the customer's page where it does not exist)."""
    try:
        return reverse("tickets:workspace", kwargs={"reference": reference})
    except NoReverseMatch:
        return reverse("tickets:detail", kwargs={"reference": reference})


@dataclass(frozen=True)
class Shown:
    text: str
    icon: str
    tone: str  # a Bootstrap colour name


def notification_show(*, kind: str, payload: dict, reader) -> Shown:
    """The text, icon and colour of a notification for `reader` (current language, reader's zone)."""
    payload = payload or {}
    if kind == SLA_ESCALATION:
        level, target = payload.get("level"), payload.get("target")
        template = SLA_TEXTS.get((level, target))
        if template is not None:
            due = parse_datetime(payload.get("due_at") or "")
            icon, tone = SLA_TONES[level]
            text = str(template) % {"reference": payload.get("reference", ""), "due": format_moment(due, reader)}
            return Shown(text, icon, tone)
    return Shown(_("A notification of a kind this version does not know."), "bell", "secondary")
