"""The satisfaction score in the reports: the surveys answered in the period (`answered_at`), on
the filter's tickets (the same scope as every other figure: the organisations the reader may see,
narrowed by the filters). By team and by agent means who solved the ticket: the team and the
assignee when it was first resolved (stored on the survey)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum

from tickets.models import SatisfactionSurvey

from .filters import DashboardFilter
from .next_reply import _prefixed
from .outcomes import between
from .selectors import NO_KEY_NAMES, percent

COMMENT_ROWS = 10  # the latest comments shown


@dataclass(frozen=True)
class Score:
    count: int
    average: Decimal | None  # one decimal
    satisfied: int  # rated 4 or 5
    satisfied_share: Decimal | None  # percent



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
    return {"count": Count("pk"), "total": Sum("rating"), "satisfied": Count("pk", filter=Q(rating__gte=4))}


def _score(count: int, total: int, satisfied: int) -> Score:
    average = (Decimal(total) / count).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if count else None
    return Score(count, average, satisfied, percent(satisfied, count))


def answered(*, flt: DashboardFilter, start: datetime | None = None, end: datetime | None = None) -> QuerySet:
    """The surveys answered in [start, end) (default: the filter's period) on the filter's tickets."""
    return SatisfactionSurvey.objects.filter(_prefixed(flt.scope_q(), "ticket")).filter(
        between("answered_at", start or flt.start, end or flt.end), rating__isnull=False
    )


def _person_name(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


def _grouped(surveys: QuerySet) -> tuple[Score, list[ScoreRow], list[ScoreRow]]:
    """(overall, per team, per agent) from one query grouped by team and agent (names joined in)."""
    rows = list(surveys.values("team", "team__name", "agent", "agent__first_name", "agent__last_name",
                               "agent__username").annotate(**_aggregates()).order_by())
    sums: dict[str, dict] = {"team": {}, "agent": {}}
    for row in rows:
        names = {
            "team": row["team__name"] if row["team"] is not None else str(NO_KEY_NAMES["team"]),
            "agent": _person_name(row["agent__first_name"], row["agent__last_name"], row["agent__username"])
            if row["agent"] is not None else str(NO_KEY_NAMES["agent"]),
        }
        for grouping in ("team", "agent"):
            entry = sums[grouping].setdefault(row[grouping], [names[grouping], 0, 0, 0])
            entry[1] += row["count"]
            entry[2] += row["total"] or 0
            entry[3] += row["satisfied"]
    overall = _score(sum(r["count"] for r in rows), sum(r["total"] or 0 for r in rows),
                     sum(r["satisfied"] for r in rows))

    def listed(grouping: str) -> list[ScoreRow]:
        found = [ScoreRow(name, _score(count, total, satisfied))
                 for name, count, total, satisfied in sums[grouping].values()]
        return sorted(found, key=lambda row: row.name.casefold())

    return overall, listed("team"), listed("agent")


def _name(person) -> str:
    return _person_name(person.first_name, person.last_name, person.username) if person is not None else ""


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
    """The dashboard's section: two queries whatever the data."""
    surveys = answered(flt=flt)
    overall, teams, agents = _grouped(surveys)
    return Satisfaction(overall, teams, agents, comments_of(surveys))


def month_satisfaction(*, organisation, year: int, month: int) -> tuple[Score, list[CommentLine]]:
    """The monthly report's score of one organisation: the surveys answered in the calendar month
    (project time zone), and all their comments (newest first)."""
    from .filters import Period
    from .monthly import month_days

    first, last = month_days(year, month)
    flt = DashboardFilter(period=Period.CUSTOM, first_day=first, last_day=last, organisation_ids=(organisation.pk,))
    surveys = answered(flt=flt)
    row = surveys.aggregate(**_aggregates())
    return _score(row["count"], row["total"] or 0, row["satisfied"]), comments_of(surveys, limit=None)
