"""The knowledge base for readers: the list and search, an article, its images; and the filing
form's suggestions and "this solved my problem"."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts import access

from .. import selectors, services
from ..forms import ArticleSearchForm, SolvedForm
from ..markdown import render_article
from ..rules import may_publish, may_write
from ..search import articles_search

PAGE_SIZE = 20
SUGGESTIONS = 5
MIN_SUGGESTION_TEXT = 4


def _language() -> str:
    return "de" if (get_language() or "").startswith("de") else "en"


@require_GET
def kb_index(request):
    form = ArticleSearchForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    articles = selectors.articles_readable_by(user=request.user).select_related("category")
    if data.get("category"):
        articles = articles.filter(category=data["category"])
    if data.get("kind"):
        articles = articles.filter(kind=data["kind"])
    query = data.get("q", "")
    language = _language()
    context = {"form": form, "query": query, "may_write": may_write(request.user)}
    if query:
        context["hits"] = articles_search(articles=articles, text=query, language=language)
    else:
        page = Paginator(articles.order_by("-published_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = [
            {"article": article, "text": selectors.article_text(article, language),
             "category": article.category.name_in(language) if article.category else ""}
            for article in page.object_list
        ]
        context["page_obj"] = page
    return render(request, "knowledge/index.html", context)


def _signed_in_or_404(request, lookup):
    """An article (or its image) the reader may not see: a 404, or the login page for someone not
    signed in (the article may be for customers); never a hint that it exists."""
    try:
        return lookup()
    except Http404:
        if not request.user.is_authenticated:
            raise _LoginRequired from None
        raise


class _LoginRequired(Exception):
    pass


def _login_on_refusal(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _LoginRequired:
            return redirect_to_login(request.get_full_path())

    return wrapped


@require_GET
@_login_on_refusal
def article_detail(request, slug):
    article = _signed_in_or_404(request, lambda: selectors.article_get_for_user(user=request.user, slug=slug))
    text = selectors.article_text(article, _language())
    return render(request, "knowledge/article.html", {
        "article": article,
        "text": text,
        "category": article.category.name_in(text.language) if article.category else "",
        "body_html": render_article(text.body),
        "may_write": may_write(request.user),
        "may_publish": may_publish(request.user),
    })


@require_GET
@_login_on_refusal
def article_image(request, slug, public_id):
    image = _signed_in_or_404(
        request, lambda: selectors.article_image_get_for_user(user=request.user, slug=slug, public_id=public_id)
    )
    try:
        handle = image.file.open("rb")
    except FileNotFoundError:
        raise Http404("file missing") from None
    response = FileResponse(handle, content_type=image.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=300"
    return response


filers_only = access.role_required(access.can_file_tickets)


@require_GET
@filers_only
def suggest(request):
    """The best articles for what the customer has typed so far (an htmx partial), recorded as shown."""
    text = f"{request.GET.get('subject', '')} {request.GET.get('description', '')}".strip()[:2000]
    hits = []
    if len(text) >= MIN_SUGGESTION_TEXT:
        hits = articles_search(
            articles=selectors.articles_readable_by(user=request.user), text=text, language=_language(),
            match_any=True, limit=SUGGESTIONS,
        )
        services.filing_session_shown(token=request.GET.get("idempotency_key", ""), user=request.user,
                                      now=timezone.now(), articles=[hit.article for hit in hits])
    return render(request, "knowledge/customer/_suggestions.html", {"hits": hits, "searched": bool(text)})


@require_POST
@filers_only
def solved(request):
    """"This solved my problem": the filing ends here, without a ticket, and is counted. The
    button sits in the filing form, which htmx sends (it honours the button's formaction): an htmx
    request is told to go to the next page itself, since a followed redirect would be swapped into
    the form."""
    form = SolvedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("We could not record your answer. Please try again."))
        return _go(request, reverse("tickets:create"))
    article = selectors.articles_readable_by(user=request.user).filter(slug=form.cleaned_data["solved_by"]).first()
    if article is None:
        raise Http404("no such article")
    services.filing_session_solved(token=form.cleaned_data["idempotency_key"], user=request.user,
                                   now=timezone.now(), article=article)
    messages.success(request, _("We are glad the article helped. No ticket was filed."))
    return _go(request, reverse("knowledge:article", kwargs={"slug": article.slug}))


def _go(request, url: str):
    return HttpResponseClientRedirect(url) if getattr(request, "htmx", False) else redirect(url)
