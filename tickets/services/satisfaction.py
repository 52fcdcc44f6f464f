"""The satisfaction survey (docs/agent-desk.md): asked once per ticket, in the transaction of its
first resolution; answered once, by the requester, within ``SATISFACTION_SURVEY_DAYS``: in the
portal, through the mail's signed link (no sign-in) or the API. A second answer is refused (the
first one stands); a later resolution of the same ticket asks nothing."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from notifications.preferences import MAIL, mail_mode
from notifications.services import OutboxRow, outbox_mails_add_rows
from tickets.errors import TicketRuleError
from tickets.limits import COMMENT_MAX_LENGTH, text_length_errors
from tickets.models import EventCode, SatisfactionSurvey, Ticket
from tickets.notifications import TOPIC_STATUS

from ._common import event_write, lock

SURVEY_KIND = "ticket_satisfaction_survey"
TOKEN_SALT = "tickets.satisfaction.survey"  # noqa: S105 (a signing salt, not a secret)


def survey_mail_key(survey_id: int) -> str:
    return f"satisfaction-survey:{survey_id}"


def survey_ask(*, ticket: Ticket, now) -> SatisfactionSurvey | None:
    """Called by `apply_status` when a locked ticket becomes resolved, in its transaction: the
    survey row (once per ticket: None when it was already asked) and its mail to the requester
    (subject to their "workaround or resolved" setting; the portal asks in any case)."""
    requester = ticket.requester
    if requester is None or not access.is_customer(requester):
        return None
    survey, created = SatisfactionSurvey.objects.get_or_create(
        ticket=ticket,
        defaults={"requester": requester, "team_id": ticket.team_id, "agent_id": ticket.assignee_id, "asked_at": now},
    )
    if not created:
        return None
    if requester.is_active and requester.email and mail_mode(requester, TOPIC_STATUS) == MAIL:
        outbox_mails_add_rows(
            rows=[OutboxRow(survey_mail_key(survey.pk), requester.pk, SURVEY_KIND, {"survey": survey.pk}, ticket.pk)],
            now=now,
        )
    return survey


def survey_closes_at(survey: SatisfactionSurvey):
    return survey.closes_at


def survey_is_open(survey: SatisfactionSurvey, now=None) -> bool:
    """May it still be answered: unanswered, within the window."""
    return not survey.is_answered and (now or timezone.now()) < survey_closes_at(survey)


def survey_token(survey: SatisfactionSurvey) -> str:
    """The signed token of the mail's link: names the survey and its requester; valid for
    ``SATISFACTION_SURVEY_DAYS`` from when it is made (the mail is rendered when it is sent)."""
    return signing.dumps({"s": survey.pk, "u": survey.requester_id}, salt=TOKEN_SALT, compress=True)


def survey_from_token(token: str) -> SatisfactionSurvey:
    """The survey a link names. Raises ValidationError (code "link_invalid") for a forged,
    damaged or expired link."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=timedelta(days=settings.SATISFACTION_SURVEY_DAYS))
    except signing.SignatureExpired as error:
        raise TicketRuleError(_("This survey link has expired."), code="link_expired") from error
    except signing.BadSignature as error:
        raise TicketRuleError(_("This survey link is not valid."), code="link_invalid") from error
    survey = SatisfactionSurvey.objects.select_related("ticket").filter(pk=data.get("s")).first()
    if survey is None or survey.requester_id != data.get("u"):
        raise TicketRuleError(_("This survey link is not valid."), code="link_invalid")
    return survey


def _clean(rating, comment: str) -> tuple[int, str]:
    errors: dict[str, list[str]] = {}
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        errors["rating"] = [_("Please choose a rating from 1 to 5.")]
    comment = (comment or "").strip()
    errors |= {field: [message] for field, message in text_length_errors(
        {"comment": (comment, COMMENT_MAX_LENGTH)}).items()}
    if errors:
        raise ValidationError(errors)
    return value, comment


def survey_answer(*, ticket: Ticket, actor, rating, comment: str = "", via_link: bool = False, now=None):
    """Record the requester's answer once; writes a history entry ("rated 4 of 5") in the same
    transaction. `actor` is the requester (for a signed link: the survey's requester,
    `via_link=True`). Refuses: another person (PermissionDenied), no survey or a closed one, a
    second answer (TicketRuleError), a rating outside 1 to 5 or an overlong comment (ValidationError)."""
    value, comment = _clean(rating, comment)
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock(ticket)
        survey = SatisfactionSurvey.objects.select_for_update().filter(ticket=locked).first()
        if survey is None:
            raise TicketRuleError(_("This ticket has no satisfaction survey: it has not been resolved yet."),
                                  code="no_survey")
        if actor is None or actor.pk != survey.requester_id:
            raise PermissionDenied(_("Only the person who filed the ticket can rate the support."))
        if not via_link and not access.can_file_tickets(actor):
            raise PermissionDenied(_("Your role does not allow this change."))
        if survey.is_answered:
            raise TicketRuleError(_("You have already rated the support on this ticket. Thank you!"),
                                  code="already_answered")
        if now >= survey_closes_at(survey):
            raise TicketRuleError(_("This survey is closed: it could be answered for %(days)d days after the "
                                    "resolution.") % {"days": settings.SATISFACTION_SURVEY_DAYS},
                                  code="survey_closed")
        survey.rating, survey.comment, survey.answered_at = value, comment, now
        survey.save(update_fields=["rating", "comment", "answered_at"])
        # Internal: the requester's feedback to the support, not for their colleagues (who read the
        # ticket's history); the requester sees their answer in the survey's box on the page.
        event_write(ticket=locked, code=EventCode.SATISFACTION_RATED, actor=actor,
                    payload={"rating": value, "comment": comment}, is_public=False)
    return survey
