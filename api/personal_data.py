"""What the API and channels store about a person, for data protection (`privacy.registry`):
personal tokens, and the log of inbound e-mail (sender address and subject; for a mail held for
review also its text, file names and the message itself)."""

from __future__ import annotations

from django.db.models import Q

from api.models import ApiToken, InboundMail

# What erasure and retention blank in a person's inbound-mail rows (the outcome stays).
_BLANK = {"sender": "", "subject": "", "body": "", "file_names": [], "raw": None}


def export_tokens(person) -> list[dict]:
    return [
        {"name": t.name, "starts_with": t.prefix, "created_at": t.created_at, "expires_at": t.expires_at,
         "last_used_at": t.last_used_at, "revoked_at": t.revoked_at}
        for t in ApiToken.objects.filter(user=person).order_by("pk")
    ]


def export_inbound_mails(person) -> list[dict]:
    if not person.email:
        return []
    return [
        {"sender": m.sender, "subject": m.subject, "outcome": m.outcome, "received_at": m.received_at,
         "trust": m.trust, "review": m.review, "text": m.body, "files": m.file_names}
        for m in InboundMail.objects.filter(sender__iexact=person.email).defer("raw").order_by("pk")
    ]


def erase(*, person, old_email: str, old_username: str) -> dict:
    """The person's tokens go; their mails' log rows keep the outcome, not the address, subject or text."""
    counts = {"api_tokens": ApiToken.objects.filter(user=person).delete()[0]}
    mails = Q(person=person) | Q(sender__iexact=old_email) if old_email else Q(person=person)
    counts["inbound_mails"] = InboundMail.objects.filter(mails).update(**_BLANK, person=None)
    return counts


def anonymise_tickets(*, ticket_ids: list[int]) -> None:
    InboundMail.objects.filter(ticket_id__in=ticket_ids).exclude(subject="", sender="", body="").update(**_BLANK)
