"""The ticket workspace: everything an agent does on one ticket. Every action is a POST to its own
URL: the access gate first (a ticket of a customer the agent does not support is a 404), then the
form, then one service. A refused or invalid action shows the page again with what was typed and
the error next to its field; a done one redirects back with a message."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import access
from sla.choices import CATEGORIES_WITH_SEVERITY, Status
from tickets import canned, extensions, rules, selectors, selectors_workspace, services
from tickets.errors import TicketRuleError
from tickets.flags import ticket_flags_for
from tickets.forms import SEVERITY_EXPLANATIONS, new_idempotency_key
from tickets.forms_agent import (
    AgentReplyForm,
    AssignForm,
    FixReleaseForm,
    MoveForm,
    SeverityForm,
    StatusForm,
    TimeEntryForm,
    WorkaroundForm,
)
from tickets.forms_desk import desk_forms
from tickets.markdown import render_markdown
from tickets.sla_clocks import format_business_time, sla_clocks_for
from tickets.timeline import timeline_extra_items, timeline_for

from .queue import agents_only


def _ticket(request, reference):
    return selectors.ticket_get_for_user(user=request.user, reference_or_id=reference)


def _clock_rows(ticket, now) -> list[dict]:
    rows = []
    for clock in sla_clocks_for(ticket=ticket, now=now):
        rows.append({
            "clock": clock,
            "used": format_business_time(clock.used_seconds),
            "left": format_business_time(clock.left_seconds),
        })
    return rows


def workspace_context(request, ticket, **bound_forms) -> dict:
    user, now = request.user, timezone.now()
    entries = selectors_workspace.time_entries_for(ticket=ticket)
    for entry in entries:
        entry.may_change = access.may_change_effort(user, entry.agent_id)
        if entry.may_change:
            entry.change_form = TimeEntryForm(prefix=f"entry{entry.pk}", initial={
                "minutes": entry.minutes, "work_type": entry.work_type, "worked_on": entry.worked_on,
                "note": entry.note, "billable": entry.billable, "out_of_hours": entry.out_of_hours,
            })
    replies = [
        {"reply": reply, "text": canned.canned_reply_fill(body=reply.body, ticket=ticket, agent=user)}
        for reply in selectors_workspace.canned_replies_for(ticket=ticket, user=user)
    ]
    may_reply = rules.may_reply(user, ticket)
    events = selectors.ticket_events_for_user(ticket=ticket, user=user)
    forms = {
        "reply_form": AgentReplyForm(initial={"idempotency_key": new_idempotency_key()}),
        "status_form": StatusForm(ticket=ticket),
        "workaround_form": WorkaroundForm(initial={"workaround": ticket.workaround}),
        "release_form": FixReleaseForm(initial={"release": ticket.fixed_in_release,
                                                "product_release": ticket.fixed_release_id}),
        "severity_form": SeverityForm(initial={"severity": ticket.severity}),
        "move_form": MoveForm(user=user, initial={"team": ticket.team_id}),
        "assign_form": AssignForm(user=user, initial={"assignee": ticket.assignee_id or "",
                                                      "expected": ticket.assignee_id or ""}),
        "effort_form": TimeEntryForm(),
        **desk_forms(ticket, user, events=events),
    }
    forms.update(bound_forms)
    return {
        "ticket": ticket,
        "clocks": _clock_rows(ticket, now),
        "timeline": timeline_for(
            ticket=ticket,
            events=events,
            attachments=selectors.ticket_attachments_for_user(ticket=ticket, user=user),
            extra=timeline_extra_items(ticket=ticket),
        ),
        "description_html": render_markdown(ticket.description),
        "steps_html": render_markdown(ticket.steps_to_reproduce),
        "impact_html": render_markdown(ticket.impact),
        "workaround_html": render_markdown(ticket.workaround),
        "severity_explanation": SEVERITY_EXPLANATIONS.get(ticket.severity, ""),
        "has_severity": ticket.category in CATEGORIES_WITH_SEVERITY,
        "may_reply": may_reply,
        "can_provide_workaround": ticket.status in (Status.IN_PROGRESS, Status.WORKAROUND),
        "is_mine": ticket.assignee_id == user.pk,
        "time_entries": entries,
        "effort_total": format_business_time(sum(entry.minutes for entry in entries) * 60) or "0 min",
        "effort_minutes": sum(entry.minutes for entry in entries),
        "canned_replies": replies,
        "others": selectors_workspace.presence_others(ticket=ticket, user=user, now=now),
        "flags": ticket_flags_for(ticket_ids=[ticket.pk]).get(ticket.pk, []),
        "presence_page": uuid.uuid4().hex,
        "sections": extensions.ticket_sections_for(request=request, ticket=ticket),
        "watchers": (watchers := services.watchers_of(ticket=ticket, user=user)),
        "following": any(watcher.user_id == user.pk for watcher in watchers),
        **forms,
    }


@require_GET
@agents_only
def workspace(request, reference):
    ticket = _ticket(request, reference)
    return render(request, "tickets/agent/workspace.html", workspace_context(request, ticket))


def _back_to(request, ticket):
    url = request.POST.get("next", "")
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect("tickets:workspace", reference=ticket.reference)


def _action(request, reference, *, form_name: str, make_form: Callable, perform: Callable, done: str):
    """Bind the form, run the service, redirect with `done` on success; otherwise show the page
    again with the form as typed and the errors next to its fields (rule refusals at the top)."""
    ticket = _ticket(request, reference)
    form = make_form(request, ticket)
    if form.is_valid():
        try:
            perform(request, ticket, form.cleaned_data)
        except TicketRuleError as error:
            form.add_error(None, error.messages[0])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("Your role does not allow this change."))
        else:
            messages.success(request, done)
            return _back_to(request, ticket)
    ticket.refresh_from_db()
    return render(request, "tickets/agent/workspace.html", workspace_context(request, ticket, **{form_name: form}))


@require_POST
@agents_only
def claim(request, reference):
    ticket = _ticket(request, reference)
    try:
        services.ticket_claim(ticket=ticket, actor=request.user)
    except services.AlreadyTaken as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("You have taken %(reference)s.") % {"reference": ticket.reference})
    return _back_to(request, ticket)


@require_POST
@agents_only
def assign(request, reference):
    def perform(request, ticket, data):
        services.ticket_hand_over(
            ticket=ticket, actor=request.user, assignee=data["assignee_user"], expected_assignee_id=data["expected_id"]
        )

    return _action(request, reference, form_name="assign_form",
                   make_form=lambda r, t: AssignForm(r.POST, user=r.user), perform=perform,
                   done=_("The assignment has been changed."))


@require_POST
@agents_only
def reply(request, reference):
    def perform(request, ticket, data):
        services.comment_add(
            ticket=ticket, author=request.user, body=data["body"], files=form_files.accepted_files,
            is_internal=is_note, idempotency_key=data["idempotency_key"],
        )
        for refused in form_files.refused_files:
            messages.warning(request, refused)

    form_files = AgentReplyForm(request.POST, request.FILES)
    is_note = request.POST.get("kind") == AgentReplyForm.KIND_NOTE
    return _action(request, reference, form_name="reply_form", make_form=lambda r, t: form_files, perform=perform,
                   done=_("Your internal note has been saved.") if is_note else _("Your reply has been sent."))


@require_POST
@agents_only
def change_status(request, reference):
    def perform(request, ticket, data):
        services.ticket_change_status(ticket=ticket, actor=request.user, status=data["status"])

    return _action(request, reference, form_name="status_form",
                   make_form=lambda r, t: StatusForm(r.POST, ticket=t), perform=perform,
                   done=_("The status has been changed."))


@require_POST
@agents_only
def provide_workaround(request, reference):
    def perform(request, ticket, data):
        services.ticket_provide_workaround(ticket=ticket, actor=request.user, workaround=data["workaround"])

    return _action(request, reference, form_name="workaround_form",
                   make_form=lambda r, t: WorkaroundForm(r.POST), perform=perform,
                   done=_("The workaround has been recorded and the customer can see it."))


@require_POST
@agents_only
def set_fix_release(request, reference):
    def perform(request, ticket, data):
        services.ticket_set_fix_release(ticket=ticket, actor=request.user, release=data["release"],
                                        product_release=data["product_release"])

    return _action(request, reference, form_name="release_form",
                   make_form=lambda r, t: FixReleaseForm(r.POST), perform=perform,
                   done=_("The release of the permanent fix has been recorded."))


@require_POST
@agents_only
def change_severity(request, reference):
    def perform(request, ticket, data):
        services.ticket_change_severity(
            ticket=ticket, actor=request.user, severity=data["severity"], reason=data["reason"]
        )

    return _action(request, reference, form_name="severity_form",
                   make_form=lambda r, t: SeverityForm(r.POST), perform=perform,
                   done=_("The severity has been changed; the deadlines follow the new severity."))


@require_POST
@agents_only
def move_to_team(request, reference):
    def perform(request, ticket, data):
        services.ticket_move_to_team(ticket=ticket, actor=request.user, team=data["team"])

    return _action(request, reference, form_name="move_form",
                   make_form=lambda r, t: MoveForm(r.POST, user=r.user), perform=perform,
                   done=_("The ticket has been moved to another team."))


@require_POST
@agents_only
def log_effort(request, reference):
    def perform(request, ticket, data):
        services.time_entry_add(
            ticket=ticket, actor=request.user, minutes=data["minutes"], work_type=data["work_type"],
            worked_on=data["worked_on"], note=data["note"], billable=data["billable"],
            out_of_hours=data["out_of_hours"],
        )

    return _action(request, reference, form_name="effort_form",
                   make_form=lambda r, t: TimeEntryForm(r.POST), perform=perform,
                   done=_("The time has been logged."))


@require_POST
@agents_only
def change_effort(request, reference, pk):
    """Change a time entry (its author or a manager); the outcome is a message on the workspace."""
    ticket = _ticket(request, reference)
    entry = get_object_or_404(ticket.time_entries.select_related("ticket"), pk=pk)
    form = TimeEntryForm(request.POST, prefix=f"entry{pk}")
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect("tickets:workspace", reference=ticket.reference)
    try:
        services.time_entry_change(entry=entry, actor=request.user, data=form.cleaned_data)
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The time entry has been changed."))
    return redirect("tickets:workspace", reference=ticket.reference)


@require_POST
@agents_only
def delete_effort(request, reference, pk):
    ticket = _ticket(request, reference)
    entry = get_object_or_404(ticket.time_entries.select_related("ticket"), pk=pk)
    try:
        services.time_entry_delete(entry=entry, actor=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The time entry has been removed."))
    return redirect("tickets:workspace", reference=ticket.reference)


@require_POST
@agents_only
def presence(request, reference):
    """Polled by the workspace: records that the agent has the ticket open (and is typing), and
    answers with who else has it open."""
    ticket = _ticket(request, reference)
    now = timezone.now()
    page = request.POST.get("page", "")[:32]
    if request.POST.get("leave"):
        services.presence_leave(ticket=ticket, user=request.user, page=page)
    else:
        services.presence_touch(ticket=ticket, user=request.user, typing=request.POST.get("typing") == "1", now=now,
                                page=page)
    others = selectors_workspace.presence_others(ticket=ticket, user=request.user, now=now)
    return render(request, "tickets/agent/_presence.html", {"others": others, "ticket": ticket})
