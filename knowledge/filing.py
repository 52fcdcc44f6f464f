"""The knowledge base's hooks in `tickets` (registered in `apps.py`): suggestions beside the filing
form, the filing's outcome, and the articles linked to a ticket on its pages."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from accounts import access

from . import selectors, services
from .rules import may_write


def suggestion_panel(*, request, token: str) -> str:
    """An empty box that asks for suggestions as the customer types (htmx, debounced)."""
    return render_to_string("knowledge/customer/_suggestion_panel.html", {"token": token}, request=request)


def ticket_filed(*, request, ticket, token: str) -> None:
    services.filing_session_filed(token=token, user=request.user, now=timezone.now(), ticket=ticket)


def linked_articles_section(*, request, ticket) -> str:
    user = request.user
    articles = selectors.articles_linked_to(ticket=ticket, user=user)
    writer = may_write(user)
    if not articles and not writer:
        return ""
    language = get_language() or "en"
    items = [{"article": article, "text": selectors.article_text(article, language)} for article in articles]
    return render_to_string(
        "knowledge/_linked_articles.html",
        {"items": items, "ticket": ticket, "may_write": writer, "is_agent": access.is_agent(user)},
        request=request,
    )
