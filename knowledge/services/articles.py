"""Writing, publishing and archiving articles. Each change writes a revision row (the texts and
codes after it) in the same transaction; a change that changes nothing writes nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tickets import rules as ticket_rules
from tickets.uploads import check_upload

from ..choices import ArticleStatus, Kind, Visibility
from ..models import Article, ArticleImage, ArticleRevision, ArticleTicketLink, Category
from ..rules import audience_organisations_for, may_publish, may_write
from ..search import search_document_update

TEXT_FIELDS = ("title_de", "body_de", "title_en", "body_en")
IMAGE_EXTENSIONS = {"png", "jpg", "jpeg", "gif", "webp"}


def _require_writer(actor) -> None:
    if not may_write(actor):
        raise PermissionDenied(_("Only agents write articles."))


def _validated(*, actor, kind: str, visibility: str, organisations, category, texts: dict) -> list:
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Choose a kind of article.")]
    if visibility not in Visibility.values:
        errors["visibility"] = [_("Choose who may read the article.")]
    if category is not None and not isinstance(category, Category):
        errors["category"] = [_("Choose a category.")]
    if not any(texts[f"title_{code}"].strip() and texts[f"body_{code}"].strip() for code in ("de", "en")):
        errors["title_de"] = [_("Write a title and a text in German or English (or both).")]
    for code in ("de", "en"):
        if texts[f"body_{code}"].strip() and not texts[f"title_{code}"].strip():
            errors[f"title_{code}"] = [_("A text needs a title in the same language.")]
    chosen = list(organisations or [])
    if visibility == Visibility.ORGANISATIONS:
        allowed = set(audience_organisations_for(actor).values_list("pk", flat=True))
        if not chosen:
            errors["organisations"] = [_("Choose at least one organisation, or another visibility.")]
        elif any(organisation.pk not in allowed for organisation in chosen):
            errors["organisations"] = [
                _("You can restrict articles only to your own organisation and the customers you support.")
            ]
    if errors:
        raise ValidationError(errors)
    return chosen if visibility == Visibility.ORGANISATIONS else []


RESERVED_SLUGS = {"suggest", "solved", "manage", "from-ticket", "feed"}


def _unique_slug(title: str) -> str:
    base = (slugify(title) or "article")[:100]
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Article.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _revise(article: Article, *, actor, now, change: str) -> ArticleRevision:
    last = article.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return ArticleRevision.objects.create(
        article=article, number=last + 1, change=change, author=actor, created_at=now,
        status=article.status, visibility=article.visibility,
        **{field: getattr(article, field) for field in TEXT_FIELDS},
    )


@transaction.atomic
def article_create(
    *, actor, now, kind: str, visibility: str, title_de: str = "", body_de: str = "", title_en: str = "",
    body_en: str = "", category: Category | None = None, organisations=(), source_ticket=None,
) -> Article:
    _require_writer(actor)
    texts = {"title_de": title_de, "body_de": body_de, "title_en": title_en, "body_en": body_en}
    chosen = _validated(actor=actor, kind=kind, visibility=visibility, organisations=organisations,
                        category=category, texts=texts)
    article = Article.objects.create(
        slug=_unique_slug(title_de or title_en), category=category, kind=kind, visibility=visibility,
        source_ticket=source_ticket, created_by=actor, updated_by=actor, created_at=now, updated_at=now,
        **{field: value.strip() for field, value in texts.items()},
    )
    article.organisations.set(chosen)
    search_document_update(article_ids=[article.pk])
    if source_ticket is not None:
        ArticleTicketLink.objects.create(article=article, ticket=source_ticket, linked_by=actor, linked_at=now)
    _revise(article, actor=actor, now=now, change="created")
    return article


@transaction.atomic
def article_update(
    *, article: Article, actor, now, kind: str, visibility: str, title_de: str, body_de: str, title_en: str,
    body_en: str, category: Category | None = None, organisations=(),
) -> tuple[Article, bool]:
    """Save the new texts and settings; returns (article, changed). Archived articles stay archived."""
    _require_writer(actor)
    article = Article.objects.select_for_update().get(pk=article.pk)
    texts = {"title_de": title_de.strip(), "body_de": body_de.strip(), "title_en": title_en.strip(),
             "body_en": body_en.strip()}
    chosen = _validated(actor=actor, kind=kind, visibility=visibility, organisations=organisations,
                        category=category, texts=texts)
    before = set(article.organisations.values_list("pk", flat=True))
    new = {
        **texts, "kind": kind, "visibility": visibility, "category_id": category.pk if category else None,
    }
    if all(getattr(article, field) == value for field, value in new.items()) and before == {o.pk for o in chosen}:
        return article, False
    for field, value in new.items():
        setattr(article, field, value)
    article.updated_by, article.updated_at = actor, now
    article.save()
    article.organisations.set(chosen)
    search_document_update(article_ids=[article.pk])
    _revise(article, actor=actor, now=now, change="edited")
    return article, True


def _set_status(article: Article, *, actor, now, status: str, change: str) -> tuple[Article, bool]:
    if not may_publish(actor):
        raise PermissionDenied(_("Only managers publish and archive articles."))
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status == status:
        return article, False
    article.status = status
    article.updated_by, article.updated_at = actor, now
    if status == ArticleStatus.PUBLISHED:
        article.published_by, article.published_at = actor, now
    article.save()
    _revise(article, actor=actor, now=now, change=change)
    return article, True


@transaction.atomic
def article_publish(*, article: Article, actor, now) -> tuple[Article, bool]:
    return _set_status(article, actor=actor, now=now, status=ArticleStatus.PUBLISHED, change="published")


@transaction.atomic
def article_archive(*, article: Article, actor, now) -> tuple[Article, bool]:
    return _set_status(article, actor=actor, now=now, status=ArticleStatus.ARCHIVED, change="archived")


@transaction.atomic
def article_image_add(*, article: Article, actor, now, uploaded) -> ArticleImage:
    """An image for the article's text; the same checks as ticket attachments, images only."""
    _require_writer(actor)
    checked = check_upload(uploaded)  # raises AttachmentRefused (a ValidationError) naming the file
    if checked.extension not in IMAGE_EXTENSIONS:
        raise ValidationError(
            _("“%(name)s” is not an image. Accepted types: %(types)s.")
            % {"name": checked.name, "types": ", ".join(sorted(IMAGE_EXTENSIONS))},
            code="type",
        )
    image = ArticleImage(article=article, original_name=checked.name, content_type=checked.content_type,
                         size=checked.size, uploaded_by=actor, uploaded_at=now)
    image.file.save(checked.name, uploaded, save=False)
    image.save()
    return image


@transaction.atomic
def article_link_ticket(*, article: Article, ticket, actor, now) -> bool:
    """Link an article to a ticket the agent works on; False if it was linked already."""
    _require_writer(actor)
    if not ticket_rules.may_see(actor, ticket):
        raise PermissionDenied(_("You cannot change this ticket."))
    _link, created = ArticleTicketLink.objects.get_or_create(
        article=article, ticket=ticket, defaults={"linked_by": actor, "linked_at": now}
    )
    return created


@transaction.atomic
def article_from_ticket(*, ticket, actor, now, comment=None) -> Article:
    """A draft from a ticket's workaround (a known problem) or one of its public replies (a how-to),
    in the requester's language, visible to customers once a manager publishes it; linked to the ticket."""
    _require_writer(actor)
    if not ticket_rules.may_see(actor, ticket):
        raise PermissionDenied(_("You cannot change this ticket."))
    if comment is not None:
        if comment.ticket_id != ticket.pk or comment.is_internal or not comment.body.strip():
            raise ValidationError(_("Only a public reply with text can become an article."))
        body, kind = comment.body, Kind.HOWTO
    elif ticket.workaround.strip():
        body, kind = ticket.workaround, Kind.KNOWN_PROBLEM
    else:
        raise ValidationError(_("This ticket has no workaround yet: write one first, or start from a reply."))
    language = "de"
    if ticket.requester_id:
        language = ticket.requester.language
    elif ticket.organisation_id:
        language = ticket.organisation.language
    language = "en" if language.startswith("en") else "de"
    return article_create(
        actor=actor, now=now, kind=kind, visibility=Visibility.CUSTOMERS, source_ticket=ticket,
        **{f"title_{language}": ticket.subject, f"body_{language}": body},
    )
