"""The `sla_escalation` notification kind: its texts in the reader's language and time zone, and
its mail (templates `escalation/email/sla_escalation*`). Registered with `notifications` by
`escalation.apps`.

Payload (written by `escalation.services`):
    target        "reaction" | "resolution" | "next_reply"
    cycle         next_reply only: the cycle the level belongs to
    level         "warning" | "breach" | "post_breach"
    reference     the ticket's reference
    due_at        the target's due instant (the ticket's `reaction_due_at` / `resolution_due_at`
                  when the level fired), ISO
    level_at      when the level fell due (the warning instant, the due instant, the post-breach
                  instant: `Escalation.due_at`), ISO
    left_seconds  warning only: business time from `level_at` to `due_at` on the ticket's
                  calendar (None when the engine could not tell)
Rows written before `level_at` existed carry only `due_at`, which was the level's instant: the
deadline itself for a breach; for a warning or post-breach the deadline is unknown, and their text
says what happened without an instant."""

from __future__ import annotations

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy

from accounts.formatting import format_moment
from notifications.kinds import Kind, Shown, agent_ticket_path, unknown_kind
from tickets.sla_clocks import format_business_time

SLA_ESCALATION = "sla_escalation"

WARNING, BREACH, POST_BREACH = "warning", "breach", "post_breach"

# (level, target) → whole sentence; %(reference)s, %(due)s (the target's due instant) and, for a
# warning, %(left)s (business time left at the warning) are filled in when shown.
TEXTS = {
    (WARNING, "reaction"): gettext_lazy(
        "The reaction to %(reference)s is due by %(due)s: %(left)s of support time left."
    ),
    (WARNING, "resolution"): gettext_lazy(
        "The resolution of %(reference)s is due by %(due)s: %(left)s of support time left."
    ),
    (BREACH, "reaction"): gettext_lazy("The reaction deadline of %(reference)s passed on %(due)s."),
    (BREACH, "resolution"): gettext_lazy("The resolution deadline of %(reference)s passed on %(due)s."),
    (POST_BREACH, "reaction"): gettext_lazy("%(reference)s still has no reaction: it was due on %(due)s."),
    (POST_BREACH, "resolution"): gettext_lazy("%(reference)s is still not resolved: it was due on %(due)s."),
    (WARNING, "next_reply"): gettext_lazy(
        "The customer of %(reference)s waits for an answer, due by %(due)s: %(left)s of support time left."
    ),
    (BREACH, "next_reply"): gettext_lazy("The customer of %(reference)s waits for an answer that was due on %(due)s."),
    (POST_BREACH, "next_reply"): gettext_lazy(
        "The customer of %(reference)s still has no answer: it was due on %(due)s."
    ),
}
# A warning whose business time left is unknown (the engine could not measure it).
TEXTS_WITHOUT_LEFT = {
    (WARNING, "reaction"): gettext_lazy("The reaction to %(reference)s is due by %(due)s."),
    (WARNING, "resolution"): gettext_lazy("The resolution of %(reference)s is due by %(due)s."),
    (WARNING, "next_reply"): gettext_lazy("The customer of %(reference)s waits for an answer, due by %(due)s."),
}
# Old rows whose due instant is unknown (see the module's docstring).
TEXTS_WITHOUT_DUE = {
    (WARNING, "reaction"): gettext_lazy("The reaction to %(reference)s is due soon."),
    (WARNING, "resolution"): gettext_lazy("The resolution of %(reference)s is due soon."),
    (POST_BREACH, "reaction"): gettext_lazy("%(reference)s still has no reaction."),
    (POST_BREACH, "resolution"): gettext_lazy("%(reference)s is still not resolved."),
}
SUBJECTS = {
    (WARNING, "reaction"): gettext_lazy("[%(reference)s] Reaction due by %(due)s: %(subject)s"),
    (WARNING, "resolution"): gettext_lazy("[%(reference)s] Resolution due by %(due)s: %(subject)s"),
    (BREACH, "reaction"): gettext_lazy("[%(reference)s] Reaction deadline missed (%(due)s): %(subject)s"),
    (BREACH, "resolution"): gettext_lazy("[%(reference)s] Resolution deadline missed (%(due)s): %(subject)s"),
    (POST_BREACH, "reaction"): gettext_lazy("[%(reference)s] Still no reaction (due %(due)s): %(subject)s"),
    (POST_BREACH, "resolution"): gettext_lazy("[%(reference)s] Still not resolved (due %(due)s): %(subject)s"),
    (WARNING, "next_reply"): gettext_lazy("[%(reference)s] Answer to the customer due by %(due)s: %(subject)s"),
    (BREACH, "next_reply"): gettext_lazy("[%(reference)s] Answer to the customer overdue (%(due)s): %(subject)s"),
    (POST_BREACH, "next_reply"): gettext_lazy(
        "[%(reference)s] Customer still without an answer (due %(due)s): %(subject)s"
    ),
}
SUBJECTS_WITHOUT_DUE = {
    (WARNING, "reaction"): gettext_lazy("[%(reference)s] Reaction due soon: %(subject)s"),
    (WARNING, "resolution"): gettext_lazy("[%(reference)s] Resolution due soon: %(subject)s"),
    (POST_BREACH, "reaction"): gettext_lazy("[%(reference)s] Still no reaction: %(subject)s"),
    (POST_BREACH, "resolution"): gettext_lazy("[%(reference)s] Still not resolved: %(subject)s"),
}
TONES = {WARNING: ("exclamation-triangle", "warning"), BREACH: ("alarm", "danger"),
         POST_BREACH: ("megaphone", "danger")}


def _deadline(payload: dict):
    """The target's due instant, or None when the row does not say it (an old warning or
    post-breach row, whose `due_at` was the level's own instant)."""
    if "level_at" not in payload and payload.get("level") != BREACH:
        return None
    return parse_datetime(payload.get("due_at") or "")


def _sentence(payload: dict, reader, *, reference: str, subject: str | None = None) -> str | None:
    """The headline (or, with `subject`, the mail's subject) in the active language; None for a
    payload of an unknown level or target."""
    key = (payload.get("level"), payload.get("target"))
    if key not in TEXTS:
        return None
    values = {"reference": reference, "subject": subject or ""}
    deadline = _deadline(payload)
    if deadline is None:
        templates = SUBJECTS_WITHOUT_DUE if subject is not None else TEXTS_WITHOUT_DUE
        return str(templates[key]) % values
    values["due"] = format_moment(deadline, reader)
    if subject is not None:
        return str(SUBJECTS[key]) % values
    left = payload.get("left_seconds")
    if key[0] == WARNING and left is None:
        return str(TEXTS_WITHOUT_LEFT[key]) % values
    return str(TEXTS[key]) % {**values, "left": format_business_time(left)}


def show(payload: dict, reader) -> Shown:
    text = _sentence(payload, reader, reference=payload.get("reference", ""))
    if text is None:
        return unknown_kind()
    icon, tone = TONES[payload["level"]]
    return Shown(text, icon, tone)


def mail_context(mail) -> dict:
    """The headline and subject of an escalation mail, whole sentences as in the app."""
    payload = mail.payload or {}
    ticket = mail.ticket
    reference = ticket.reference if ticket else payload.get("reference", "")
    headline = _sentence(payload, mail.recipient, reference=reference)
    if headline is None:  # fails like a sending error: retried, then given up (visible in the admin)
        raise ValueError(f"escalation mail {mail.key}: unknown level or target")
    deadline = _deadline(payload)
    return {
        "level": payload.get("level"),
        "target": payload.get("target"),
        "due": format_moment(deadline, mail.recipient) if deadline else "",
        "headline": headline,
        "url": settings.SITE_URL + agent_ticket_path(reference),
        "subject": _sentence(payload, mail.recipient, reference=reference, subject=ticket.subject if ticket else ""),
    }


SLA_ESCALATION_KIND = Kind(
    code=SLA_ESCALATION, show=show, mail_context=mail_context, mail_templates="escalation/email/sla_escalation"
)
