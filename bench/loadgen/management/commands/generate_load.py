"""`manage.py generate_load --tickets N --seed S`: realistic load data for the benchmarks.

BYPASSES THE SERVICES DELIBERATELY, for speed (see `bench.loadgen`): organisations, people,
teams and contracts are bulk-created, and tickets, comments, events and time entries are streamed
into the database with PostgreSQL's COPY (bulk_create in batches on other databases), one
transaction per batch, while the next batch is generated. No notifications or mail. For
benchmark databases only (e.g. helpdesk_bench), never for production data.

It runs `seed_demo` first when the demo calendars and policies are missing, so the demo logins
(agent, partner-agent, ...) work on the load data: the demo agent's team gets a share of it."""

from __future__ import annotations

import io
import multiprocessing
import os
import random
import time
from collections import Counter

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from bench.loadgen import batches, customers, plan, writers
from bench.loadgen.bench_ticket import bench_ticket
from bench.loadgen.writers import TABLES
from sla.models import Policy
from tickets.models import Comment, Ticket


class Progress:
    """A progress bar on stderr (so stdout stays clean for the summary)."""

    def __init__(self, total: int, label: str, stream, enabled: bool = True):
        self.total, self.label, self.enabled, self.stream = total, label, enabled, stream
        self.done, self.started, self.shown = 0, time.monotonic(), 0.0

    def advance(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if self.enabled and (now - self.shown > 0.5 or self.done >= self.total):
            self.shown = now
            elapsed = now - self.started
            share = self.done / self.total if self.total else 1
            left = elapsed / share - elapsed if share else 0
            bar = "#" * int(share * 30)
            self.stream.write(
                f"\r{self.label} [{bar:<30}] {share:6.1%} {self.done:,}/{self.total:,} "
                f"{elapsed:5.0f}s elapsed, ~{left:4.0f}s left ", ending=""
            )
            self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("")


class Command(BaseCommand):
    help = (
        "Create realistic load data in bulk (organisations, people, tickets, events, time entries) for "
        "benchmarks. Bypasses the services deliberately, for speed. Benchmark databases only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tickets", type=int, required=True, help="How many tickets to create.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (same seed, same data).")
        parser.add_argument("--organisations", type=int, default=0,
                            help="Customer organisations (default: one per 500 tickets, 4 to 5000).")
        parser.add_argument("--batch", type=int, default=20_000, help="Tickets per batch/transaction.")
        parser.add_argument("--bench-events", type=int, default=200,
                            help="Events on the one benchmark ticket (0: no such ticket).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar on stderr.")
        parser.add_argument("--workers", type=int, default=max(1, os.cpu_count() or 1),
                            help="PostgreSQL: processes generating batches (default: one per CPU).")
        parser.add_argument(
            "--keep-indexes", action="store_true",
            help="PostgreSQL: keep the secondary indexes during the load (by default they are dropped for "
                 "loads of 50,000 tickets or more and rebuilt at the end, which is much faster).",
        )

    def handle(self, *args, **options):
        count, seed = options["tickets"], options["seed"]
        if count < 1:
            raise CommandError("--tickets must be at least 1.")
        started = time.monotonic()
        # One random stream per concern, so reusing the rows of an earlier run with the same seed
        # (which skips drawing names) does not shift what follows.
        def rng(concern):
            return random.Random(f"{seed}:{concern}")

        now = timezone.now().replace(microsecond=0)
        if not Policy.objects.filter(slug__in=["standard-de", "us-desk"]).exists():
            self.stderr.write("No demo SLA policies yet: running seed_demo first.")
            call_command("seed_demo", stdout=io.StringIO())
        organisations = customers.organisations(rng("organisations"), rng("people"), seed, count,
                                                options["organisations"], now)
        instants = plan.reported_instants(rng("instants"), count, now)
        references = plan.reserve_references(instants)
        ids = {model: (model.objects.aggregate(top=Max("id"))["top"] or 0) for model, _name in TABLES}
        batch = options["batch"]
        plan.PLAN.update(
            seed=seed, now=now, organisations=organisations, instants=instants, references=references,
            count=count, batch=batch, ticket_base=ids[Ticket] + 1, comment_base=ids[Comment],
            columns={name: writers.columns(model, name) for model, name in TABLES},
            defaults={name: writers.column_defaults(model, name) for model, name in TABLES},
        )
        agents = {agent for org in organisations for agent in org.agents}
        plan.PEOPLE.update({user.pk: str(user) for user in User.objects.filter(pk__in=agents)})
        indexes = range((count + batch - 1) // batch)
        postgres = connection.vendor == "postgresql"
        dropped = (writers.drop_indexes(self.stderr.write)
                   if postgres and count >= 50_000 and not options["keep_indexes"] else [])
        progress = Progress(count, "tickets", self.stderr, enabled=not options["no_progress"])
        totals = Counter()
        loading = time.monotonic()
        try:
            if postgres:
                self._load_copy(indexes, options["workers"], progress, totals)
            else:
                self._load_orm(indexes, progress, totals)
        finally:
            progress.finish()
            writers.rebuild_indexes(dropped, self.stderr.write)
            plan.PLAN.clear()
            plan.PEOPLE.clear()
        loaded = time.monotonic() - loading
        writers.reset_sequences()
        bench = bench_ticket(rng("bench"), seed, organisations, options["bench_events"], now)
        if postgres:
            # Fresh statistics for every table: the organisations and people tables were tiny or empty
            # when the database last looked, and the planner would choose accordingly.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(
            f"Created {totals['tickets']:,} tickets, {totals['events']:,} events, {totals['comments']:,} comments, "
            f"{totals['time_entries']:,} time entries, {totals['escalations']:,} escalations "
            f"for {len(organisations):,} organisations in {seconds:.0f} s "
            f"(bulk load {loaded:.0f} s, including the index rebuild)."
        ))
        if bench is not None:
            self.stdout.write(f"Benchmark ticket with {options['bench_events']} events: {bench}")

    def _load_copy(self, indexes, workers, progress, totals) -> None:
        """Worker processes generate and encode the batches (forked: they inherit the plan); this
        process streams each finished batch into PostgreSQL with COPY."""
        connections.close_all()  # the forked children must not inherit an open connection
        context = multiprocessing.get_context("fork")
        pool = context.Pool(processes=max(1, workers))
        writer = writers.CopyWriter()
        try:
            for _index, texts, counts in pool.imap(batches.generate_batch_as_copy, indexes):
                writer.write(texts)
                totals.update(counts)
                progress.advance(counts["tickets"])
        finally:
            pool.terminate()
            pool.join()
            writer.close()

    def _load_orm(self, indexes, progress, totals) -> None:
        writer = writers.OrmWriter()
        for index in indexes:
            _index, batch = batches.generate_batch(index)
            writer.write(batch)
            totals.update({name: len(rows) for name, rows in batch.items()})
            progress.advance(len(batch["tickets"]))
