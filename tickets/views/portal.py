"""The customer portal: my organisation's tickets, a ticket's page, the filing form."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from accounts import access
from accounts.formatting import desk_zone, format_moment, out_of_hours_notice
from sla.choices import CATEGORIES_WITH_SEVERITY, OPEN_STATUSES, Category, Severity, SlaState, Status, TargetState
from tickets import extensions, rules, selectors, services, sla_preview, transitions
from tickets.choices import Channel
from tickets.forms import (
    SEVERITY_EXPLANATIONS,
    ReplyForm,
    TicketCreateForm,
    TicketSearchForm,
    new_idempotency_key,
)
from tickets.markdown import render_markdown
from tickets.timeline import timeline_for
from tickets.uploads import sanitize_filename

from ._common import in_reader_time_zone, refusal

PAGE_SIZE = 20


@in_reader_time_zone
@require_GET
def ticket_list(request):
    if not access.is_customer(request.user):
        raise PermissionDenied(_("This list is for customers. Agents work from the queue."))
    search = TicketSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    tab = selectors.TAB_CLOSED if request.GET.get("tab") == selectors.TAB_CLOSED else selectors.TAB_OPEN
    tickets = selectors.tickets_for_customer(user=request.user, tab=tab, query=query)
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for ticket in page.object_list:
        ticket.promised = promised_deadline(ticket, now)
    return render(
        request,
        "tickets/customer/list.html",
        {
            "page_obj": page,
            "tab": tab,
            "query": query,
            "search_form": search,
            "counts": selectors.ticket_counts_for_customer(user=request.user, query=query),
            "can_file": access.can_file_tickets(request.user),
            "support_partner": request.user.organisation.support_partner if request.user.organisation else None,
            "organisation": request.user.organisation,
        },
    )


def promised_deadline(ticket, now) -> dict | None:
    """The next deadline we promised for an open ticket, for the customers' list: the reaction
    until somebody reacted, then the resolution (when the contract promises one and its clock
    runs). `text` is in the desk's time zone, as on the ticket page, with the zone's name; None when
    nothing is promised."""
    if ticket.status not in OPEN_STATUSES:
        return None
    zone = ZoneInfo(ticket.sla_calendar.time_zone) if ticket.sla_calendar_id else timezone.get_current_timezone()
    if ticket.first_reaction_at is None and ticket.reaction_due_at:
        kind, at = "reaction", ticket.reaction_due_at
    elif ticket.resolution_due_at and ticket.resolution_state == TargetState.OPEN:
        kind, at = "resolution", ticket.resolution_due_at
    else:
        return None
    local = timezone.localtime(at, zone)
    return {"kind": kind, "at": at, "overdue": at <= now,
            "text": f"{formats.date_format(local, 'SHORT_DATETIME_FORMAT')} {local.strftime('%Z')}"}


def _promise(ticket, user) -> dict:
    """What the ticket page promises about the reaction, in the desk's time zone."""
    zone = ZoneInfo(ticket.sla_calendar.time_zone) if ticket.sla_calendar_id else None
    if ticket.first_reaction_at:
        return {"kind": "reacted", "text": _("We reacted on %(moment)s.")
                % {"moment": format_moment(ticket.first_reaction_at, user, zone)}}
    if ticket.reaction_due_at and ticket.reaction_due_at <= timezone.now() and ticket.status in OPEN_STATUSES:
        return {"kind": "overdue", "text": _("The reaction was due by %(moment)s. We are sorry for the delay.")
                % {"moment": format_moment(ticket.reaction_due_at, user, zone)}}
    if ticket.reaction_due_at:
        return {"kind": "due", "text": _("Reaction by %(moment)s.")
                % {"moment": format_moment(ticket.reaction_due_at, user, zone)}}
    if ticket.status not in OPEN_STATUSES:
        return {"kind": "none", "text": ""}
    if ticket.sla_state == SlaState.NONE and ticket.sla_policy_id is None:
        return {"kind": "none", "text": _("Your support contract sets no reaction time for this request; "
                                          "we answer as soon as we can.")}
    return {"kind": "pending", "text": _("The reaction deadline is shown here as soon as it has been set.")}


def _watchers(ticket, user) -> dict:
    """Customers: their colleagues who watch and who could (one query); agents: every watcher."""
    if rules.sees_internal(user):
        return {"watchers": [w.user for w in services.watchers_of(ticket=ticket, user=user)], "colleagues_to_add": []}
    watching, addable = services.colleagues_for_page(ticket=ticket, user=user)
    return {"watchers": watching, "colleagues_to_add": addable}


def detail_context(request, ticket, reply_form=None) -> dict:
    user = request.user
    can_act = access.can_file_tickets(user)
    may_reply = rules.may_reply(user, ticket)
    return {
        "ticket": ticket,
        "promise": _promise(ticket, user),
        "severity_explanation": SEVERITY_EXPLANATIONS.get(ticket.severity, ""),
        "description_html": render_markdown(ticket.description),
        "steps_html": render_markdown(ticket.steps_to_reproduce),
        "impact_html": render_markdown(ticket.impact),
        "workaround_html": render_markdown(ticket.workaround),
        "timeline": timeline_for(
            ticket=ticket,
            events=selectors.ticket_events_for_user(ticket=ticket, user=user),
            attachments=selectors.ticket_attachments_for_user(ticket=ticket, user=user),
        ),
        "reply_form": reply_form  # a refused reply is shown again, with what was typed
        or (ReplyForm(initial={"idempotency_key": new_idempotency_key()}) if may_reply else None),
        "read_only_notice": access.is_reader(user),
        "contact": access.contact_for_refusal(user),
        "can_confirm": can_act and ticket.status == Status.RESOLVED,
        "can_close": can_act and transitions.is_allowed_for_customer(ticket.status, Status.CLOSED)
        and ticket.status != Status.RESOLVED,
        "can_reopen": can_act and not ticket.merged_into_id and transitions.reopen_window_open(ticket, timezone.now()),
        **_watchers(ticket, user),
        "may_manage_watchers": can_act,
        "reopen_days": settings.TICKET_REOPEN_DAYS,
        "support_partner": ticket.organisation.support_partner,
        "shows_internal": rules.sees_internal(user),
        "out_of_hours_accepted_at": format_moment(ticket.out_of_hours_accepted_at, user),
        "sections": extensions.ticket_sections_for(request=request, ticket=ticket),
        **_satisfaction(ticket, user),
    }


def _satisfaction(ticket, user) -> dict:
    from tickets.forms_satisfaction import SatisfactionForm
    from tickets.satisfaction import survey_for_portal

    shown = survey_for_portal(ticket=ticket, user=user)
    if shown["survey_open"]:
        shown["survey_form"] = SatisfactionForm()
    return shown


@in_reader_time_zone
@require_GET
def ticket_detail(request, reference):
    ticket = selectors.ticket_get_for_user(user=request.user, reference_or_id=reference)
    return render(request, "tickets/customer/detail.html", detail_context(request, ticket))


def preview_context(*, user, category: str, severity: str, accept: bool) -> dict:
    """The reaction deadline and the out-of-hours notice for the filing form (and its htmx
    partial). Both come from `tickets.sla_preview`; None there means "not known yet"."""
    organisation = user.organisation
    now = timezone.now()
    needs_severity = category in CATEGORIES_WITH_SEVERITY
    if not needs_severity or severity not in Severity.values:
        severity = ""
    deadline = None
    if category in Category.values and (severity or not needs_severity):
        deadline = sla_preview.reaction_deadline_preview(
            organisation=organisation, category=category, severity=severity, reported_at=now
        )
    notice = ""
    if needs_severity and severity == Severity.SEVERE:
        status = sla_preview.support_status(organisation=organisation, category=category, now=now)
        if status is not None and not status[0]:
            notice = out_of_hours_notice(next_opening=status[1], user=user)
    return {
        "needs_severity": needs_severity,
        "severity_chosen": bool(severity),
        "severity_explanation": SEVERITY_EXPLANATIONS.get(severity, ""),
        "deadline": format_moment(deadline, user, desk_zone(deadline)) if deadline else "",
        "out_of_hours_notice": notice,
        "accept_out_of_hours": accept,
    }


def _filing_allowed(user) -> None:
    if not access.can_file_tickets(user):
        raise refusal(user)


@in_reader_time_zone
@require_GET
def ticket_preview(request):
    _filing_allowed(request.user)
    context = preview_context(
        user=request.user,
        category=request.GET.get("category", ""),
        severity=request.GET.get("severity", ""),
        accept=request.GET.get("accept_out_of_hours") in ("on", "true", "1"),
    )
    return render(request, "tickets/customer/_preview.html", context)


@in_reader_time_zone
@require_http_methods(["GET", "POST"])
def ticket_create(request):
    user = request.user
    _filing_allowed(user)
    files_lost: list[str] = []
    if request.method == "POST":
        form = TicketCreateForm(request.POST, request.FILES)
        if form.is_valid():
            ticket = _file(request, form)
            if ticket is not None:
                if request.htmx:  # sent by the form's script (upload progress): the browser goes on
                    return HttpResponseClientRedirect(reverse("tickets:detail", kwargs={"reference": ticket.reference}))
                return redirect("tickets:detail", reference=ticket.reference)
        if not request.htmx:
            # A plain form cannot be sent back with its files; the script keeps them (hx-preserve).
            files_lost = [sanitize_filename(f.name) for f in request.FILES.getlist("attachments")]
    else:
        form = TicketCreateForm(initial={"callback_phone": user.phone, "idempotency_key": new_idempotency_key()})
    data = form.data if form.is_bound else {}
    category = data.get("category", form["category"].value() or "")
    token = form["idempotency_key"].value() or ""
    return render(
        request,
        "tickets/customer/create.html",
        {
            "form": form,
            "files_lost": files_lost,
            "support_partner": user.organisation.support_partner,
            "panels": extensions.filing_panels_for(request=request, token=token),
            **preview_context(
                user=user,
                category=category,
                severity=data.get("severity", ""),
                accept=bool(data.get("accept_out_of_hours")),
            ),
        },
    )


def _file(request, form):
    data, user = form.cleaned_data, request.user
    preview = preview_context(user=user, category=data["category"], severity=data["severity"], accept=False)
    notice = preview["out_of_hours_notice"] if data["accept_out_of_hours"] else ""
    try:
        ticket = services.ticket_create(
            via=Channel.PORTAL,
            organisation=user.organisation,
            requester=user,
            actor=user,
            subject=data["subject"],
            description=data["description"],
            category=data["category"],
            severity=data["severity"],
            affected_system=data["affected_system"],
            occurring_since=data["occurring_since"],
            steps_to_reproduce=data["steps_to_reproduce"],
            impact=data["impact"],
            callback_phone=data["callback_phone"],
            remote_session_id=data["remote_session_id"],
            idempotency_key=data["idempotency_key"],
            out_of_hours_notice=notice,
            files=form.accepted_files,
        ).ticket  # a double submit: the first ticket
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None
    extensions.ticket_filed(request=request, ticket=ticket, token=data["idempotency_key"])
    messages.success(request, _("Your ticket %(reference)s has been filed.") % {"reference": ticket.reference})
    for refused in form.refused_files:
        messages.warning(request, refused)
    return ticket
