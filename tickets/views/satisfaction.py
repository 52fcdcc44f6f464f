"""The satisfaction survey: answered on the ticket's page (signed in) or through the mail's
signed link (no sign-in). Writes through `tickets.services.satisfaction`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tickets import selectors
from tickets.errors import TicketRuleError
from tickets.forms_satisfaction import SatisfactionForm
from tickets.services.satisfaction import survey_answer, survey_from_token

from ._common import in_reader_time_zone
from .portal import detail_context


def _answer(form, *, ticket, actor, via_link: bool) -> bool:
    """Save a valid form's answer; False with the errors on the form otherwise."""
    if not form.is_valid():
        return False
    try:
        survey_answer(ticket=ticket, actor=actor, rating=form.cleaned_data["rating"],
                      comment=form.cleaned_data["comment"], via_link=via_link)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error.messages)
        return False
    return True


@require_POST
@in_reader_time_zone
def survey_answer_portal(request, reference):
    ticket = selectors.ticket_get_for_user(user=request.user, reference_or_id=reference)
    form = SatisfactionForm(request.POST)
    # A refusal by a rule (already answered, closed) is shown on the form; another person's
    # answer is a 403 (PermissionDenied from the service).
    if _answer(form, ticket=ticket, actor=request.user, via_link=False):
        messages.success(request, _("Thank you for your rating."))
        return redirect("tickets:detail", reference=ticket.reference)
    if form.non_field_errors():  # a rule (already answered, closed): the page no longer shows the form
        messages.error(request, " ".join(form.non_field_errors()))
        return redirect("tickets:detail", reference=ticket.reference)
    context = detail_context(request, ticket)
    context["survey_form"] = form  # shown again with what was typed and the errors
    return render(request, "tickets/customer/detail.html", context, status=422)


@require_http_methods(["GET", "POST"])
def survey_link_answer(request, token):
    """The mail's link: no sign-in; the token names the survey and its requester."""
    try:
        survey = survey_from_token(token)
    except TicketRuleError as error:
        return render(request, "tickets/satisfaction/link.html", {"error": error.messages[0]}, status=400)
    requester = survey.requester
    language = getattr(requester, "language", "") or translation.get_language()
    with translation.override(language):
        form = SatisfactionForm(request.POST or None)
        status = 200
        if request.method == "POST":
            try:
                if _answer(form, ticket=survey.ticket, actor=requester, via_link=True):
                    return render(request, "tickets/satisfaction/link.html", {"survey": survey, "thanks": True})
            except PermissionDenied as error:
                form.add_error(None, str(error))
            status = 422
        elif survey.is_answered:
            form = None
        return render(request, "tickets/satisfaction/link.html", {"survey": survey, "form": form}, status=status)
