"""The bell, the list of notifications and marking them read (agents and managers only), and
everyone's notification settings (which events mail them)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access

from . import selectors, services
from .forms import NotificationSettingsForm
from .models import Notification

PAGE_SIZE = 25
MENU_SIZE = 8  # the latest notifications in the bell's dropdown
staff_only = access.role_required(access.is_agent, _("Notifications are for agents and managers."))


# htmx stops polling when a response has this status (e.g. after the session expired).
HTMX_STOP_POLLING = 286


@require_GET
def notification_bell(request):
    """The badge in the navigation bar, refreshed by htmx: one COUNT query."""
    if request.htmx and not (request.user.is_authenticated and access.is_agent(request.user)):
        return HttpResponse(status=HTMX_STOP_POLLING)
    return _bell(request)


@staff_only
def _bell(request):
    count = selectors.notification_unread_count(user=request.user)
    return render(request, "notifications/agent/_bell_badge.html", {"unread_count": count})


@require_GET
@staff_only
def notification_menu(request):
    """The bell's dropdown (loaded by htmx when it opens): the latest notifications, two queries
    after the session (the rows with their tickets, the unread count)."""
    rows = selectors.notifications_shown(
        notifications=selectors.notifications_for(user=request.user)[:MENU_SIZE], reader=request.user
    )
    return render(
        request,
        "notifications/agent/_menu.html",
        {"rows": rows, "unread_count": selectors.notification_unread_count(user=request.user)},
    )


@require_GET
@staff_only
def notification_list(request):
    page = Paginator(selectors.notifications_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.notifications_shown(notifications=page.object_list, reader=request.user)
    return render(
        request,
        "notifications/agent/list.html",
        {"page_obj": page, "rows": rows, "unread_count": selectors.notification_unread_count(user=request.user)},
    )


def _next_url(request, default: str) -> str:
    next_url = request.POST.get("next") or default
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return default
    return next_url


@require_POST
@staff_only
def notification_mark_read(request, pk: int):
    """Mark one notification read, then go on (to its ticket when `next` says so)."""
    try:
        services.notification_mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404("no such notification") from None
    return HttpResponseRedirect(_next_url(request, reverse("notifications:list")))


@require_POST
@staff_only
def notification_mark_all_read(request):
    services.notifications_mark_all_read(user=request.user)
    return HttpResponseRedirect(_next_url(request, reverse("notifications:list")))


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """Which events mail the signed-in person (their role's defaults until they save)."""
    form = NotificationSettingsForm(request.POST or None, person=request.user)
    if request.method == "POST" and form.is_valid():
        services.notification_settings_save(user=request.user, choices=form.cleaned_data)
        messages.success(request, gettext("Your notification settings have been saved."))
        return redirect("notification_settings:edit")
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "email": request.user.email},
        status=400 if form.is_bound and form.errors else 200,
    )
