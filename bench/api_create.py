"""Benchmark: filing tickets through the REST API (issue 8: 200 or more per second).

Run (PostgreSQL on 127.0.0.1:5432; the benchmark database is created if missing):

    .venv/bin/python bench/api_create.py [--seconds 20] [--clients 16] [--workers N] [--threads N]

It migrates and seeds the benchmark database (default `helpdesk_bench_api`), creates personal API
tokens for the four demo customer contacts, starts gunicorn as deployed (helpdesk/gunicorn_conf.py)
on a spare loopback port with production-like settings (debug off, throttling off, the Celery
broker on disk unless CELERY_BROKER_URL names one), and
then, from this second process, `--clients` threads POST /api/v1/tickets/ over keep-alive
connections for `--seconds` (at most `--limit` requests): faults with a severity, so every ticket
gets its reference, team, SLA deadlines, history event and confirmation task. Each ticket goes
through `tickets.services.ticket_create`, exactly as in production. The server is stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _api_server import (
    DEFAULT_DATABASE,
    CpuMeter,
    Load,
    bench_environment,
    database_ensure,
    gunicorn,
    gunicorn_shape,
    machine,
    manage,
    temp_var_dir,
    tokens_create,
)

CONTACTS = ["customer", "us-customer", "pos-customer", "partner-customer"]
TARGET_PER_SECOND = 200


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--limit", type=int, default=20_000, help="Stop after this many requests.")
    parser.add_argument("--clients", type=int, default=16, help="Client threads (connections).")
    parser.add_argument("--workers", type=int, help="gunicorn worker processes (default: helpdesk/gunicorn_conf.py).")
    parser.add_argument("--threads", type=int, help="Threads per gunicorn worker (default: helpdesk/gunicorn_conf.py).")
    args = parser.parse_args()

    database_ensure(args.database)
    env = bench_environment(args.database, temp_var_dir())
    manage(env, "migrate", "--no-input")
    manage(env, "seed_demo")
    tokens = tokens_create(env, CONTACTS)

    def request(number: int):
        body = json.dumps({
            "subject": f"Kassensystem Störung Nr. {number}: Bondrucker meldet „Fehler 42“",
            "description": "Seit heute früh druckt der Bondrucker in Filiale Köln keine Belege mehr.",
            "category": "fault",
            "severity": "minor" if number % 4 else "severe",
            "affected_system": "Kasse 3",
        }).encode()
        headers = {"Authorization": f"Token {tokens[number % len(tokens)]}", "Content-Type": "application/json",
                   "Accept-Language": "de"}
        return "POST", "/api/v1/tickets/", body, headers

    workers, threads = gunicorn_shape(args.workers, args.threads)
    with gunicorn(env, workers=workers, threads=threads) as (port, pgid):
        Load(port, request, threads=args.clients, seconds=5, limit=300).run()  # warm-up: connections, caches
        meter = CpuMeter(pgid, args.database)
        before, client_before = meter.sample(), time.process_time()
        result = Load(port, request, threads=args.clients, seconds=args.seconds, limit=args.limit).run()
        app_cpu, database_cpu = meter.between(before, meter.sample())
        client_cpu = time.process_time() - client_before

    created = result["statuses"].get(201, 0)
    rate = created / result["seconds"] if result["seconds"] else 0
    print(f"API ticket creation, gunicorn {workers} workers x {threads} threads, "
          f"{args.clients} client threads, PostgreSQL, {machine()}")
    print(f"  {created} tickets in {result['seconds']:.1f} s = {rate:.0f} tickets/s "
          f"(p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms)")
    print(f"  statuses: {result['statuses']}")
    if created:
        per_ticket = (app_cpu + database_cpu) / created
        print(f"  server CPU per ticket: {1000 * app_cpu / created:.1f} ms gunicorn + "
              f"{1000 * database_cpu / created:.1f} ms PostgreSQL = {1000 * per_ticket:.1f} ms; "
              f"{os.cpu_count()} cores fully available would file about {os.cpu_count() / per_ticket:.0f}/s")
        print(f"  load generator (this process, same machine): {1000 * client_cpu / created:.1f} ms CPU per ticket")
    ok = rate >= TARGET_PER_SECOND and set(result["statuses"]) == {201}
    print(f"  target >= {TARGET_PER_SECOND}/s: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
