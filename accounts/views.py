from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import access, selectors
from .forms import LanguageForm


@login_required
def home(request):
    return render(request, "accounts/home.html", {"role_label": request.user.get_role_display()})


@access.role_required(access.is_customer)
def organisation(request):
    org = selectors.organisation_detail(organisation_id=request.user.organisation_id)
    return render(request, "accounts/customer/organisation.html", {"organisation": org})


@access.role_required(access.is_agent)
def teams(request):
    return render(request, "accounts/agent/teams.html", {"teams": selectors.teams_visible_to(user=request.user)})


@require_POST
def language_switch(request):
    """Switch the interface language; for a signed-in user the choice is stored on the account."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if not form.is_valid():
        messages.error(request, _("Please choose one of the offered languages."))
        return response
    language = form.cleaned_data["language"]
    if request.user.is_authenticated and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    translation.activate(language)
    from django.conf import settings

    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        samesite="Lax",
    )
    return response


@require_GET
def healthz(request):
    """Liveness and readiness for the load balancer and compose health checks."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico where a page names no icon (the API's JSON, a file download)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
