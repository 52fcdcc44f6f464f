"""`manage.py generate_load --tickets N --seed S`: realistic load data for the benchmarks.

BYPASSES THE SERVICES DELIBERATELY, for speed (see `tickets.loadgen`): organisations, people,
teams and contracts are bulk-created, and tickets, comments, events and time entries are streamed
into the database with PostgreSQL's COPY (bulk_create in batches on other databases), one
transaction per batch, while the next batch is generated. No notifications, no escalations. For
benchmark databases only (e.g. helpdesk_bench), never for production data.

It runs `seed_demo` first when the demo calendars and policies are missing, so the demo logins
(agent, partner-agent, ...) work on the load data: the demo agent's team gets a share of it."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import random
import time
from collections import Counter
from datetime import UTC, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, connections, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Organisation, Role, Team, User
from sla.calendars import business_calendar_for
from sla.models import Contract, ContractOverride, Policy
from tickets import loadgen
from tickets.models import Comment, TeamRoute, Ticket, TicketCounter, TicketEvent, TimeEntry
from tickets.references import format_reference, reference_year

NAMES_DE = ["Müller", "Schröder", "Weiß", "Groß", "Bäcker", "Köhler", "Jäger", "Krüger", "Schäfer", "Fuß"]
KINDS_DE = ["Maschinenbau GmbH", "Handels GmbH & Co. KG", "Bäckerei", "Stadtwerke", "Logistik AG", "Apotheke"]
NAMES_US = ["Acme", "Baker", "Miller", "Carter", "Hudson", "Lincoln"]
KINDS_US = ["Tooling Inc.", "Logistics LLC", "Foods Corp.", "Retail Inc."]
FIRST_DE = ["Jürgen", "Käthe", "Özlem", "Grete", "Björn", "Sören", "Anja", "Lukas"]
LAST_DE = ["Müller", "Weiß", "Öztürk", "Schröder", "Größ", "Bär", "Hoffmann", "Wagner"]
FIRST_US = ["Jennifer", "Tom", "Maria", "James"]
LAST_US = ["Miller", "Baker", "Garcia", "Smith"]

TABLES = [(Ticket, "tickets"), (Comment, "comments"), (TicketEvent, "events"), (TimeEntry, "time_entries")]
# Tickets and comments get their ids here (events point at them); the database numbers the rest.
EXPLICIT_IDS = {"tickets", "comments"}


def _columns(model, name: str) -> list[str]:
    return [
        f.attname for f in model._meta.concrete_fields
        if not getattr(f, "generated", False) and (f.attname != "id" or name in EXPLICIT_IDS)
    ]


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


class CopyWriter:
    """Streams COPY text into PostgreSQL, one transaction per batch (the foreign-key triggers are
    skipped when the role may do so: the generated rows are consistent by construction)."""

    def __init__(self):
        self.conn = connections["default"]
        with self.conn.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("SET session_replication_role = replica")

    def write(self, texts: dict[str, str]) -> None:
        with transaction.atomic(), self.conn.cursor() as cursor:
            for model, name in TABLES:
                columns = ", ".join(f'"{c}"' for c in _columns(model, name))
                cursor.copy_expert(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN', io.StringIO(texts[name]))

    def close(self) -> None:
        with self.conn.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("SET synchronous_commit = DEFAULT")


class OrmWriter:
    """bulk_create in batches: SQLite and other databases (development and tests). The generated
    time stamps are kept (bulk_create would otherwise stamp auto_now fields with "now")."""

    def write(self, batch: dict[str, list[dict]]) -> None:
        with transaction.atomic():
            for model, name in TABLES:
                stamped = [f for f in model._meta.concrete_fields if getattr(f, "auto_now", False)
                           or getattr(f, "auto_now_add", False)]
                flags = [(f, f.auto_now, f.auto_now_add) for f in stamped]
                for f in stamped:
                    f.auto_now = f.auto_now_add = False
                rows = batch[name]
                if model is TicketEvent:  # the generator writes payloads as JSON text (for COPY)
                    rows = [{**row, "payload": json.loads(row["payload"])} for row in rows]
                try:
                    model.objects.bulk_create([model(**row) for row in rows], batch_size=500)
                finally:
                    for f, auto_now, auto_now_add in flags:
                        f.auto_now, f.auto_now_add = auto_now, auto_now_add

    def close(self) -> None:
        pass


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
            return random.Random(f"{seed}:{concern}")  # noqa: S311 (load data, not secrets)

        now = timezone.now().replace(microsecond=0)
        if not Policy.objects.filter(slug__in=["standard-de", "us-desk"]).exists():
            self.stderr.write("No demo SLA policies yet: running seed_demo first.")
            call_command("seed_demo", stdout=io.StringIO())
        organisations = self._organisations(rng("organisations"), rng("people"), seed, count,
                                            options["organisations"], now)
        instants = loadgen.reported_instants(rng("instants"), count, now)
        references = self._references(instants)
        ids = {model: (model.objects.aggregate(top=Max("id"))["top"] or 0) for model, _name in TABLES}
        batch = options["batch"]
        loadgen.PLAN.update(
            seed=seed, now=now, organisations=organisations, instants=instants, references=references,
            count=count, batch=batch, ticket_base=ids[Ticket] + 1, comment_base=ids[Comment],
            columns={name: _columns(model, name) for model, name in TABLES},
        )
        agents = {agent for org in organisations for agent in org.agents}
        loadgen.PEOPLE.update({user.pk: str(user) for user in User.objects.filter(pk__in=agents)})
        batches = range((count + batch - 1) // batch)
        postgres = connection.vendor == "postgresql"
        dropped = self._drop_indexes() if postgres and count >= 50_000 and not options["keep_indexes"] else []
        progress = Progress(count, "tickets", self.stderr, enabled=not options["no_progress"])
        totals = Counter()
        loading = time.monotonic()
        try:
            if postgres:
                self._load_copy(batches, options["workers"], progress, totals)
            else:
                self._load_orm(batches, progress, totals)
        finally:
            progress.finish()
            self._rebuild_indexes(dropped)
            loadgen.PLAN.clear()
            loadgen.PEOPLE.clear()
        loaded = time.monotonic() - loading
        self._reset_sequences()
        bench = self._bench_ticket(rng("bench"), seed, organisations, options["bench_events"], now)
        if postgres:
            # Fresh statistics for every table: the organisations and people tables were tiny or empty
            # when the database last looked, and the planner would choose accordingly.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(
            f"Created {totals['tickets']:,} tickets, {totals['events']:,} events, {totals['comments']:,} comments, "
            f"{totals['time_entries']:,} time entries for {len(organisations):,} organisations in {seconds:.0f} s "
            f"(bulk load {loaded:.0f} s, including the index rebuild)."
        ))
        if bench is not None:
            self.stdout.write(f"Benchmark ticket with {options['bench_events']} events: {bench}")

    def _load_copy(self, batches, workers, progress, totals) -> None:
        """Worker processes generate and encode the batches (forked: they inherit the plan); this
        process streams each finished batch into PostgreSQL with COPY."""
        connections.close_all()  # the forked children must not inherit an open connection
        context = multiprocessing.get_context("fork")
        pool = context.Pool(processes=max(1, workers))
        writer = CopyWriter()
        try:
            for _index, texts, counts in pool.imap(loadgen.generate_batch_as_copy, batches):
                writer.write(texts)
                totals.update(counts)
                progress.advance(counts["tickets"])
        finally:
            pool.terminate()
            pool.join()
            writer.close()

    def _load_orm(self, batches, progress, totals) -> None:
        writer = OrmWriter()
        for index in batches:
            _index, batch = loadgen.generate_batch(index)
            writer.write(batch)
            totals.update({name: len(rows) for name, rows in batch.items()})
            progress.advance(len(batch["tickets"]))

    # --- setup --------------------------------------------------------------------------------

    def _organisations(self, rng, people, seed, tickets, wanted, now) -> list[loadgen.OrgInfo]:
        """Customers (most in Germany, some in the US, a few supported by resellers), their contacts,
        contracts and team routes, and the agents who work them. Existing rows of the same seed are
        reused, so a second run adds tickets to the same organisations."""
        total = wanted or max(4, min(5000, tickets // 500))
        password = make_password("demo")
        prefix = f"L{seed:03d}"
        vendor = Organisation.objects.filter(kind=Organisation.Kind.VENDOR).order_by("pk").first()
        partner = Organisation.objects.filter(customer_number="40001", kind=Organisation.Kind.RESELLER).first()
        reseller, _created = Organisation.objects.get_or_create(
            customer_number=f"{prefix}R",
            defaults={"name": f"Load Partner {seed} GmbH", "kind": Organisation.Kind.RESELLER, "country": "DE",
                      "language": "de"},
        )
        policies = self._policies()
        teams = self._teams(people, seed, vendor, reseller, partner, password)
        existing = {o.customer_number: o for o in Organisation.objects.filter(customer_number__startswith=prefix + "C")}
        specs, new_orgs = [], []
        for index in range(total):
            us = rng.random() < 0.2
            name = (f"{rng.choice(NAMES_US)} {rng.choice(KINDS_US)}" if us
                    else f"{rng.choice(NAMES_DE)} {rng.choice(KINDS_DE)}")
            draw = rng.random()
            supporter = partner if (draw < 0.04 and partner) else (reseller if draw < 0.08 else None)
            number = f"{prefix}C{index:05d}"
            specs.append((number, us, supporter, rng.randint(1, 20) if rng.random() < 0.1 else 1, rng.random() < 0.1))
            if number not in existing:
                new_orgs.append(Organisation(
                    name=f"{name} {seed}-{index}", customer_number=number, kind=Organisation.Kind.CUSTOMER,
                    country="US" if us else "DE", language="en" if us else "de", support_partner=supporter,
                ))
        Organisation.objects.bulk_create(new_orgs, batch_size=1000)
        orgs = {o.customer_number: o for o in Organisation.objects.filter(customer_number__startswith=prefix + "C")}
        contacts = self._contacts(people, seed, orgs, password)
        self._contracts(orgs, specs, policies, now)
        result, routes = [], []
        for number, us, supporter, weight, pos in specs:
            org = orgs[number]
            if supporter is not None:
                team = teams["partner" if supporter == partner else "reseller"]
            else:
                team = rng.choice(teams["us"] if us else teams["de"])
            routes.append(TeamRoute(organisation=org, category="", team=team["team"]))
            policy = policies["us-desk" if us else "standard-de"]
            result.append(loadgen.OrgInfo(
                id=org.pk, name=org.name, language=org.language, contacts=contacts.get(org.pk, []),
                team_id=team["team"].pk, agents=team["agents"], policy=policy,
                pos_policy=policies.get("pos") if pos and not us else None, weight=weight,
            ))
        TeamRoute.objects.bulk_create(routes, ignore_conflicts=True, batch_size=1000)
        return result

    def _policies(self) -> dict[str, loadgen.PolicyInfo]:
        infos = {}
        for policy in Policy.objects.select_related("calendar").prefetch_related("targets"):
            infos[policy.slug] = loadgen.PolicyInfo(
                id=policy.pk, calendar_id=policy.calendar_id,
                business=business_calendar_for(calendar=policy.calendar),
                targets={t.severity: (t.reaction_target, t.resolution_target) for t in policy.targets.all()},
                threshold=policy.warning_threshold_percent,
            )
        if "standard-de" not in infos or "us-desk" not in infos:
            raise CommandError("The demo policies standard-de and us-desk are missing: run seed_demo.")
        return infos

    def _agents(self, rng, usernames, organisation, password) -> list[User]:
        existing = {u.username: u for u in User.objects.filter(username__in=usernames)}
        new = []
        for username in usernames:
            if username not in existing:
                new.append(User(username=username, first_name=rng.choice(FIRST_DE), last_name=rng.choice(LAST_DE),
                                email=f"{username}@load.example", organisation=organisation, role=Role.AGENT,
                                language="de", password=password))
        User.objects.bulk_create(new)
        return list(User.objects.filter(username__in=usernames).order_by("username"))

    def _teams(self, rng, seed, vendor, reseller, partner, password) -> dict:
        """Vendor teams (the demo's plus four load teams), the load reseller's team and, when the
        demo reseller exists, its team: each with agents."""
        groups = {"de": [], "us": []}
        specs = [("de", f"Anwendungsbetreuung {seed}"), ("de", f"Datenbanken {seed}"), ("de", f"Kasse & Waage {seed}"),
                 ("us", f"North America {seed}")]
        for index, (region, name) in enumerate(specs):
            team, _created = Team.objects.get_or_create(slug=f"load-{seed}-{index}",
                                                        defaults={"name": name, "organisation": vendor})
            agents = self._agents(rng, [f"l{seed}-agent{index}-{n}" for n in range(6)], vendor, password)
            team.members.add(*agents)
            groups[region].append({"team": team, "agents": [a.pk for a in agents]})
        for region, slug in (("de", "de-1st-level"), ("us", "us-desk")):
            demo_team = Team.objects.filter(slug=slug).first()
            if demo_team is not None:
                members = list(demo_team.members.order_by("pk").values_list("pk", flat=True))
                groups[region].append({"team": demo_team, "agents": members})
        team, _created = Team.objects.get_or_create(
            slug=f"load-{seed}-reseller", defaults={"name": f"Load Partner {seed} Support", "organisation": reseller}
        )
        agents = self._agents(rng, [f"l{seed}-partner-agent{n}" for n in range(2)], reseller, password)
        team.members.add(*agents)
        groups["reseller"] = {"team": team, "agents": [a.pk for a in agents]}
        partner_team = Team.objects.filter(organisation=partner).first() if partner else None
        if partner_team is not None:
            groups["partner"] = {"team": partner_team,
                                 "agents": list(partner_team.members.order_by("pk").values_list("pk", flat=True))}
        return groups

    def _contacts(self, rng, seed, orgs, password) -> dict[int, list[int]]:
        existing = set(User.objects.filter(username__startswith=f"l{seed}-c").values_list("username", flat=True))
        new = []
        for org in orgs.values():
            us = org.country == "US"
            for n in range(2):
                username = f"l{seed}-c{org.customer_number}-{n}"
                if username in existing:
                    continue
                new.append(User(
                    username=username, first_name=rng.choice(FIRST_US if us else FIRST_DE),
                    last_name=rng.choice(LAST_US if us else LAST_DE), email=f"{username}@load.example",
                    organisation=org, role=Role.CONTACT, language=org.language, password=password,
                ))
        User.objects.bulk_create(new, batch_size=1000)
        contacts: dict[int, list[int]] = {}
        rows = User.objects.filter(username__startswith=f"l{seed}-c").order_by("username")
        for pk, org_id in rows.values_list("pk", "organisation_id"):
            contacts.setdefault(org_id, []).append(pk)
        return contacts

    def _contracts(self, orgs, specs, policies, now) -> None:
        have = set(Contract.objects.filter(organisation__in=orgs.values()).values_list("organisation_id", flat=True))
        start = (now - timedelta(days=365 * (loadgen.YEARS_BACK + 1))).date()
        contracts = [
            Contract(organisation=orgs[number], policy_id=policies["us-desk" if us else "standard-de"].id,
                     valid_from=start, daily_rate=960, hours_per_day=8)
            for number, us, _supporter, _weight, _pos in specs if orgs[number].pk not in have
        ]
        Contract.objects.bulk_create(contracts, batch_size=1000)
        if "pos" in policies:
            pos_orgs = [orgs[number].pk for number, us, _s, _w, pos in specs if pos and not us]
            overrides = [ContractOverride(contract=c, category="fault", policy_id=policies["pos"].id)
                         for c in Contract.objects.filter(organisation_id__in=pos_orgs, overrides__isnull=True)]
            ContractOverride.objects.bulk_create(overrides, batch_size=1000, ignore_conflicts=True)

    def _references(self, instants) -> list[str]:
        """Reserve a block of numbers per year in the reference counters and hand them out in order."""
        years = [reference_year(moment) for moment in instants]
        needed = Counter(years)
        first = {}
        with transaction.atomic():
            for year, amount in sorted(needed.items()):
                TicketCounter.objects.get_or_create(year=year)
                counter = TicketCounter.objects.select_for_update().get(year=year)
                if counter.last_number + amount > 999_999:
                    raise CommandError(f"{year} would need more than 999,999 references: create fewer tickets.")
                first[year] = counter.last_number + 1
                counter.last_number += amount
                counter.save(update_fields=["last_number"])
        references = []
        for year in years:
            references.append(format_reference(year, first[year]))
            first[year] += 1
        return references

    def _drop_indexes(self) -> list[tuple[str, str]]:
        """Drop the secondary indexes of the loaded tables (not primary keys and unique constraints)
        and return their definitions; also written to var/generate_load_indexes-<database>.sql, to
        recreate them by hand should the process be killed before `_rebuild_indexes` ran."""
        tables = [model._meta.db_table for model, _name in TABLES]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY indexname",
                [tables],
            )
            indexes = cursor.fetchall()
            backup = settings.VAR_DIR / f"generate_load_indexes-{connection.settings_dict['NAME']}.sql"
            backup.write_text("".join(f"{definition};\n" for _name, definition in indexes), encoding="utf-8")
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        self.stderr.write(f"Dropped {len(indexes)} secondary indexes for the load (definitions in {backup}).")
        return indexes

    def _rebuild_indexes(self, indexes: list[tuple[str, str]]) -> None:
        if not indexes:
            return
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute("SET max_parallel_maintenance_workers = 2")
            for _name, definition in indexes:
                cursor.execute(definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1)
                               .replace("CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX IF NOT EXISTS", 1))
        self.stderr.write(f"Rebuilt {len(indexes)} indexes in {time.monotonic() - started:.0f} s.")

    def _reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), [model for model, _name in TABLES])
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def _bench_ticket(self, rng, seed, organisations, events, now) -> str | None:
        """One open ticket with `events` history entries, for the workspace benchmark. Found again by
        its marker (`idempotency_key` "load:bench:<seed>")."""
        if events <= 0:
            return None
        marker = f"load:bench:{seed}"
        existing = Ticket.objects.filter(idempotency_key=marker).first()
        if existing is not None:
            return existing.reference
        org = next(o for o in organisations if o.contacts and o.agents and o.language == "de")
        reported = now - timedelta(days=2)
        with transaction.atomic():
            counter = TicketCounter.objects.select_for_update().get_or_create(year=reference_year(reported))[0]
            counter.last_number += 1
            counter.save(update_fields=["last_number"])
            ticket = Ticket.objects.create(
                reference=format_reference(counter.year, counter.last_number),
                subject="Benchmark: Druckserver verliert Aufträge (lange Historie)",
                description="Ein Ticket mit langer Historie für den Benchmark des Arbeitsplatzes.",
                category="fault", severity="minor", organisation_id=org.id, requester_id=org.contacts[0],
                team_id=org.team_id, assignee_id=org.agents[0], status="in_progress", reported_at=reported,
                first_reaction_at=reported + timedelta(minutes=20), idempotency_key=marker,
            )
            comments, rows = [], []
            for index in range(events):
                at = reported + timedelta(minutes=30 + index * 7)
                internal = index % 3 == 2
                if index % 2 == 0:
                    author = org.agents[0] if index % 4 == 0 else org.contacts[0]
                    comments.append(Comment(
                        ticket=ticket, author_id=author, is_internal=internal and author in org.agents,
                        body=f"Nachricht {index}: {rng.choice(loadgen.REPLIES_DE)}",
                    ))
                rows.append(at)
            Comment.objects.bulk_create(comments)
            comment_iter = iter(Comment.objects.filter(ticket=ticket).order_by("pk"))
            event_rows = []
            for index in range(len(rows)):
                if index % 2 == 0:
                    comment = next(comment_iter)
                    code = "note_added" if comment.is_internal else "reply_added"
                    event_rows.append(TicketEvent(ticket=ticket, code=code, actor_id=comment.author_id,
                                                  payload={"comment_id": comment.pk}, is_public=not comment.is_internal,
                                                  comment=comment))
                else:
                    event_rows.append(TicketEvent(ticket=ticket, code="status_changed", actor_id=org.agents[0],
                                                  payload={"old": "in_progress", "new": "waiting"} if index % 4 == 1
                                                  else {"old": "waiting", "new": "in_progress"}))
            TicketEvent.objects.bulk_create(event_rows)
            # auto_now_add stamped "now": spread the history over the two days instead.
            for event, at in zip(TicketEvent.objects.filter(ticket=ticket).order_by("pk"), rows, strict=True):
                TicketEvent.objects.filter(pk=event.pk).update(created_at=at.astimezone(UTC))
        return ticket.reference
