"""Every write of products and releases: managers create and publish releases."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import access

from .models import Product, Release
from .signals import release_published


def _require_manager(actor) -> None:
    if not access.is_manager(actor):
        raise PermissionDenied(_("Only managers create and publish releases."))


@transaction.atomic
def release_create(
    *, actor, now, product: Product, version: str, notes_de: str = "", notes_en: str = "", is_security: bool = False
) -> Release:
    _require_manager(actor)
    version = version.strip()
    errors = {}
    if not version:
        errors["version"] = [_("Enter the version, e.g. 4.9.")]
    elif Release.objects.filter(product=product, version=version).exists():
        errors["version"] = [_("This product already has a release %(version)s.") % {"version": version}]
    if not (notes_de.strip() or notes_en.strip()):
        errors["notes_de"] = [_("Write the release notes in German or English (or both).")]
    if errors:
        raise ValidationError(errors)
    return Release.objects.create(product=product, version=version, notes_de=notes_de.strip(),
                                  notes_en=notes_en.strip(), is_security=is_security, created_by=actor, created_at=now)


@transaction.atomic
def release_publish(*, release: Release, actor, now) -> tuple[Release, bool]:
    """Publish the release; returns (release, published now). Publishing again changes nothing and
    tells nobody again."""
    _require_manager(actor)
    release = Release.objects.select_for_update().select_related("product").get(pk=release.pk)
    if release.published_at is not None:
        return release, False
    release.published_at, release.published_by = now, actor
    release.save(update_fields=["published_at", "published_by"])
    release_published.send(sender=Release, release=release, now=now)
    return release, True
