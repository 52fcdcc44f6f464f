"""Unverified e-mail held for review (`api.inbound.review`, docs/mail-trust.md): the list agents
work through — waiting ones first, reviewed ones for the record — and the accept / discard
actions, which are also offered on the ticket's workspace."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from api.inbound import review
from api.models import InboundMail
from tickets.markdown import render_markdown
from tickets.views.queue import agents_only

PAGE_SIZE = 50


@require_GET
@agents_only
def held_list(request):
    reviewed = request.GET.get("show") == "reviewed"
    mails = review.held_mails_for(user=request.user)
    if reviewed:
        mails = mails.exclude(review=InboundMail.Review.PENDING)
    else:
        mails = mails.filter(review=InboundMail.Review.PENDING)
    page = Paginator(mails, PAGE_SIZE).get_page(request.GET.get("page"))
    here = request.get_full_path()
    rows = [
        {"mail": mail, "sender": review.claimed_sender(mail), "status": review.status_text(mail),
         "body_html": render_markdown(mail.body), "actions": review.review_actions(mail, next_url=here)}
        for mail in page.object_list
    ]
    return render(request, "api/held/list.html", {"rows": rows, "page": page, "reviewed": reviewed})


def _back(request):
    url = request.POST.get("next", "")
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect(reverse("held_mail:list"))


@require_POST
@agents_only
def held_accept(request, pk: int):
    inbound = review.held_mail_get_for_user(user=request.user, pk=pk)
    try:
        accepted = review.held_mail_accept(inbound=inbound, actor=request.user, mode=request.POST.get("mode", ""))
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text or _("The e-mail could not be accepted."))
        return _back(request)
    if accepted.accepted_as == "ticket":
        messages.success(request, _("Ticket %(reference)s was opened from the e-mail.") % {
            "reference": accepted.ticket.reference})
    else:
        messages.success(request, _("The e-mail was added to ticket %(reference)s.") % {
            "reference": accepted.ticket.reference})
    return _back(request)


@require_POST
@agents_only
def held_discard(request, pk: int):
    inbound = review.held_mail_get_for_user(user=request.user, pk=pk)
    try:
        review.held_mail_discard(inbound=inbound, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(request)
    messages.success(request, _("The e-mail was discarded; nothing was posted."))
    return _back(request)
