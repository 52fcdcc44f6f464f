"""Mail held for review (docs/mail-trust.md): which agents see it, and what accepting or
discarding it does.

A held mail is visible to the agents who may see its ticket, or — when it names none — the
organisation of the customer it claims to come from. Until an agent decides, it posts nothing
and counts for nothing. Then:

- **Accept as the sender** (a customer's mail only): an agent vouches for the sender, and the
  mail does what a verified one would have done, now: the customer's reply (which then counts as
  a customer reply) or a new ticket in their name.
- **Accept as my reply / my internal note**: the agent takes the text over in their own name. A
  mail claiming a staff address is never posted as that person.
- **Discard**: nothing is posted.
Either way who decided and when stays on the row (and shows on the ticket's history); the
message itself is dropped, its text is kept for the record."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import access
from api.models import InboundMail
from tickets import rules
from tickets.flags import TicketFlag
from tickets.markdown import render_markdown
from tickets.timeline import TimelineItem

from . import service
from .answers import STAFF_UNVERIFIED
from .parsing import mail_parse

Review = InboundMail.Review
AS_SENDER, AS_REPLY, AS_NOTE = "sender", "reply", "note"
ACCEPT_MODES = (AS_SENDER, AS_REPLY, AS_NOTE)


def held_mails_for(*, user) -> QuerySet[InboundMail]:
    """The held mails an agent may review, newest first (without the stored messages)."""
    if not access.is_agent(user):
        return InboundMail.objects.none()
    organisations = access.organisations_for(user)
    return (
        InboundMail.objects.filter(outcome=InboundMail.Outcome.HELD)
        .filter(Q(ticket__organisation__in=organisations)
                | Q(ticket__isnull=True, person__organisation__in=organisations))
        .select_related("ticket", "person", "reviewed_by")
        .defer("raw")
        .order_by("-received_at", "-pk")
    )


def held_mail_get_for_user(*, user, pk: int) -> InboundMail:
    found = held_mails_for(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such e-mail."))
    return found


def accept_modes(inbound: InboundMail) -> list[str]:
    """What accepting this held mail may do."""
    if inbound.review != Review.PENDING:
        return []
    if inbound.reason == STAFF_UNVERIFIED:
        return [AS_REPLY, AS_NOTE] if inbound.ticket_id else []
    return [AS_SENDER, AS_NOTE] if inbound.ticket_id else [AS_SENDER]


def _locked_pending(inbound: InboundMail, actor) -> InboundMail:
    held_mail_get_for_user(user=actor, pk=inbound.pk)  # the access gate, before the lock
    locked = InboundMail.objects.select_for_update(of=("self",)).select_related("ticket", "person").get(pk=inbound.pk)
    if locked.review != Review.PENDING:
        raise ValidationError(_("This e-mail has already been reviewed."))
    return locked


def held_mail_accept(*, inbound: InboundMail, actor, mode: str) -> InboundMail:
    """Post a held mail (see the module's docstring for `mode`); refused like the portal would
    refuse it (a closed ticket, a person no longer allowed)."""
    if not access.is_agent(actor):
        raise PermissionDenied(_("Only agents review e-mails."))
    with transaction.atomic():
        locked = _locked_pending(inbound, actor)
        if mode not in accept_modes(locked):
            raise ValidationError(_("This e-mail cannot be accepted that way."))
        person = locked.person
        if mode == AS_SENDER and (person is None or not person.is_active):
            raise ValidationError(_("The person this e-mail claims to come from has no active account any more."))
        if mode == AS_SENDER and locked.ticket is not None and not rules.may_see(person, locked.ticket):
            raise ValidationError(_("The person this e-mail claims to come from may no longer see this ticket."))
        mail = mail_parse(bytes(locked.raw or b""), own_addresses=service.own_addresses())
        # The notes in the text in the sender's language (as when the mail came in); errors in the agent's.
        language = locked.answer_language or (person.language if person is not None else "") or None
        if mode == AS_SENDER and locked.ticket is None:
            locked.ticket = service.open_ticket(mail, person, language=language).ticket
            accepted_as = "ticket"
        elif mode == AS_SENDER:
            service.post_reply(mail, person, locked.ticket, language=language)
            accepted_as = AS_REPLY
        else:
            heading = "" if mode == AS_REPLY else _("Unverified e-mail from %(sender)s:") % {"sender": locked.sender}
            service.post_reply(mail, person, locked.ticket, author=actor, is_internal=mode == AS_NOTE,
                               heading=heading, language=language)
            accepted_as = mode
        locked.review, locked.accepted_as = Review.ACCEPTED, accepted_as
        return _reviewed(locked, actor)


def held_mail_discard(*, inbound: InboundMail, actor) -> InboundMail:
    """Post nothing; keep the record of who discarded which mail, and when."""
    if not access.is_agent(actor):
        raise PermissionDenied(_("Only agents review e-mails."))
    with transaction.atomic():
        locked = _locked_pending(inbound, actor)
        locked.review = Review.DISCARDED
        return _reviewed(locked, actor)


def _reviewed(locked: InboundMail, actor) -> InboundMail:
    locked.reviewed_by, locked.reviewed_at, locked.raw = actor, timezone.now(), None
    locked.save(update_fields=["review", "accepted_as", "ticket", "reviewed_by", "reviewed_at", "raw"])
    return locked


# --- What agents see ---------------------------------------------------------------------------

def claimed_sender(inbound: InboundMail) -> str:
    return f"{inbound.person} <{inbound.sender}>" if inbound.person is not None else inbound.sender


def why_unverified(inbound: InboundMail) -> str:
    if inbound.reason == STAFF_UNVERIFIED:
        return _("It claims an agent's address but did not come to the ticket's reply address, so it is never "
                 "posted in that person's name.")
    return _("It did not come to the ticket's reply address, and the receiving mail server did not confirm the "
             "sender's domain (DMARC or SPF).")


def status_text(inbound: InboundMail) -> str:
    if inbound.review == Review.PENDING:
        return _("Unverified e-mail, not posted and not counted for the service level. %(why)s") % {
            "why": why_unverified(inbound)}
    when = timezone.localtime(inbound.reviewed_at) if inbound.reviewed_at else None
    values = {"by": inbound.reviewed_by or _("nobody"),
              "when": date_format(when, "SHORT_DATETIME_FORMAT") if when else "—"}
    if inbound.review == Review.DISCARDED:
        return _("Unverified e-mail, discarded by %(by)s (%(when)s).") % values
    labels = {"ticket": _("a new ticket"), AS_REPLY: _("a reply"), AS_NOTE: _("an internal note")}
    return _("Unverified e-mail, accepted by %(by)s (%(when)s) as %(what)s.") % {
        **values, "what": labels.get(inbound.accepted_as, inbound.accepted_as)}


def accept_label(inbound: InboundMail, mode: str) -> str:
    if mode == AS_SENDER:
        if inbound.ticket_id:
            return _("Accept as %(person)s's reply") % {"person": inbound.person}
        return _("Open a ticket for %(person)s") % {"person": inbound.person}
    return _("Post as my reply") if mode == AS_REPLY else _("Keep as my internal note")


def review_actions(inbound: InboundMail, *, next_url: str = "") -> list[dict]:
    """The buttons of a pending held mail (POST forms; see `tickets.timeline.TimelineItem`)."""
    if inbound.review != Review.PENDING:
        return []
    fields = {"next": next_url} if next_url else {}
    actions = [
        {"label": accept_label(inbound, mode), "url": reverse("held_mail:accept", kwargs={"pk": inbound.pk}),
         "style": "outline-success" if mode != AS_NOTE else "outline-secondary",
         "fields": {**fields, "mode": mode}, "testid": f"held-accept-{mode}"}
        for mode in accept_modes(inbound)
    ]
    actions.append({"label": _("Discard"), "url": reverse("held_mail:discard", kwargs={"pk": inbound.pk}),
                    "style": "outline-danger", "fields": fields, "testid": "held-discard"})
    return actions


def held_mail_timeline_items(ticket) -> list[TimelineItem]:
    """The ticket's held mails in the agents' workspace history (registered with
    `tickets.timeline` by `api.apps`): pending ones with their text and the review buttons,
    reviewed ones as a line saying who decided. One query."""
    held = (InboundMail.objects.filter(ticket=ticket, outcome=InboundMail.Outcome.HELD)
            .select_related("person", "reviewed_by").defer("raw").order_by("received_at", "pk"))
    next_url = reverse("tickets:workspace", kwargs={"reference": ticket.reference})
    items = []
    for inbound in held:
        pending = inbound.review == Review.PENDING
        text = status_text(inbound)
        if pending and inbound.file_names:
            text += " " + _("Files: %(names)s.") % {"names": ", ".join(inbound.file_names)}
        items.append(TimelineItem(
            kind="unverified", at=inbound.received_at, actor=claimed_sender(inbound), text=text,
            icon="envelope-exclamation", is_internal=True,
            body_html=render_markdown(inbound.body) if pending else "",
            badge=_("unverified e-mail"), tone="danger" if pending else "secondary",
            actions=review_actions(inbound, next_url=next_url),
        ))
    return items


def held_mail_flags(ticket_ids: list[int]) -> dict[int, list[TicketFlag]]:
    """Tickets with unverified e-mail waiting for review (queue rows, workspace). One query."""
    counts: dict[int, list] = {}
    for ticket_id, reference in InboundMail.objects.filter(
        ticket_id__in=ticket_ids, review=Review.PENDING
    ).values_list("ticket_id", "ticket__reference"):
        counts.setdefault(ticket_id, [reference, 0])[1] += 1
    return {
        ticket_id: [TicketFlag(
            label=ngettext("%(count)d unverified e-mail", "%(count)d unverified e-mails", count) % {"count": count},
            icon="envelope-exclamation", tone="danger", code="unverified_mail",
            url=reverse("tickets:workspace", kwargs={"reference": reference}) + "#history",
        )]
        for ticket_id, (reference, count) in counts.items()
    }


def held_mail_notices(user) -> list[TicketFlag]:
    """Above the queue: unverified e-mail waiting for review, of any ticket or none. One query."""
    count = held_mails_for(user=user).filter(review=Review.PENDING).count()
    if not count:
        return []
    return [TicketFlag(
        label=ngettext("%(count)d unverified e-mail waits for review.", "%(count)d unverified e-mails wait for "
                       "review.", count) % {"count": count},
        icon="envelope-exclamation", tone="danger", code="unverified_mail", url=reverse("held_mail:list"),
    )]
