"""What a customer does on a ticket's page: reply, confirm the resolution, close, reopen.
POST only; the access gate first (a foreign ticket is a 404), then the role (403)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from tickets import rules, selectors, services
from tickets.errors import TicketRuleError
from tickets.forms import ReplyForm

from ._common import in_reader_time_zone, refusal
from .portal import detail_context


@require_POST
@in_reader_time_zone
def ticket_reply(request, reference):
    ticket = selectors.ticket_get_for_user(user=request.user, reference_or_id=reference)
    if not (access.can_file_tickets(request.user) or access.is_agent(request.user)):
        raise refusal(request.user)
    form = ReplyForm(request.POST, request.FILES)
    if not rules.may_reply(request.user, ticket):
        form.is_valid()
        form.add_error(None, _("This ticket is closed. Reopen it to reply."))
    elif form.is_valid():
        try:
            services.comment_add(
                ticket=ticket,
                author=request.user,
                body=form.cleaned_data["body"],
                files=form.accepted_files,
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Your reply has been added."))
            for refused in form.refused_files:
                messages.warning(request, refused)
            return redirect("tickets:detail", reference=ticket.reference)
    # Show the page again with the text as typed and the errors next to the fields.
    return render(request, "tickets/customer/detail.html", detail_context(request, ticket, reply_form=form))


def _status_action(request, reference, service, success_message):
    ticket = selectors.ticket_get_for_user(user=request.user, reference_or_id=reference)
    if not (access.can_file_tickets(request.user) or access.is_agent(request.user)):
        raise refusal(request.user)
    try:
        service(ticket=ticket, actor=request.user)
    except TicketRuleError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, success_message)
    return redirect("tickets:detail", reference=ticket.reference)


@require_POST
@in_reader_time_zone
def ticket_confirm(request, reference):
    return _status_action(
        request, reference, services.ticket_confirm_resolution, _("Thank you for confirming. The ticket is closed.")
    )


@require_POST
@in_reader_time_zone
def ticket_close(request, reference):
    return _status_action(request, reference, services.ticket_close, _("The ticket is closed."))


@require_POST
@in_reader_time_zone
def ticket_reopen(request, reference):
    return _status_action(request, reference, services.ticket_reopen, _("The ticket has been reopened."))
