"""Search over articles, in both languages at once.

PostgreSQL: one weighted document per article (titles weigh more than texts), the German
version read with the 'german' text-search configuration (stemming: "startet" finds "starten")
and the English one with 'english'; the query is read with both and either may match. Ranked by
SearchRank, with a highlighted snippet (SearchHeadline) of the text in the reader's language.
The document is stored on the article (`search_document`, written by the services through
`search_document_update`) and GIN-indexed (migration 0001): ranking reads it instead of parsing
every matching text again, and the snippet is cut for the best few articles only.
The search page asks for every word; the filing form's suggestions for any word, best first.

Other databases (SQLite in development and tests): every (or any) word of three letters or more
occurs in a title or text (icontains), ranked by how many words occur; the snippet is cut in Python."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .selectors import article_text

CONFIGS = {"de": "german", "en": "english"}
MAX_WORDS = 12
MIN_WORD_LENGTH = 3
SNIPPET_WORDS = 30
_WORD = re.compile(r"\w+", re.UNICODE)
_START, _STOP = "\u27e6", "\u27e7"  # markers PostgreSQL puts round a match; replaced by <mark> after escaping
FIELDS = ("title_de", "body_de", "title_en", "body_en")


@dataclass(frozen=True)
class Hit:
    article: object
    title: str
    snippet: SafeString
    language: str
    fallback: bool


def search_words(text: str) -> list[str]:
    words = []
    for word in _WORD.findall(text or ""):
        word = word.lower()
        if len(word) >= MIN_WORD_LENGTH and word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def search_vector():
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("title_de", weight="A", config=CONFIGS["de"])
        + SearchVector("body_de", weight="B", config=CONFIGS["de"])
        + SearchVector("title_en", weight="A", config=CONFIGS["en"])
        + SearchVector("body_en", weight="B", config=CONFIGS["en"])
    )


def search_document_update(*, article_ids) -> None:
    """Store the search document of these articles (PostgreSQL; other databases search the texts)."""
    from .models import Article

    if connection.vendor == "postgresql":
        Article.objects.filter(pk__in=list(article_ids)).update(search_document=search_vector())


def _query(words: list[str], match_any: bool):
    from django.contrib.postgres.search import SearchQuery

    operator = " | " if match_any else " & "
    raw = operator.join(words)  # words are \w+ only: nothing to escape
    return SearchQuery(raw, search_type="raw", config=CONFIGS["de"]) | SearchQuery(
        raw, search_type="raw", config=CONFIGS["en"]
    )


def _body_in(language: str):
    """The reader's language's text, else the other one (the same choice as `article_text`)."""
    other = "en" if language == "de" else "de"
    return Case(When(~Q(**{f"body_{language}": ""}), then=F(f"body_{language}")), default=F(f"body_{other}"))


def articles_search(
    *, articles: QuerySet, text: str, language: str, match_any: bool = False, limit: int = 20
) -> list[Hit]:
    """The best `limit` of `articles` (already restricted to what the reader may see) for `text`."""
    words = search_words(text)
    if not words:
        return []
    language = "de" if (language or "").startswith("de") else "en"
    if connection.vendor == "postgresql":
        return _postgres(articles, words, language, match_any, limit)
    return _fallback(articles, words, language, match_any, limit)


def _postgres(articles, words, language, match_any, limit) -> list[Hit]:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

    query = _query(words, match_any)
    headline_query = SearchQuery(
        (" | " if match_any else " & ").join(words), search_type="raw", config=CONFIGS[language]
    )
    best = list(
        articles.filter(search_document=query)
        .annotate(rank=SearchRank(F("search_document"), query))
        .order_by("-rank", "-published_at", "-pk")
        .values_list("pk", flat=True)[:limit]
    )
    # The snippets, for the best few only (SearchHeadline parses the whole text).
    found = {
        article.pk: article
        for article in articles.model.objects.filter(pk__in=best).select_related("category").annotate(
            headline=SearchHeadline(
                _body_in(language), headline_query, config=CONFIGS[language], start_sel=_START, stop_sel=_STOP,
                max_words=SNIPPET_WORDS, min_words=12, short_word=2, max_fragments=2, fragment_delimiter=" … ",
            )
        )
    }
    hits = []
    for article in (found[pk] for pk in best):
        shown = article_text(article, language)
        hits.append(Hit(article=article, title=shown.title, snippet=_marked(article.headline),
                        language=shown.language, fallback=shown.fallback))
    return hits


def _marked(headline: str) -> SafeString:
    return mark_safe(escape(headline or "").replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


def _fallback(articles, words, language, match_any, limit) -> list[Hit]:
    score = None
    condition = Q() if not match_any else Q(pk__in=[])
    for word in words:
        matches = Q()
        for field in FIELDS:
            matches |= Q(**{f"{field}__icontains": word})
        condition = (condition | matches) if match_any else (condition & matches)
        term = Case(When(matches, then=Value(1)), default=Value(0), output_field=IntegerField())
        score = term if score is None else score + term
    found = articles.filter(condition).annotate(score=score).order_by("-score", "-published_at", "-pk")[:limit]
    hits = []
    for article in found:
        shown = article_text(article, language)
        hits.append(Hit(article=article, title=shown.title, snippet=snippet(shown.body, words),
                        language=shown.language, fallback=shown.fallback))
    return hits


def snippet(body: str, words: list[str]) -> SafeString:
    """About SNIPPET_WORDS words of `body` round the first match, matches marked."""
    tokens = (body or "").split()
    lowered = [token.lower() for token in tokens]
    first = next((i for i, token in enumerate(lowered) if any(w in token for w in words)), 0)
    start = max(0, first - 5)
    part = tokens[start : start + SNIPPET_WORDS]
    out = []
    for token in part:
        if any(w in token.lower() for w in words):
            out.append(f"<mark>{escape(token)}</mark>")
        else:
            out.append(str(escape(token)))
    text = " ".join(out)
    if start > 0:
        text = "… " + text
    if start + SNIPPET_WORDS < len(tokens):
        text += " …"
    return mark_safe(text)  # noqa: S308 (every token escaped above)
