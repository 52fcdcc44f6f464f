"""Release notes: every product's published releases for everyone (agents also see the ones not
yet published); managers add and publish releases."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access

from . import selectors, services
from .forms import ReleaseForm

MANAGERS_ONLY = _("Only managers create and publish releases.")


def _rows(releases):
    language = get_language() or "en"
    rows = []
    for release in releases:
        notes, shown = release.notes_in(language)
        rows.append({"release": release, "notes": notes, "language": shown,
                     "fallback": shown != ("de" if language.startswith("de") else "en")})
    return rows


@require_GET
def release_index(request):
    products = []
    for product in selectors.products_active():
        latest = selectors.releases_for_product(user=request.user, product=product)[:3]
        products.append({"product": product, "rows": _rows(latest)})
    return render(request, "products/index.html", {"products": products})


@require_http_methods(["GET", "POST"])
def product_releases(request, slug):
    product = selectors.product_get(slug=slug)
    may_manage = access.is_manager(request.user)
    form = None
    if may_manage:
        form = ReleaseForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.release_create(actor=request.user, now=timezone.now(), product=product, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The release has been saved. Publish it when it is out."))
                return redirect("products:product", slug=product.slug)
    elif request.method == "POST":
        raise PermissionDenied(MANAGERS_ONLY)
    return render(request, "products/product.html", {
        "product": product, "rows": _rows(selectors.releases_for_product(user=request.user, product=product)),
        "form": form, "may_manage": may_manage,
    })


@require_POST
def release_publish(request, slug, pk):
    if not access.is_manager(request.user):
        raise PermissionDenied(MANAGERS_ONLY)
    product = selectors.product_get(slug=slug)
    release = selectors.release_get_for_user(user=request.user, pk=pk, product=product)
    _release, published = services.release_publish(release=release, actor=request.user, now=timezone.now())
    messages.success(request, _("The release has been published; the customers waiting for its fix are told.")
                     if published else _("The release was published already."))
    return redirect("products:product", slug=product.slug)
