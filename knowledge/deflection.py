"""Deflection figures for the dashboard: suggestions shown while filing, problems solved without a
ticket and filings made anyway, per month and per article and month, for the organisations a
manager may see. Months are calendar months in the current time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .choices import FilingOutcome
from .models import Article, FilingSession, SuggestionShown
from .selectors import article_text


@dataclass(frozen=True)
class MonthFigures:
    month: date
    sessions: int  # filings that were shown at least one article
    shown: int  # articles shown (once per filing)
    solved: int  # ended with "this solved my problem"
    filed: int  # filed a ticket anyway

    @property
    def solved_percent(self) -> int | None:
        return round(100 * self.solved / self.sessions) if self.sessions else None


@dataclass(frozen=True)
class ArticleFigures:
    month: date
    article: Article
    title: str
    shown: int
    solved: int


def _month(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def deflection_by_month(*, organisations: QuerySet, since: datetime) -> list[MonthFigures]:
    zone = timezone.get_current_timezone()
    sessions = (
        FilingSession.objects.filter(organisation__in=organisations, started_at__gte=since)
        .annotate(month=TruncMonth("started_at", tzinfo=zone)).values("month")
        .annotate(sessions=Count("pk"), solved=Count("pk", filter=Q(outcome=FilingOutcome.SOLVED)),
                  filed=Count("pk", filter=Q(outcome=FilingOutcome.FILED)))
    )
    shown = dict(
        SuggestionShown.objects.filter(session__organisation__in=organisations, session__started_at__gte=since)
        .annotate(month=TruncMonth("session__started_at", tzinfo=zone)).values("month")
        .annotate(n=Count("pk")).values_list("month", "n")
    )
    rows = [
        MonthFigures(month=_month(row["month"]), sessions=row["sessions"], shown=shown.get(row["month"], 0),
                     solved=row["solved"], filed=row["filed"])
        for row in sessions
    ]
    return sorted(rows, key=lambda row: row.month, reverse=True)


def deflection_by_article(*, organisations: QuerySet, since: datetime, language: str, limit: int = 100
                          ) -> list[ArticleFigures]:
    zone = timezone.get_current_timezone()
    rows = list(
        SuggestionShown.objects.filter(session__organisation__in=organisations, session__started_at__gte=since)
        .annotate(month=TruncMonth("session__started_at", tzinfo=zone)).values("month", "article")
        .annotate(shown=Count("pk"), solved=Count("pk", filter=Q(session__solved_by=F("article"))))
        .order_by("-month", "-solved", "-shown", "article")[:limit]
    )
    articles = Article.objects.in_bulk({row["article"] for row in rows})
    return [
        ArticleFigures(month=_month(row["month"]), article=articles[row["article"]],
                       title=article_text(articles[row["article"]], language).title,
                       shown=row["shown"], solved=row["solved"])
        for row in rows
    ]
