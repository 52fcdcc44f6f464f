"""Reads of products and releases. Release notes are public once published (like a vendor's
website); agents also see releases not yet published."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts import access

from .models import Product, Release


def products_active() -> QuerySet[Product]:
    return Product.objects.filter(is_active=True)


def product_get(*, slug: str) -> Product:
    product = products_active().filter(slug=slug).first()
    if product is None:
        raise Http404("no such product")
    return product


def releases_visible_to(*, user) -> QuerySet[Release]:
    releases = Release.objects.select_related("product").filter(product__is_active=True)
    if access.is_agent(user):
        return releases
    return releases.filter(published_at__isnull=False)


def releases_for_product(*, user, product: Product) -> QuerySet[Release]:
    return releases_visible_to(user=user).filter(product=product).order_by("-published_at", "-created_at", "-pk")


def release_get_for_user(*, user, pk: int, product: Product) -> Release:
    release = releases_visible_to(user=user).filter(pk=pk, product=product).first()
    if release is None:
        raise Http404("no such release")
    return release


def releases_to_choose() -> QuerySet[Release]:
    """The releases an agent may name as a ticket's permanent fix."""
    return Release.objects.select_related("product").filter(product__is_active=True).order_by(
        "product__name", "-created_at"
    )
