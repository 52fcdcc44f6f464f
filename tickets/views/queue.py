"""The agent queue: filters in the URL, saved personal views, keyset pages, a 30-second htmx
refresh, bulk actions with a result per ticket, and phone tickets."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access
from sla.choices import SlaState
from tickets import selectors_queue, services
from tickets.flags import TicketFlag, queue_notices_for, ticket_flags_for
from tickets.forms import new_idempotency_key
from tickets.forms_agent import BulkActionForm, PhoneTicketForm, QueueFilterForm, SavedViewForm
from tickets.markdown import render_markdown
from tickets.models import SavedView, Ticket
from tickets.sla_clocks import QueueClock, format_business_time, queue_clock_for

from ._common import in_reader_time_zone

AGENTS_ONLY = gettext_lazy("This page is for agents.")
REFRESH_SECONDS = 30
HTMX_TARGET = "queue-results"


def agents_only(view):
    """Anonymous users go to the login page, customers get a 403, agents read in their time zone."""
    return access.role_required(access.is_agent, AGENTS_ONLY)(in_reader_time_zone(view))


@dataclass
class QueueRow:
    ticket: Ticket
    clock: QueueClock
    flags: list[TicketFlag] = field(default_factory=list)  # `tickets.flags` (e.g. unverified e-mail)

    @property
    def time_left(self) -> str:
        return format_business_time(self.clock.left_seconds)

    @property
    def sla_label(self) -> str:
        return str(SlaState(self.clock.state).label) if self.clock.state in SlaState.values else ""

    @property
    def overdue(self) -> bool:
        return self.clock.left_seconds is not None and self.clock.left_seconds < 0

    @property
    def overdue_since(self):
        """The missed deadline, while less than a minute of business time has passed since it (the
        desk closed at the deadline and has not opened again): "overdue by 0 min" would mislead."""
        if self.overdue and self.clock.left_seconds > -60:
            return self.ticket.queue_sort_at
        return None


def _page_number(request) -> int:
    value = request.GET.get("n", "")
    return int(value) if value.isdigit() and 0 < int(value) < 1_000_000 else 1


def _queue_context(request) -> dict:
    user, now = request.user, timezone.now()
    teams = list(access.teams_for(user).order_by("name").values_list("pk", "name"))
    colleagues = list(
        access.colleagues_for(user).order_by("first_name", "last_name").values_list(
            "pk", "first_name", "last_name", "username"
        )
    )
    form = QueueFilterForm(request.GET, teams=teams, colleagues=colleagues)
    filters = form.filters()
    tickets = selectors_queue.tickets_for_agent_queue(user=user, filters=filters, now=now)
    page = selectors_queue.queue_page(tickets, after=request.GET.get("after"), before=request.GET.get("before"))
    number = 1 if page.is_first else _page_number(request)
    query = form.query_string()
    base = f"{reverse('tickets:queue')}?{query}{'&' if query else ''}"
    flags = ticket_flags_for(ticket_ids=[ticket.pk for ticket in page.tickets])
    return {
        "filter_form": form,
        "rows": [
            QueueRow(ticket, queue_clock_for(ticket=ticket, now=now), flags.get(ticket.pk, []))
            for ticket in page.tickets
        ],
        "page": page,
        "page_number": number,
        "first_url": base.rstrip("?&"),
        "next_url": f"{base}{urlencode({'after': page.next_cursor, 'n': number + 1})}" if page.next_cursor else "",
        "previous_url": (
            f"{base}{urlencode({'before': page.previous_cursor, 'n': max(number - 1, 1)})}"
            if page.previous_cursor else ""
        ),
        "refresh_url": request.get_full_path(),
        "refresh_seconds": REFRESH_SECONDS,
        "filter_query": query,
        "colleagues": colleagues,
        "teams": teams,
        "now": now,
    }


@require_GET
@agents_only
def queue(request):
    context = _queue_context(request)
    if request.htmx and request.htmx.target == HTMX_TARGET:
        return render(request, "tickets/agent/_queue_results.html", context)
    context["saved_views"] = list(SavedView.objects.filter(owner=request.user).order_by("name"))
    context["save_form"] = SavedViewForm(initial={"query": context["filter_query"]})
    context["bulk_statuses"] = BulkActionForm.base_fields["status"].choices
    context["notices"] = queue_notices_for(user=request.user)
    return render(request, "tickets/agent/queue.html", context)


def _safe_back(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}) and url.startswith("/"):
        return url
    return reverse("tickets:queue")


@require_POST
@agents_only
def queue_bulk(request):
    colleagues = access.colleagues_for(request.user).values_list("pk", "first_name", "last_name", "username")
    form = BulkActionForm(request.POST, user=request.user, colleagues=colleagues)
    back = _safe_back(request, request.POST.get("back", ""))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    if data["action"] == BulkActionForm.ACTION_ASSIGN:
        outcomes = services.tickets_bulk_assign(
            actor=request.user, ticket_ids=data["tickets"], assignee=data["assignee_user"], take_over=data["take_over"]
        )
    elif data["action"] == BulkActionForm.ACTION_TAG:
        try:
            outcomes = services.tickets_bulk_tag(
                actor=request.user, ticket_ids=data["tickets"], add=data["add_tags"], remove=data["remove_tags"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(back)
    else:
        outcomes = services.tickets_bulk_change_status(
            actor=request.user, ticket_ids=data["tickets"], status=data["status"]
        )
    return render(request, "tickets/agent/bulk_results.html", {
        "outcomes": outcomes,
        "done": sum(1 for o in outcomes if o.ok),
        "refused": sum(1 for o in outcomes if not o.ok),
        "back": back,
    })


@require_POST
@agents_only
def view_save(request):
    form = SavedViewForm(request.POST)
    # Keep only what the filter form understands: a saved view is filters, not a page position.
    posted = QueryDict(request.POST.get("query", "")[:1000])
    query = urlencode([(k, v) for k, v in posted.items() if k in QueueFilterForm.base_fields and v])
    if form.is_valid():
        try:
            view = services.saved_view_save(owner=request.user, name=form.cleaned_data["name"], query=query)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The view “%(name)s” has been saved.") % {"name": view.name})
    else:
        messages.error(request, _("Please give the view a name."))
    url = reverse("tickets:queue")
    return redirect(f"{url}?{query}" if query else url)


@require_POST
@agents_only
def view_delete(request, pk):
    view = get_object_or_404(SavedView, pk=pk, owner=request.user)
    services.saved_view_delete(view=view, actor=request.user)
    messages.success(request, _("The view “%(name)s” has been deleted.") % {"name": view.name})
    return redirect("tickets:queue")


@require_POST
@agents_only
def markdown_preview(request):
    """The server's rendering of a Markdown text (the same safe renderer the timeline uses)."""
    body = request.POST.get("body") or request.POST.get("workaround") or ""
    return render(request, "tickets/agent/_markdown_preview.html", {"html": render_markdown(body[:20000])})


@require_http_methods(["GET", "POST"])
@agents_only
def phone_ticket(request):
    user = request.user
    if request.method == "POST":
        form = PhoneTicketForm(request.POST, user=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = services.ticket_log_call(
                    actor=user,
                    requester=data["requester"],
                    reported_at=data["reported_at"],
                    subject=data["subject"],
                    description=data["description"],
                    category=data["category"],
                    severity=data["severity"],
                    affected_system=data["affected_system"],
                    occurring_since=data["occurring_since"],
                    impact=data["impact"],
                    callback_phone=data["callback_phone"],
                    remote_session_id=data["remote_session_id"],
                    idempotency_key=data["idempotency_key"],
                ).ticket  # a double submit: the first ticket
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The call has been logged as %(reference)s.") % {
                    "reference": ticket.reference
                })
                return redirect("tickets:workspace", reference=ticket.reference)
    else:
        now = timezone.localtime().replace(second=0, microsecond=0)
        form = PhoneTicketForm(user=user, initial={"reported_at": now, "idempotency_key": new_idempotency_key()})
    return render(request, "tickets/agent/phone.html", {"form": form})
