"""The reads of the knowledge base and its one access gate (`articles_visible_to`).

- anonymous: published public articles;
- customers (contacts and readers): published articles that are public, for all customers, or
  restricted to a set of organisations that holds their own;
- agents (a reseller's too): every status; all but restricted articles, and restricted ones only
  when the set holds their own organisation or one they support. So a reseller's private article
  is never seen by another organisation, the vendor included."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts import access

from .choices import ArticleStatus, Visibility
from .models import Article, ArticleImage, ArticleRevision, Category
from .rules import audience_organisations_for

_Audience = Article.organisations.through


def _restricted_to(organisations) -> Q:
    return Q(visibility=Visibility.ORGANISATIONS) & Q(
        Exists(_Audience.objects.filter(article_id=OuterRef("pk"), organisation__in=organisations))
    )


def articles_visible_to(*, user) -> QuerySet[Article]:
    articles = Article.objects.all()
    if access.is_agent(user):
        return articles.filter(
            Q(visibility__in=[Visibility.PUBLIC, Visibility.CUSTOMERS, Visibility.AGENTS])
            | _restricted_to(audience_organisations_for(user).values("pk"))
        )
    published = articles.filter(status=ArticleStatus.PUBLISHED)
    if access.is_customer(user):
        return published.filter(
            Q(visibility__in=[Visibility.PUBLIC, Visibility.CUSTOMERS]) | _restricted_to([user.organisation_id])
        )
    return published.filter(visibility=Visibility.PUBLIC)


def articles_readable_by(*, user) -> QuerySet[Article]:
    """What the reading pages, the search and the suggestions offer: published articles only."""
    return articles_visible_to(user=user).filter(status=ArticleStatus.PUBLISHED)


def article_get_for_user(*, user, slug: str) -> Article:
    """The article if `user` may see it (agents: any status); else Http404."""
    article = articles_visible_to(user=user).select_related("category").filter(slug=slug).first()
    if article is None:
        raise Http404("no such article")
    return article


def article_image_get_for_user(*, user, slug: str, public_id) -> ArticleImage:
    article = article_get_for_user(user=user, slug=slug)
    image = ArticleImage.objects.filter(article=article, public_id=public_id).first()
    if image is None:
        raise Http404("no such image")
    return image


def articles_for_editing(*, user, status: str = "") -> QuerySet[Article]:
    articles = articles_visible_to(user=user).select_related("category", "updated_by")
    if status in ArticleStatus.values:
        articles = articles.filter(status=status)
    return articles


def article_revisions(*, article: Article) -> list[ArticleRevision]:
    return list(article.revisions.select_related("author").order_by("-number"))


def categories() -> QuerySet[Category]:
    return Category.objects.all()


@dataclass(frozen=True)
class ArticleText:
    title: str
    body: str
    language: str  # the language shown
    fallback: bool  # the reader's language is missing


def article_text(article, language: str) -> ArticleText:
    """The article in `language` ("de" or "en"), else in the other one (marked as a fallback)."""
    language = "de" if (language or "").startswith("de") else "en"
    other = "en" if language == "de" else "de"
    for code, fallback in ((language, False), (other, True)):
        title, body = getattr(article, f"title_{code}"), getattr(article, f"body_{code}")
        if title or body:
            return ArticleText(title=title or getattr(article, f"title_{language if fallback else other}"),
                               body=body, language=code, fallback=fallback)
    return ArticleText(title=article.slug, body="", language=language, fallback=False)


def articles_linked_to(*, ticket, user) -> list[Article]:
    """The articles linked to `ticket` that `user` may read (customers: published ones only)."""
    readable = articles_visible_to(user=user) if access.is_agent(user) else articles_readable_by(user=user)
    return list(readable.filter(ticket_links__ticket=ticket).order_by("pk"))
