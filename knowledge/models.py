"""Articles, their revisions and images; the filing sessions that count suggestions and deflection.

No domain logic here: every write goes through `knowledge.services`."""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from tickets.storage import private_storage

from .choices import ArticleStatus, FilingOutcome, Kind, Visibility


class Category(models.Model):
    """A product area ("Kassensystem", "Zählerstände-App")."""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name_de = models.CharField(_("name (German)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("article category")
        verbose_name_plural = _("article categories")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name_en or self.name_de

    def name_in(self, language: str) -> str:
        return (self.name_de if language == "de" else self.name_en) or self.name_en or self.name_de


class Article(models.Model):
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.HOWTO)
    status = models.CharField(
        _("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT, db_index=True
    )
    visibility = models.CharField(
        _("visible to"), max_length=20, choices=Visibility.choices, default=Visibility.CUSTOMERS
    )
    organisations = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("organisations"), blank=True, related_name="+",
        help_text=_("Who may read the article when it is visible only to chosen organisations."),
    )
    # The same article in German and English; either may be empty (the reader gets the other).
    title_de = models.CharField(_("title (German)"), max_length=200, blank=True)
    body_de = models.TextField(_("text (German)"), blank=True, help_text=_("Markdown"))
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_en = models.TextField(_("text (English)"), blank=True, help_text=_("Markdown"))

    source_ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("written from ticket"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("last changed by"), on_delete=models.PROTECT, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"))
    updated_at = models.DateTimeField(_("last changed at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # PostgreSQL: the weighted full-text document of both languages (`knowledge.search.search_vector`),
    # written by the services with every change of the texts; GIN-indexed (migration 0001). Unused elsewhere.
    search_document = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["status", "visibility"], name="kb_article_status_vis_idx")]

    def __str__(self) -> str:
        return self.title_en or self.title_de or self.slug


class ArticleRevision(models.Model):
    """The article's texts after each change (number 1 is the first version)."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    title_de = models.CharField(_("title (German)"), max_length=200, blank=True)
    body_de = models.TextField(_("text (German)"), blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    # Codes, as the article had them after this change.
    status = models.CharField(_("status"), max_length=10, choices=ArticleStatus.choices)
    visibility = models.CharField(_("visible to"), max_length=20, choices=Visibility.choices)
    change = models.CharField(_("change"), max_length=20)  # created, edited, published, archived
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("article revision")
        verbose_name_plural = _("article revisions")
        ordering = ["article", "-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="kb_revision_unique_number")]

    def __str__(self) -> str:
        return f"{self.article_id} #{self.number}"


def image_path(instance, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()[:10] if "." in filename else "bin"
    return f"knowledge/{instance.public_id.hex[:2]}/{instance.public_id.hex}.{suffix}"


class ArticleImage(models.Model):
    """An image shown in an article; served only through the permission-checked view."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="images")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("file"), storage=private_storage, upload_to=image_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("article image")
        verbose_name_plural = _("article images")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ArticleTicketLink(models.Model):
    """An article that answers a ticket: written from it, or linked by an agent."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="ticket_links"
    )
    ticket = models.ForeignKey("tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="+")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("linked by"), on_delete=models.PROTECT,
                                  related_name="+")
    linked_at = models.DateTimeField(_("linked at"))

    class Meta:
        verbose_name = _("article linked to a ticket")
        verbose_name_plural = _("articles linked to tickets")
        constraints = [models.UniqueConstraint(fields=["article", "ticket"], name="kb_link_unique_article_ticket")]

    def __str__(self) -> str:
        return f"{self.article_id} ↔ {self.ticket_id}"


class FilingSession(models.Model):
    """One opening of the filing form (keyed by the form's token): which articles it was shown,
    and whether it ended without a ticket (solved) or with one (filed)."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("customer"), on_delete=models.CASCADE,
                             related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("organisation"),
                                     on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(_("started at"), db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=FilingOutcome.choices, default=FilingOutcome.OPEN)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    solved_by = models.ForeignKey(Article, verbose_name=_("solved by article"), on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    ticket = models.ForeignKey("tickets.Ticket", verbose_name=_("ticket"), on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")

    class Meta:
        verbose_name = _("filing session")
        verbose_name_plural = _("filing sessions")

    def __str__(self) -> str:
        return f"{self.token[:8]} {self.outcome}"


class SuggestionShown(models.Model):
    """An article suggested in a filing session (once per session and article)."""

    session = models.ForeignKey(FilingSession, on_delete=models.CASCADE, related_name="shown")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    first_shown_at = models.DateTimeField(_("first shown at"))

    class Meta:
        verbose_name = _("suggestion shown")
        verbose_name_plural = _("suggestions shown")
        constraints = [models.UniqueConstraint(fields=["session", "article"], name="kb_shown_unique_session_article")]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.article_id}"
