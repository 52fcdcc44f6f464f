"""One pass over the candidate tickets for every dashboard figure, chart and table.

The ORM builds the inner query: per candidate ticket its group keys (organisation, team, assignee,
severity, the week each target was decided in) and 0/1 flags (reported in the period, reaction
met in the period, ...; the rules are in `outcomes`). The database then sums the flags per
group, every grouping in the same statement:

    WITH t AS (<inner query>)
    SELECT 'all', ..., SUM(t.reported), ... FROM t
    UNION ALL SELECT 'organisation', t.organisation_id, ..., SUM(...) FROM t GROUP BY ...
    UNION ALL ... (team, agent, severity, reaction week, resolution week)

    UNION ALL SELECT * FROM (SELECT 'at_risk_list', t.id ... ORDER BY ... LIMIT 50) (and breached)

so the tickets are read once (PostgreSQL materialises a CTE used more than once), and each
expression is evaluated once per ticket. The last two branches pick the first tickets of the two
ticket lists, which `selectors` then reads by primary key. Plain SQL that SQLite runs as well. On
PostgreSQL the "all" row also carries the reaction-time percentiles (`percentile_cont`, see
`percentiles`).
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, DateField, F, IntegerField, Q, Value, When
from django.db.models.functions import TruncWeek

from tickets import sla_expressions
from tickets.models import Ticket

from . import outcomes
from .filters import DashboardFilter
from .outcomes import REACTION, RESOLUTION, TARGETS, between

# Backlog age buckets in calendar days since the ticket was reported: [lower, upper).
AGE_BUCKETS = [("0_1", 0, 1), ("1_3", 1, 3), ("3_7", 3, 7), ("7_30", 7, 30), ("30_", 30, None)]
KEYS = {
    # grouping: the inner column it groups by (returned as text; the names of organisations, teams
    # and agents are read afterwards, for the groups only); every grouping but "all" sums only the
    # columns it needs (NEEDS), the others are NULL
    "all": (),
    "organisation": ("organisation_id",),
    "team": ("team_id",),
    "agent": ("assignee_id",),
    "severity": ("severity",),
    "reaction_week": ("reaction_week",),
    "resolution_week": ("resolution_week",),
}
MAX_KEYS = 1
COMPLIANCE = tuple(f"{target}_{outcome}" for target in TARGETS for outcome in ("met", "breached"))
GROUP_COUNTS = ("reported", *COMPLIANCE, "at_risk", "backlog")
NEEDS = {
    "organisation": GROUP_COUNTS,
    "team": GROUP_COUNTS,
    "agent": GROUP_COUNTS,
    "severity": (f"{REACTION}_breached", f"{RESOLUTION}_breached"),
    "reaction_week": (f"{REACTION}_met", f"{REACTION}_breached"),
    "resolution_week": (f"{RESOLUTION}_met", f"{RESOLUTION}_breached"),
}
FRACTIONS = {"p50": 0.5, "p90": 0.9}


def _flag(q: Q) -> Case:
    return Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField())


def measured_q(flt: DashboardFilter) -> Q:
    """Reactions given in the period whose business time was measured."""
    return between("first_reaction_at", flt.start, flt.end) & Q(reaction_business_seconds__isnull=False)


def age_q(now: datetime, lower: int, upper: int | None) -> Q:
    q = outcomes.open_q() & Q(reported_at__lte=now - timedelta(days=lower))
    if upper is not None:
        q &= Q(reported_at__gt=now - timedelta(days=upper))
    return q


def flags(flt: DashboardFilter, now: datetime) -> dict:
    """The 0/1 columns of the inner query (the outer query sums them)."""
    start, end = flt.start, flt.end
    columns = {"reported": _flag(between("reported_at", start, end))}
    breached_any = Q()
    for target in TARGETS:
        columns[f"{target}_met"] = _flag(outcomes.met_in_q(target, start, end))
        columns[f"{target}_breached"] = _flag(outcomes.breached_in_q(target, now, start, end))
        breached_any |= outcomes.breached_in_q(target, now, start, end)
    columns["breached_ticket"] = _flag(breached_any)
    columns["at_risk"] = _flag(outcomes.at_risk_q(now))
    columns["backlog"] = _flag(outcomes.open_q())
    columns["measured"] = _flag(measured_q(flt))
    for key, lower, upper in AGE_BUCKETS:
        columns[f"age_{key}"] = _flag(age_q(now, lower, upper))
    return columns


def candidates(flt: DashboardFilter, now: datetime, *, open_tickets: bool = True):
    """The tickets that any figure of the period can count (see `outcomes.candidates_q`), with
    the instant each target was met as an alias (`outcomes.met_in_q` reads it)."""
    tickets = Ticket.objects.filter(flt.scope_q()).filter(
        outcomes.candidates_q(flt.start, flt.end, open_tickets=open_tickets)
    )
    return tickets.alias(**{f"{target}_met_instant": sla_expressions.met_at(target) for target in TARGETS})


def _inner(flt: DashboardFilter, now: datetime, columns: dict):
    zone = ZoneInfo(settings.TIME_ZONE)
    weeks = {
        f"{target}_week": Case(
            When(outcomes.met_in_q(target, flt.start, flt.end),
                 then=TruncWeek(f"{target}_met_instant", tzinfo=zone, output_field=DateField())),
            When(outcomes.breached_in_q(target, now, flt.start, flt.end),
                 then=TruncWeek(f"{target}_due_at", tzinfo=zone, output_field=DateField())),
            default=None,
            output_field=DateField(),
        )
        for target in TARGETS
    }
    return candidates(flt, now).order_by().values(
        "id",
        "organisation_id",
        "team_id",
        "assignee_id",
        "severity",
        measured_seconds=Case(
            When(measured_q(flt), then=F("reaction_business_seconds")), default=None, output_field=IntegerField()
        ),
        next_due=outcomes.next_due(now),
        last_breach=outcomes.last_breach(now, flt.start, flt.end),
        **weeks,
        **columns,
    )


# The ticket lists: the first tickets of each, in the lists' order (`selectors` reads their rows).
LISTS = {
    "at_risk_list": ("at_risk", "next_due ASC, t.id ASC"),
    "breached_list": ("breached_ticket", "last_breach DESC, t.id DESC"),
}


def figure_rows(flt: DashboardFilter, now: datetime, *, list_limit: int | None = None) -> list[dict]:
    """One query: a dict per group, {"grouping", "keys": [text, ...], <count column>: int, "p50",
    "p90"} (the percentiles only on PostgreSQL's "all" row), and one per ticket of the two lists
    ({"grouping": "at_risk_list" or "breached_list", "keys": [id]}, at most `list_limit` each)."""
    columns = flags(flt, now)
    inner_sql, params = _inner(flt, now, columns).query.get_compiler(connection=connection).as_sql()
    counts = list(columns)
    postgres = connection.vendor == "postgresql"
    quote = connection.ops.quote_name
    branches = []
    for grouping, keys in KEYS.items():
        key_sql = [f"CAST(t.{quote(k)} AS TEXT)" for k in keys] + ["NULL"] * (MAX_KEYS - len(keys))
        needed = NEEDS.get(grouping, counts)
        sums = [f"SUM(t.{quote(c)})" if c in needed else "NULL" for c in counts]
        if grouping == "all" and postgres:
            percentiles = [
                f"percentile_cont({fraction!r}) WITHIN GROUP (ORDER BY t.{quote('measured_seconds')})"
                for fraction in FRACTIONS.values()
            ]
        else:
            percentiles = ["NULL", "NULL"]
        sql = f"SELECT '{grouping}', {', '.join(key_sql + sums + percentiles)} FROM t"  # noqa: S608 (constants)
        if grouping.endswith("_week"):
            sql += f" WHERE t.{quote(keys[0])} IS NOT NULL"
        elif grouping == "severity":
            sql += " WHERE " + " OR ".join(f"t.{quote(c)} = 1" for c in needed)
        if keys:
            sql += " GROUP BY " + ", ".join(f"t.{quote(k)}" for k in keys)
            sql += " HAVING " + " + ".join(f"SUM(t.{quote(c)})" for c in needed) + " > 0"
        branches.append(sql)
    # Typed NULLs: inside a subquery an untyped NULL would be text, which UNION cannot match.
    nothing = ", ".join(
        ["CAST(NULL AS TEXT)"] * (MAX_KEYS - 1) + ["CAST(NULL AS BIGINT)"] * len(counts)
        + ["CAST(NULL AS DOUBLE PRECISION)"] * 2
    )
    for grouping, (flag, order) in LISTS.items():
        limit = f" LIMIT {int(list_limit)}" if list_limit is not None else ""
        branches.append(
            f"SELECT * FROM (SELECT '{grouping}', CAST(t.{quote('id')} AS TEXT), {nothing} FROM t "  # noqa: S608
            f"WHERE t.{quote(flag)} = 1 ORDER BY t.{order}{limit}) AS {quote(grouping)}"
        )
    # A transaction only for SET LOCAL on PostgreSQL: on SQLite (IMMEDIATE transactions) it would take
    # the write lock for a read.
    with transaction.atomic() if postgres else nullcontext(), connection.cursor() as cursor:
        if postgres:
            # The planner's cost estimate for the CTE scans crosses jit_above_cost, and compiling the
            # expressions (about 0.6 s) would take far longer than running them (about 0.1 s).
            cursor.execute("SET LOCAL jit = off")
        # Only quoted identifiers and constants are formatted into the SQL; values are parameters.
        cursor.execute(f"WITH t AS ({inner_sql}) " + " UNION ALL ".join(branches), params)
        rows = cursor.fetchall()
    result = []
    for row in rows:
        values = {"grouping": row[0], "keys": list(row[1:1 + MAX_KEYS])}
        for index, name in enumerate(counts):
            values[name] = int(row[1 + MAX_KEYS + index] or 0)
        values["p50"], values["p90"] = row[-2], row[-1]
        result.append(values)
    return result


def as_date(value) -> date:
    """A week key as the database returned it (text, "YYYY-MM-DD[ HH:MM:SS]")."""
    return date.fromisoformat(str(value)[:10])


__all__ = ["AGE_BUCKETS", "REACTION", "RESOLUTION", "as_date", "candidates", "figure_rows", "measured_q"]
