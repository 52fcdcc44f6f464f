"""The satisfaction score in the reports: the surveys answered in the period (`answered_at`), on
the filter's tickets (the same scope as every other figure: the organisations the reader may see,
narrowed by the filters). By team and by agent means who solved the ticket: the team and the
assignee when it was first resolved (stored on the survey)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, QuerySet

from tickets.models import SatisfactionSurvey

from .filters import DashboardFilter
from .next_reply import _prefixed
from .outcomes import between
from .selectors import NO_KEY_NAMES, _names, percent

COMMENT_ROWS = 10  # the latest comments shown


@dataclass(frozen=True)
class Score:
    count: int
    average: Decimal | None  # one decimal
    satisfied: int  # rated 4 or 5
    satisfied_share: Decimal | None  # percent

    @classmethod
    def of(cls, row: dict) -> Score:
        count, average = row["count"] or 0, row["average"]
        if average is not None:
            average = Decimal(str(average)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return cls(count, average, row["satisfied"] or 0, percent(row["satisfied"] or 0, count))


@dataclass(frozen=True)
class ScoreRow:
    name: str
    score: Score


@dataclass(frozen=True)
class CommentLine:
    reference: str
    subject: str
    rating: int
    comment: str
    answered_at: datetime
    team: str
    agent: str


@dataclass(frozen=True)
class Satisfaction:
    overall: Score
    teams: list[ScoreRow]
    agents: list[ScoreRow]
    comments: list[CommentLine]


def _aggregates() -> dict:
    return {"count": Count("pk"), "average": Avg("rating"), "satisfied": Count("pk", filter=Q(rating__gte=4))}


def answered(*, flt: DashboardFilter, start: datetime | None = None, end: datetime | None = None) -> QuerySet:
    """The surveys answered in [start, end) (default: the filter's period) on the filter's tickets."""
    return SatisfactionSurvey.objects.filter(_prefixed(flt.scope_q(), "ticket")).filter(
        between("answered_at", start or flt.start, end or flt.end), rating__isnull=False
    )


def _rows(surveys: QuerySet, grouping: str) -> list[ScoreRow]:
    """By team or agent (who solved the ticket), by name; nobody: "No team" / "Unassigned"."""
    grouped = list(surveys.values(grouping).annotate(**_aggregates()).order_by())
    keys = {row[grouping] for row in grouped} - {None}
    names = _names(grouping, keys) if keys else {}
    rows = [ScoreRow(names.get(row[grouping], "") if row[grouping] is not None else str(NO_KEY_NAMES[grouping]),
                     Score.of(row)) for row in grouped]
    return sorted(rows, key=lambda row: row.name.casefold())


def _name(person) -> str:
    if person is None:
        return ""
    return f"{person.first_name} {person.last_name}".strip() or person.username


def comments_of(surveys: QuerySet, limit: int | None = COMMENT_ROWS) -> list[CommentLine]:
    rows = surveys.exclude(comment="").select_related("ticket", "team", "agent").order_by("-answered_at", "-pk")
    if limit is not None:
        rows = rows[:limit]
    return [
        CommentLine(s.ticket.reference, s.ticket.subject, s.rating, s.comment, s.answered_at,
                    s.team.name if s.team_id else "", _name(s.agent))
        for s in rows
    ]


def satisfaction(*, flt: DashboardFilter) -> Satisfaction:
    """The dashboard's section: a fixed number of queries (at most six)."""
    surveys = answered(flt=flt)
    overall = Score.of(surveys.aggregate(**_aggregates()))
    return Satisfaction(overall, _rows(surveys, "team"), _rows(surveys, "agent"), comments_of(surveys))


def month_satisfaction(*, organisation, year: int, month: int) -> tuple[Score, list[CommentLine]]:
    """The monthly report's score of one organisation: the surveys answered in the calendar month
    (project time zone), and all their comments (newest first)."""
    from .filters import Period
    from .monthly import month_days

    first, last = month_days(year, month)
    flt = DashboardFilter(period=Period.CUSTOM, first_day=first, last_day=last, organisation_ids=(organisation.pk,))
    surveys = answered(flt=flt)
    overall = Score.of(surveys.aggregate(**_aggregates()))
    return overall, comments_of(surveys, limit=None)
