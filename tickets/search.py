"""Text search over a ticket's reference, subject and description.

PostgreSQL: full-text search with the "simple" configuration (no stemming: the texts are German
and English, and references and product names must match as written), each word as a prefix,
backed by the GIN index of migration 0009 (built from `search_vector()`, so the expressions
match). Other databases (SQLite in development and tests): every word must occur in one of the
three fields (icontains)."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Q, QuerySet

SEARCH_CONFIG = "simple"
MAX_WORDS = 8
_WORD = re.compile(r"[\w]+", re.UNICODE)


def search_vector():
    """The indexed document. Hyphens in the reference become spaces: PostgreSQL's parser reads
    "HD-2026-000042" as "hd", "-2026", "-000042", so "000042" would not match otherwise."""
    from django.contrib.postgres.search import SearchVector
    from django.db.models import Value
    from django.db.models.functions import Replace

    return SearchVector(Replace("reference", Value("-"), Value(" ")), "subject", "description", config=SEARCH_CONFIG)


def search_words(text: str) -> list[str]:
    """The words of a search, lower-cased, at most MAX_WORDS (punctuation separates words)."""
    return [w.lower() for w in _WORD.findall(text or "")][:MAX_WORDS]


def tickets_matching(tickets: QuerySet, text: str) -> QuerySet:
    """`tickets` restricted to those matching every word of `text` (as a word prefix on PostgreSQL)."""
    words = search_words(text)
    if not words:
        return tickets
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        query = " & ".join(f"{word}:*" for word in words)
        return tickets.alias(search=search_vector()).filter(
            search=SearchQuery(query, search_type="raw", config=SEARCH_CONFIG)
        )
    condition = Q()
    for word in words:
        condition &= Q(reference__icontains=word) | Q(subject__icontains=word) | Q(description__icontains=word)
    return tickets.filter(condition)
