"""Products and their releases (versions with release notes in German and English).

No domain logic here: every write goes through `products.services`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

NOTES_HELP = _("Plain text; one change per line.")


class Product(models.Model):
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Release(models.Model):
    """A version of a product. Published once (`published_at`), by a manager; until then only
    agents see it."""

    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="releases")
    version = models.CharField(_("version"), max_length=40)
    notes_de = models.TextField(_("release notes (German)"), blank=True, help_text=NOTES_HELP)
    notes_en = models.TextField(_("release notes (English)"), blank=True, help_text=NOTES_HELP)
    is_security = models.BooleanField(_("security update"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["product", "-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["product", "version"], name="release_unique_version")]

    def __str__(self) -> str:
        return f"{self.product.name} {self.version}"

    def notes_in(self, language: str) -> tuple[str, str]:
        """(notes, language shown): the reader's language, else the other one."""
        language = "de" if (language or "").startswith("de") else "en"
        other = "en" if language == "de" else "de"
        own = getattr(self, f"notes_{language}")
        return (own, language) if own else (getattr(self, f"notes_{other}"), other)
