"""The signed-in person's API tokens: create (the secret is shown once) and revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from api import selectors, services
from api.forms import ApiTokenCreateForm

# The new secret travels from the POST to the next page in the session, and is removed there:
# a reload does not show it again.
SESSION_KEY = "api_token_shown_once"


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = ApiTokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            request.session[SESSION_KEY] = {"id": token.pk, "secret": secret}
            return redirect("api_tokens:list")
    shown = request.session.pop(SESSION_KEY, None)
    return render(
        request,
        "api/account/tokens.html",
        {
            "form": form,
            "tokens": selectors.api_tokens_of(user=request.user),
            "new_secret": shown["secret"] if shown else "",
            "new_token_id": shown["id"] if shown else None,
            "docs_url": reverse("api:docs"),
            "schema_url": reverse("api:schema"),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@login_required
def token_revoke(request, pk):
    token = get_object_or_404(selectors.api_tokens_of(user=request.user), pk=pk)
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token “%(name)s” is revoked; it no longer works.") % {"name": token.name})
    return redirect("api_tokens:list")
