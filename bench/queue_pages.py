"""Benchmark of the agent queue and workspace: server time per page at scale.

Run against a benchmark database filled by `generate_load` (never the test databases):

    createdb helpdesk_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py generate_load --tickets 1000000 --seed 1
    .venv/bin/python bench/queue_pages.py --runs 30

Each page is requested in-process through Django's test client (the whole request: middleware,
session, view, queries, template), signed in as the demo agent (the vendor's staff: every customer
without a reseller). After warm-up runs, `--runs` timed requests per page; the table shows the
median, p95 and max server time and the number of SQL queries of one request:

- the queue's first page (default filters: all open tickets, SLA order);
- a filtered page (a team, severe tickets only, the same order);
- the page 200 pages deep (keyset cursor of the 5,000th row, as the "next" links carry it);
- a text search (PostgreSQL full-text search);
- the workspace of the benchmark ticket with 200 events.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import F  # noqa: E402
from django.db.models.fields.tuple_lookups import TupleGreaterThan  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts import access  # noqa: E402
from accounts.models import User  # noqa: E402
from tickets.models import Ticket  # noqa: E402
from tickets.selectors import tickets_visible_to  # noqa: E402
from tickets.selectors_queue import (  # noqa: E402
    ORDER,
    PAGE_SIZE,
    QueueCursor,
    QueueFilters,
    queue_page,
    tickets_for_agent_queue,
)


def deep_cursor(user, pages: int) -> str:
    """The "after" cursor that leads to page `pages`, found by walking the pages like a reader."""
    cursor = None
    for _ in range(pages - 1):
        tickets = tickets_for_agent_queue(user=user, filters=QueueFilters(), now=timezone.now())
        cursor = queue_page(tickets, after=cursor).next_cursor
        if cursor is None:
            raise SystemExit(f"the queue has fewer than {pages} pages")
    return cursor


def measure(client: Client, url: str, runs: int, warmup: int, htmx: bool = False) -> dict:
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "queue-results"} if htmx else {}
    for _ in range(warmup):
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, **headers)
    query_count = len(queries.captured_queries)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[max(0, round(0.95 * len(times)) - 1)],
        "max": times[-1],
        "queries": query_count,
        "rows": len(response.context["rows"]) if response.context and "rows" in response.context else None,
    }


def explain(user, team, cursor: str) -> None:
    """EXPLAIN ANALYZE of the page queries (one page plus the look-ahead row)."""
    cases = (
        ("first page", QueueFilters(), None),
        ("filtered", QueueFilters(team=str(team.pk), severity="severe"), None),
        ("deep page", QueueFilters(), QueueCursor.decode(cursor)),
    )
    for label, filters, key in cases:
        tickets = tickets_for_agent_queue(user=user, filters=filters, now=timezone.now())
        if key is not None:
            tickets = tickets.filter(TupleGreaterThan(tuple(F(name) for name in ORDER), key.as_tuple()))
        print(f"\n-- {label}\n" + tickets.order_by(*ORDER)[: PAGE_SIZE + 1].explain(analyze=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--user", default="agent")
    parser.add_argument("--depth", type=int, default=200, help="The deep page's number.")
    parser.add_argument("--search", default="Waage", help="The text search's words.")
    parser.add_argument("--explain", action="store_true", help="Print the plans of the queue queries.")
    args = parser.parse_args()
    setup_test_environment()  # responses carry their context (rows)

    user = User.objects.get(username=args.user)
    client = Client()
    client.force_login(user)
    total = Ticket.objects.count()
    teams = access.teams_for(user)
    team = teams.filter(slug="de-1st-level").first() or teams.order_by("pk").first()
    bench = (tickets_visible_to(user=user).filter(idempotency_key__startswith="load:bench").order_by("-pk").first())
    queue = reverse("tickets:queue")
    cursor = deep_cursor(user, args.depth)
    pages = {
        "queue, first page": queue,
        "queue, filtered (team + severe)": f"{queue}?{urlencode({'team': team.pk, 'severity': 'severe'})}",
        f"queue, page {args.depth} ({(args.depth - 1) * PAGE_SIZE:,} rows deep)":
            f"{queue}?{urlencode({'after': cursor, 'n': args.depth})}",
        "queue, 30 s refresh (htmx partial)": queue,
        f"queue, text search “{args.search}”": f"{queue}?{urlencode({'q': args.search})}",
    }
    if bench is not None:
        pages[f"workspace, ticket with {bench.events.count()} events"] = reverse(
            "tickets:workspace", kwargs={"reference": bench.reference}
        )
    print(f"{connection.vendor}, {total:,} tickets, user {user.username}, {args.runs} runs per page\n")
    print(f"| {'page':<48} | median ms | p95 ms | max ms | queries |")
    print(f"|{'-' * 50}|----------:|-------:|-------:|--------:|")
    for name, url in pages.items():
        result = measure(client, url, args.runs, args.warmup, htmx="htmx" in name)
        print(f"| {name:<48} | {result['median']:9.1f} | {result['p95']:6.1f} | {result['max']:6.1f} | "
              f"{result['queries']:7d} |")
    if args.explain and connection.vendor == "postgresql":
        explain(user, team, cursor)

if __name__ == "__main__":
    main()
