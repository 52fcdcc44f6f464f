"""Pages and endpoints of the live chat: the customer's chat (portal and public page), the agents'
console and its actions, and the polling fallback (messages after an id, sending over HTTP) for a
browser whose WebSocket cannot connect. Views parse, call a service or selector, and render."""

from __future__ import annotations

import json

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import access
from accounts.access import role_required
from accounts.models import User
from tickets.selectors import ticket_get_for_user

from . import access as chat_access
from . import limits, selectors, services
from .canned import canned_replies_for
from .forms import AppendForm, StartForm, TicketForm, VisitorStartForm
from .mail import chat_transcript_mail
from .models import Availability, ChatStatus
from .texts import message_data


def _visitors(request) -> frozenset[str]:
    return chat_access.visitor_chats(request.session)


def _errors(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return list(error.messages)


def _pane(request, chat, side) -> dict:
    """What the chat's template and script need for one chat."""
    return {
        "chat": chat,
        "side": side,
        "ws_path": f"/ws/chat/{chat.public_id}/",
        "poll_url": reverse("chat:messages", args=[chat.public_id]),
        "send_url": reverse("chat:send", args=[chat.public_id]),
        "read_url": reverse("chat:read", args=[chat.public_id]),
        "max_length": limits.message_max_length(),
        "canned": canned_replies_for(agent=request.user, chat=chat) if side == chat_access.AGENT else [],
    }


# --- customers ------------------------------------------------------------------------------------

def _widget_context(request, form=None) -> dict:
    desk = selectors.chat_desk_default()
    state = selectors.desk_state(desk=desk, now=timezone.now()) if desk is not None else None
    return {"desk": desk, "state": state, "form": form or StartForm()}


@role_required(access.is_customer)
def portal(request):
    """The customer's chat page: the open chat, or the widget (offered only in chat hours while
    someone is available; else when chat opens next, and the way to file a ticket)."""
    ongoing = selectors.chats_of_customer(user=request.user).exclude(status=ChatStatus.CLOSED).first()
    if ongoing is not None:
        return redirect("chat:room", public_id=ongoing.public_id)
    context = _widget_context(request)
    context.update(may_start=chat_access.may_start_chat(request.user),
                   past=selectors.chats_of_customer(user=request.user)[:10])
    return render(request, "chat/portal.html", context)


@require_POST
@role_required(access.is_customer)
def start(request):
    form = StartForm(request.POST)
    desk = selectors.chat_desk_default()
    if form.is_valid() and desk is not None:
        try:
            chat = services.chat_start(desk=desk, customer=request.user, body=form.cleaned_data["body"],
                                       now=timezone.now())
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
        else:
            return redirect("chat:room", public_id=chat.public_id)
    context = _widget_context(request, form)
    context.update(may_start=chat_access.may_start_chat(request.user), past=[])
    return render(request, "chat/portal.html", context, status=422)


def public(request):
    """The public chat page for visitors who are not signed in (name and e-mail, unverified)."""
    if request.user.is_authenticated:
        return redirect("chat:portal" if access.is_customer(request.user) else "chat:console")
    form = VisitorStartForm(request.POST or None)
    status = 200
    if request.method == "POST":
        desk = selectors.chat_desk_default()
        if form.is_valid() and desk is not None:
            try:
                chat = services.chat_start(
                    desk=desk, body=form.cleaned_data["body"], visitor_name=form.cleaned_data["visitor_name"],
                    visitor_email=form.cleaned_data["visitor_email"], language=get_language() or "de",
                    now=timezone.now(),
                )
            except ValidationError as error:
                for message in _errors(error):
                    form.add_error(None, message)
            else:
                request.session[chat_access.VISITOR_SESSION_KEY] = [*_visitors(request), str(chat.public_id)]
                return redirect("chat:room", public_id=chat.public_id)
        status = 422
    context = _widget_context(request, form)
    context["may_start"] = True
    return render(request, "chat/public.html", context, status=status)


def room(request, public_id):
    """One chat, seen from the customer's side (the agents' console shows theirs)."""
    chat, side = selectors.chat_get_for(user=request.user, public_id=public_id, visitors=_visitors(request))
    if side == chat_access.AGENT:
        return redirect("chat:console")
    return render(request, "chat/room.html", _pane(request, chat, side))


# --- the polling fallback and HTTP actions of both sides -------------------------------------------

@require_GET
def messages_after(request, public_id):
    chat, _side = selectors.chat_get_for(user=request.user, public_id=public_id, visitors=_visitors(request))
    try:
        after = max(int(request.GET.get("after", "0")), 0)
    except ValueError:
        after = 0
    language = getattr(request.user, "language", "") or chat.language
    found = selectors.messages_after(chat=chat, after=after)
    for message in found:
        message.chat = chat
    return JsonResponse({
        "messages": [message_data(message, language=language) for message in found],
        "status": chat.status,
        "read": {"customer": chat.customer_read_id, "agent": chat.agent_read_id},
    })


@require_POST
def send(request, public_id):
    """Send one message over HTTP (the polling fallback); JSON in, JSON out."""
    chat, side = selectors.chat_get_for(user=request.user, public_id=public_id, visitors=_visitors(request))
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        payload = {}
    if not isinstance(payload, dict):
        payload = {}
    try:
        posted = services.message_post(
            chat=chat, user=request.user, side=side, body=str(payload.get("text") or ""),
            client_id=str(payload.get("client_id") or ""), now=timezone.now(),
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(_errors(error))}, status=422)
    except PermissionDenied as error:
        return JsonResponse({"error": str(error)}, status=403)
    language = getattr(request.user, "language", "") or chat.language
    return JsonResponse(message_data(posted.message, language=language), status=201 if posted.created else 200)


@require_POST
def read(request, public_id):
    chat, side = selectors.chat_get_for(user=request.user, public_id=public_id, visitors=_visitors(request))
    try:
        up_to = int(request.POST.get("up_to", "0"))
    except ValueError:
        up_to = 0
    return JsonResponse({"up_to": services.chat_read(chat=chat, side=side, up_to=up_to)})


@require_POST
def transcript(request, public_id):
    """The customer asks for the transcript by mail."""
    chat, side = selectors.chat_get_for(user=request.user, public_id=public_id, visitors=_visitors(request))
    try:
        chat_transcript_mail(chat=chat, side=side, now=timezone.now())
    except ValidationError as error:
        for message in _errors(error):
            flash.error(request, message)
    else:
        flash.success(request, _("The transcript is on its way to your e-mail address."))
    return redirect("chat:room", public_id=chat.public_id)


@require_POST
def close(request, public_id):
    chat, side = selectors.chat_get_for(user=request.user, public_id=public_id, visitors=_visitors(request))
    try:
        services.chat_close(chat=chat, user=request.user, side=side, now=timezone.now())
    except PermissionDenied as error:
        flash.error(request, str(error))
    else:
        flash.success(request, _("The chat was closed."))
    if side == chat_access.AGENT:
        return redirect("chat:console")
    return redirect("chat:room", public_id=chat.public_id)


# --- agents ---------------------------------------------------------------------------------------

@role_required(access.is_agent)
def console(request):
    """The agents' console: availability, the waiting queue and the chats this agent serves."""
    now = timezone.now()
    served = list(selectors.chats_served_by(agent=request.user))
    return render(request, "chat/console.html", {
        "availability": selectors.availability_of(request.user),
        "availabilities": Availability.choices,
        "panes": [{**_pane(request, chat, chat_access.AGENT),
                   "colleagues": selectors.colleagues_for_transfer(agent=request.user, chat=chat),
                   "ticket_form": TicketForm(prefix=f"t{chat.pk}"), "append_form": AppendForm(prefix=f"a{chat.pk}")}
                  for chat in served],
        **_queue_context(request, now),
    })


def _queue_context(request, now) -> dict:
    waiting = selectors.chats_waiting_for(agent=request.user)
    led = set(request.user.led_teams.values_list("pk", flat=True))
    return {
        "waiting": [{"chat": chat, "waited": now - chat.started_at, "contract": _contract_name(chat, now),
                     "offered_to_me": chat.lead_offered_at is not None and chat.desk.team_id in led}
                    for chat in waiting],
        "now": now,
    }


def _contract_name(chat, now) -> str:
    if chat.organisation is None:
        return ""
    contract = chat.organisation.sla_contracts.filter(valid_from__lte=now.date()).order_by("-valid_from").first()
    return str(contract.policy) if contract is not None else ""


@role_required(access.is_agent)
def queue(request):
    """The waiting queue (refreshed by the console every few seconds)."""
    return render(request, "chat/_queue.html", _queue_context(request, timezone.now()))


@require_POST
@role_required(access.is_agent)
def availability(request):
    try:
        services.availability_set(agent=request.user, status=request.POST.get("status", ""), now=timezone.now())
    except ValidationError as error:
        for message in _errors(error):
            flash.error(request, message)
    return redirect("chat:console")


def _agent_chat(request, public_id):
    chat, side = selectors.chat_get_for(user=request.user, public_id=public_id)
    if side != chat_access.AGENT:
        raise Http404("no such chat")
    return chat


@require_POST
@role_required(access.is_agent)
def accept(request, public_id):
    chat = _agent_chat(request, public_id)
    try:
        services.chat_accept(chat=chat, agent=request.user, now=timezone.now())
    except ValidationError as error:
        for message in _errors(error):
            flash.error(request, message)
    return redirect("chat:console")


@require_POST
@role_required(access.is_agent)
def transfer(request, public_id):
    chat = _agent_chat(request, public_id)
    given = str(request.POST.get("to", ""))
    to = User.objects.filter(pk=int(given)).first() if given.isdigit() else None
    try:
        services.chat_transfer(chat=chat, agent=request.user, to=to, now=timezone.now())
    except ValidationError as error:
        for message in _errors(error):
            flash.error(request, message)
    else:
        flash.success(request, _("The chat was handed over."))
    return redirect("chat:console")


@require_POST
@role_required(access.is_agent)
def to_ticket(request, public_id):
    chat = _agent_chat(request, public_id)
    form = TicketForm(request.POST, prefix=f"t{chat.pk}")
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                flash.error(request, message)
        return redirect("chat:console")
    try:
        ticket = services.chat_to_ticket(chat=chat, agent=request.user, now=timezone.now(), **form.cleaned_data)
    except ValidationError as error:
        for message in _errors(error):
            flash.error(request, message)
        return redirect("chat:console")
    flash.success(request, _("Ticket %(reference)s was filed from the chat.") % {"reference": ticket.reference})
    return redirect("chat:console")


@require_POST
@role_required(access.is_agent)
def append(request, public_id):
    chat = _agent_chat(request, public_id)
    form = AppendForm(request.POST, prefix=f"a{chat.pk}")
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reference of a ticket."))
        ticket = ticket_get_for_user(user=request.user, reference_or_id=form.cleaned_data["reference"])
        services.chat_append_to_ticket(chat=chat, agent=request.user, ticket=ticket, now=timezone.now())
    except Http404:
        flash.error(request, _("No ticket with this reference."))
    except ValidationError as error:
        for message in _errors(error):
            flash.error(request, message)
    else:
        flash.success(request, _("The chat was added to ticket %(reference)s.") % {"reference": ticket.reference})
    return redirect("chat:console")

