"""Macros (`tickets.models.Macro`): save one, preview it on a ticket, apply it.

Applying is one transaction under the ticket's row lock, made of the ordinary services (so the
rules, the SLA bookkeeping and the mails are the ones of each action): the reply or note with its
placeholders filled, then the status, the severity with the macro's reason, the team and assignee,
and the tags added. Either all of it happens or nothing (a refused step rolls the whole macro
back). History: one `macro_applied` event names the macro and every change; the events of the
single steps stay (the mails and the customer's view follow them) and carry its id, so the agents'
timeline shows the macro as one entry (`tickets.timeline`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts import access
from sla.choices import CATEGORIES_WITH_SEVERITY, Severity, Status
from tickets import canned, transitions
from tickets.limits import COMMENT_MAX_LENGTH, text_length_errors
from tickets.models import EventCode, Macro, Ticket, TicketEvent

from ._common import UNSET, event_write, lock, require_may_see
from .assignment import ticket_assign
from .conversation import comment_add
from .status import ticket_change_severity, ticket_change_status
from .tags import apply_tags, tags_parse

# The steps' events that the macro's entry stands for in the agents' timeline.
FOLDED_CODES = (EventCode.STATUS_CHANGED, EventCode.SEVERITY_CHANGED, EventCode.ASSIGNED, EventCode.TAGS_CHANGED)


def _require_agent(actor) -> None:
    if not access.is_agent(actor):
        raise PermissionDenied(_("Only agents use macros."))


def macros_for(*, user, ticket: Ticket | None = None):
    """The active macros `user` may apply: their personal ones, those of their own teams and of the
    ticket's team (teams of the user's organisation only)."""
    if not access.is_agent(user):
        return Macro.objects.none()
    teams = access.teams_for(user)
    condition = Q(owner=user) | Q(team__in=teams.filter(members=user))
    if ticket is not None and ticket.team_id is not None:
        condition |= Q(team_id=ticket.team_id, team__in=teams)
    return Macro.objects.filter(condition, is_active=True).select_related(
        "team", "set_team", "set_assignee").order_by("title", "pk").distinct()


def macro_save(*, actor, title: str, team=None, reply: str = "", reply_is_internal: bool = False,
               status: str = "", severity: str = "", severity_reason: str = "", set_team=None, set_assignee=None,
               add_tags: str = "", macro: Macro | None = None) -> Macro:
    """Create or change a macro: a personal one of the actor (`team` None) or one of the actor's
    teams. Checked: a title, a severity with its reason, a known status, the team and assignee
    among the actor's organisation's, tags that tags accept."""
    _require_agent(actor)
    errors: dict[str, str] = {}
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = _("Please give the macro a title.")
    if team is not None and not access.teams_for(actor).filter(pk=team.pk).exists():
        errors["team"] = _("Please choose one of your organisation's active teams.")
    if status and status not in Status.values:
        errors["status"] = _("Please choose a status.")
    if severity and severity not in Severity.values:
        errors["severity"] = _("Please choose how severe the fault is.")
    if severity and not (severity_reason or "").strip():
        errors["severity_reason"] = _("Please give the reason for the severity.")
    if set_team is not None and not access.teams_for(actor).filter(pk=set_team.pk).exists():
        errors["set_team"] = _("Please choose one of your organisation's active teams.")
    if set_assignee is not None and not access.colleagues_for(actor).filter(pk=set_assignee.pk).exists():
        errors["set_assignee"] = _("Please choose a colleague of your organisation.")
    errors.update(text_length_errors({"reply": ((reply or "").strip(), COMMENT_MAX_LENGTH)}))
    try:
        tags_parse(add_tags or "", field="add_tags")
    except ValidationError as error:
        errors.update({key: value[0] for key, value in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    macro = macro or Macro()
    macro.title, macro.team, macro.owner = title, team, None if team is not None else actor
    macro.reply, macro.reply_is_internal = (reply or "").strip(), reply_is_internal
    macro.status, macro.severity = status, severity
    macro.severity_reason = (severity_reason or "").strip() if severity else ""
    macro.set_team, macro.set_assignee, macro.add_tags = set_team, set_assignee, (add_tags or "").strip()
    macro.save()
    return macro


@dataclass
class MacroPlan:
    """What a macro would do to a ticket now: the filled reply and each change (field, old, new as
    shown), and the problems that would refuse it."""

    macro: Macro
    reply: str
    reply_is_internal: bool
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else (value or _("none"))


def macro_preview(*, macro: Macro, ticket: Ticket, actor) -> MacroPlan:
    """The plan of `macro` on `ticket`, written nowhere."""
    _require_agent(actor)
    require_may_see(actor, ticket)
    _require_available(macro, ticket, actor)
    plan = MacroPlan(macro=macro, reply=canned.canned_reply_fill(body=macro.reply, ticket=ticket, agent=actor)
                     if macro.reply else "", reply_is_internal=macro.reply_is_internal)
    if macro.reply and not macro.reply_is_internal and ticket.status == Status.CLOSED:
        plan.problems.append(_("This ticket is closed. Reopen it to reply."))
    if macro.status and macro.status != ticket.status:
        plan.changes.append((_("Status"), _label(Status, ticket.status), _label(Status, macro.status)))
        if not transitions.is_allowed(ticket.status, macro.status):
            plan.problems.append(_("A ticket cannot go from “%(old)s” to “%(new)s”.") % {
                "old": _label(Status, ticket.status), "new": _label(Status, macro.status)})
    if macro.severity and macro.severity != ticket.severity:
        plan.changes.append((_("Severity"), _label(Severity, ticket.severity),
                             f"{_label(Severity, macro.severity)} ({macro.severity_reason})"))
        if ticket.category not in CATEGORIES_WITH_SEVERITY:
            plan.problems.append(_("Only faults and data loss have a severity."))
    if macro.set_team_id and macro.set_team_id != ticket.team_id:
        plan.changes.append((_("Team"), str(ticket.team or _("none")), str(macro.set_team)))
    if macro.set_assignee_id and macro.set_assignee_id != ticket.assignee_id:
        plan.changes.append((_("Assignee"), str(ticket.assignee or _("nobody")), str(macro.set_assignee)))
    current = {name.casefold() for name in ticket.tags.names()}
    new_tags = [name for name in tags_parse(macro.add_tags, field="add_tags") if name.casefold() not in current]
    if new_tags:
        plan.changes.append((_("Tags"), ", ".join(sorted(ticket.tags.names(), key=str.casefold)) or _("none"),
                             "+ " + ", ".join(new_tags)))
    return plan


def _require_available(macro: Macro, ticket: Ticket, actor) -> None:
    if not macros_for(user=actor, ticket=ticket).filter(pk=macro.pk).exists():
        raise ValidationError({"macro": _("This macro is not available to you on this ticket.")})


def ticket_macro_apply(*, macro: Macro, ticket: Ticket, actor) -> TicketEvent | None:
    """Apply `macro` to `ticket` (see the module's text). Returns the history entry, or None when
    the macro changed nothing (no reply and every field already as the macro sets it)."""
    _require_agent(actor)
    require_may_see(actor, ticket)
    with transaction.atomic():
        locked = lock(ticket)
        _require_available(macro, locked, actor)
        mark = TicketEvent.objects.filter(ticket=locked).order_by("-pk").values_list("pk", flat=True).first() or 0
        comment = None
        if macro.reply:
            body = canned.canned_reply_fill(body=macro.reply, ticket=locked, agent=actor)
            comment = comment_add(ticket=locked, author=actor, body=body, is_internal=macro.reply_is_internal).comment
        if macro.status:
            ticket_change_status(ticket=locked, actor=actor, status=macro.status)
        if macro.severity:
            ticket_change_severity(ticket=locked, actor=actor, severity=macro.severity, reason=macro.severity_reason)
        if macro.set_team_id or macro.set_assignee_id:
            ticket_assign(ticket=locked, actor=actor, team=macro.set_team if macro.set_team_id else UNSET,
                          assignee=macro.set_assignee if macro.set_assignee_id else UNSET)
        if macro.add_tags:
            fresh = lock(locked)
            apply_tags(ticket=fresh, actor=actor, tags=[*fresh.tags.names(), *tags_parse(macro.add_tags)])
        steps = list(TicketEvent.objects.filter(ticket=locked, pk__gt=mark, code__in=FOLDED_CODES).order_by("pk"))
        if comment is None and not steps:
            return None
        entry = event_write(
            ticket=locked, code=EventCode.MACRO_APPLIED, actor=actor, is_public=False, comment=None,
            payload={"macro": {"id": macro.pk, "title": macro.title}, "comment_id": getattr(comment, "pk", None),
                     "steps": [{"id": step.pk, "code": step.code} for step in steps]},
        )
        for step in steps:
            step.payload = {**step.payload, "macro_event": entry.pk}
            step.save(update_fields=["payload"])
    return entry
