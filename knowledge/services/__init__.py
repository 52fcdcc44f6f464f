"""Every write of the knowledge base (`<entity>_<action>`, keyword-only, atomic)."""

from .articles import (
    article_archive,
    article_create,
    article_from_ticket,
    article_image_add,
    article_link_ticket,
    article_publish,
    article_update,
)
from .filing import filing_session_filed, filing_session_shown, filing_session_solved

__all__ = [
    "article_archive",
    "article_create",
    "article_from_ticket",
    "article_image_add",
    "article_link_ticket",
    "article_publish",
    "article_update",
    "filing_session_filed",
    "filing_session_shown",
    "filing_session_solved",
]
