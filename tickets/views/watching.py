"""Watchers: a contact adds or removes colleagues on a ticket's page; everyone may stop watching;
an agent follows or unfollows a ticket in the workspace. POST only; the access gate first (a
foreign ticket is a 404), the service decides the rest; the outcome is a message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from tickets import selectors, services

from ._common import in_reader_time_zone
from .queue import agents_only


def _person(request):
    value = request.POST.get("user", "")
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        return None
    return User.objects.filter(pk=int(value)).first()


def _refused(request, error) -> None:
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, str(error) or _("Your role does not allow this change."))


@require_POST
@in_reader_time_zone
def watcher_add(request, reference):
    return _watcher_change(request, reference, services.ticket_watcher_add,
                           _("%(person)s now gets the mails about this ticket."))


@require_POST
@in_reader_time_zone
def watcher_remove(request, reference):
    return _watcher_change(request, reference, services.ticket_watcher_remove,
                           _("%(person)s no longer gets the mails about this ticket."))


def _watcher_change(request, reference, change, done: str):
    """Add or remove the colleague the form names; a refusal is a message, back to the ticket."""
    ticket = selectors.ticket_get_for_user(user=request.user, reference_or_id=reference)
    person = _person(request)
    if person is None:
        messages.error(request, _("Please choose a colleague."))
        return redirect("tickets:detail", reference=ticket.reference)
    try:
        change(ticket=ticket, actor=request.user, person=person)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, done % {"person": person})
    return redirect("tickets:detail", reference=ticket.reference)


@require_POST
@agents_only
def follow(request, reference):
    ticket = selectors.ticket_get_for_user(user=request.user, reference_or_id=reference)
    if request.POST.get("follow") == "1":
        services.ticket_watcher_add(ticket=ticket, actor=request.user, person=request.user)
        messages.success(request, _("You follow this ticket: you get the mails about the customer's replies."))
    else:
        services.ticket_watcher_remove(ticket=ticket, actor=request.user, person=request.user)
        messages.success(request, _("You no longer follow this ticket."))
    return redirect("tickets:workspace", reference=ticket.reference)
