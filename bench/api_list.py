"""Benchmark: the API's ticket list at 1,000,000 tickets (issue 8: under 150 ms at p95, with a
constant number of queries).

Run (PostgreSQL on 127.0.0.1:5432; the benchmark database is created and filled if needed):

    .venv/bin/python bench/api_list.py [--tickets 1000000] [--requests 200]

The database (default `helpdesk_bench_api`, never a test database) is migrated, seeded and filled
with the queue benchmark's `manage.py generate_load` up to `--tickets` tickets and analysed
(ANALYZE, as autovacuum would after a bulk load). Then gunicorn is
started on a spare loopback port (debug off, throttling off) and each scenario is requested
`--requests` times, one request at a time, over a keep-alive connection, with a personal API
token (the demo agent sees every customer without a reseller; the demo customer its own
organisation). The SQL queries of one request per scenario are counted in this process, with
Django's query capture, to show that the count does not depend on the page or its size.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _api_server import (
    DEFAULT_DATABASE,
    CpuMeter,
    Load,
    bench_environment,
    database_ensure,
    gunicorn,
    machine,
    manage,
    temp_var_dir,
    tokens_create,
)

TARGET_P95_MS = 150


def ticket_count(env) -> int:
    return int(manage(env, "shell", "-c", "from tickets.models import Ticket; print(Ticket.objects.count())")
               .strip().splitlines()[-1])


def deep_cursor_path(port: int, token: str, pages: int) -> str:
    """The path of the page `pages` pages deep (following "next" links)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    path = "/api/v1/tickets/?page_size=50"
    for _ in range(pages):
        connection.request("GET", path, headers={"Authorization": f"Token {token}"})
        body = json.loads(connection.getresponse().read())
        parts = urlsplit(body["next"])
        path = f"{parts.path}?{parts.query}"
    connection.close()
    return path


def query_counts(env: dict[str, str], scenarios: dict[str, tuple[str, str]]) -> dict[str, int]:
    """Queries of one request per scenario, counted in this process against the same database."""
    os.environ.update(env)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, (token, path) in scenarios.items():
        client = Client(HTTP_AUTHORIZATION=f"Token {token}")
        client.get(path)  # the token's use is recorded at most every few minutes: not part of the count
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        assert status == 200, (name, status)
        counts[name] = len(queries)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200, help="Timed requests per scenario.")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    database_ensure(args.database)
    env = bench_environment(args.database, temp_var_dir())
    manage(env, "migrate", "--no-input")
    manage(env, "seed_demo")
    present = ticket_count(env)
    if present < args.tickets:
        manage(env, "generate_load", "--tickets", str(args.tickets - present), "--seed", "8", "--no-progress")
        present = ticket_count(env)
    # A bulk load leaves the planner without statistics; autovacuum would gather them soon after.
    manage(env, "dbshell", "--", "-c", "ANALYZE")
    agent, customer = tokens_create(env, ["agent", "customer"])

    with gunicorn(env, workers=args.workers, threads=1) as (port, pgid):
        meter = CpuMeter(pgid, args.database)
        scenarios = {
            "agent, first page (50)": (agent, "/api/v1/tickets/"),
            "agent, first page (200)": (agent, "/api/v1/tickets/?page_size=200"),
            "agent, 100 pages deep": (agent, deep_cursor_path(port, agent, 100)),
            "agent, open severe faults": (agent, "/api/v1/tickets/?is_open=true&severity=severe&category=fault"),
            "customer, first page (50)": (customer, "/api/v1/tickets/"),
        }
        results = {}
        for name, (token, path) in scenarios.items():
            headers = {"Authorization": f"Token {token}", "Accept-Language": "en"}

            def request(_number, path=path, headers=headers):
                return "GET", path, None, headers

            Load(port, request, threads=1, seconds=30, limit=20).run()  # warm-up
            before = meter.sample()
            results[name] = Load(port, request, threads=1, seconds=120, limit=args.requests).run()
            app_cpu, database_cpu = meter.between(before, meter.sample())
            results[name]["cpu_ms"] = 1000 * (app_cpu + database_cpu) / max(1, results[name]["requests"])
    counts = query_counts(env, scenarios)

    print(f"API ticket list at {present:,} tickets, gunicorn {args.workers} workers, PostgreSQL, {machine()}")
    print(f"  {'scenario':32} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'CPU ms':>8} {'queries':>8}")
    ok = True
    for name, result in results.items():
        print(f"  {name:32} {result['p50_ms']:8.1f} {result['p95_ms']:8.1f} {result['p99_ms']:8.1f} "
              f"{result['cpu_ms']:8.1f} {counts[name]:8d}")
        ok &= result["p95_ms"] < TARGET_P95_MS and set(result["statuses"]) == {200}
    constant = len(set(counts.values())) == 1
    print("  (CPU ms: server CPU per request, gunicorn plus PostgreSQL, independent of other load)")
    print(f"  same number of queries in every scenario: {'yes' if constant else 'NO'}")
    print(f"  target p95 < {TARGET_P95_MS} ms: {'met' if ok else 'NOT met'}")
    return 0 if ok and constant else 1


if __name__ == "__main__":
    sys.exit(main())
