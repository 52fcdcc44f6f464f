"""Benchmark of escalation latency through the whole production pipeline: 1,000,000 tickets, of which
10,000 each have one escalation level falling due during the next ten minutes; two Celery workers
and beat escalate them and send the mails.

Run on a PostgreSQL database of its own (it is filled and changed; never a real one) and a Redis
database number of its own (it is flushed):

    createdb -h 127.0.0.1 -U postgres helpdesk_bench_latency
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_bench_latency \\
        .venv/bin/python bench/escalation_latency.py [--tickets 1000000] [--due 10000] [--window 600]

The data (`bench/escalation_data.py`, shared with `bench/escalation_scan.py`): the demo, then the
tickets streamed in with COPY once (later runs reuse them): most closed, one in seven open with its
next escalation weeks ahead, and `--due` severe faults of Müller on a 24/7 policy of their own
(reaction `4h`, warning at 75 %, post-breach 1 h after the due instant). Each run *arms* those: the
k-th falls due at start + k * window / due (whole seconds), alternately
- a *warning* (reported 3 h before it; breach 1 h after it, outside the window), assigned to the
  demo agent, who is told (one mail), or
- a *breach* (reported 4 h before it; its warning fired an hour ago: the row exists and its bit is
  set), unassigned in the bench team: its lead and the manager are told (two mails).
So `--due` is the number of LEVELS (and of tickets). Every ticket's instants are the engine's
(`sla.engine.clock.instants` on the 24/7 calendar, checked), its `sla_state`, `next_escalation_at` and
`escalations_fired` what the ticket services would have stored, so the scan finds them as in production.

Then it starts the pipeline as in `docker-compose.yml` (`bench/_celery_pipeline.py`: two workers
with `--concurrency 2`, one beat with `helpdesk.beat:Scheduler`; DJANGO_DEBUG=0; the production scan
interval of 10 s; Redis at `--redis`, flushed first; mails to files in a temporary folder), arms the
tickets, and waits until every level is recorded and every mail sent (or window + `--tail` seconds),
then 15 s more (further scans and sweeps must not repeat anything) and stops the processes (SIGTERM).

It reports escalation latency (`fired_at` - `due_at`) and mail latency (`sent_at` - `due_at`) as
median, p99 and max against the bounds of issue 20 (median ≤ 15 s, p99 ≤ 60 s), the scans from the
workers' logs (count, seconds per run: median, p95, max; runs that fired something and runs that
did not), the outbox runs, CPU seconds per process and of the workers' PostgreSQL connections, the
load average before, during and after, and exactly once: each ticket's one level recorded, no other
level, every mail sent once (the outbox keys of the mail files). `--keep` keeps the run's folder
(logs, mails) and leaves the tickets as the run left them; by default they are put to rest.

Each run first resets the bench's tickets and analyses the emptied tables (VACUUM ANALYZE), so the
outbox's statistics have seen no pending mail: the quiet desk before a burst, the condition under
which the outbox claim used to merge-join the whole ticket table (docs/escalation.md, "Latency at
a million tickets"). Figures: README, "Performance".
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

import django

django.setup()

import redis  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from accounts.models import User  # noqa: E402
from bench._celery_pipeline import Pipeline  # noqa: E402
from bench.escalation_data import (  # noqa: E402
    OTHER_PREFIX,
    Loader,
    backend_cpu,
    copy_tickets,
    others_keep_ahead,
    prepare_database,
    vacuum_analyze,
)
from escalation.models import Escalation  # noqa: E402
from notifications.models import Notification, OutboxMail, OutboxStatus  # noqa: E402
from sla.calendars import business_calendar_for  # noqa: E402
from sla.engine import clock  # noqa: E402
from sla.models import Calendar, Policy  # noqa: E402
from sla.services import calendar_create, policy_create  # noqa: E402
from tickets.models import Ticket  # noqa: E402

PREFIX = "BL"  # references of the tickets whose levels fall due: BL000000001
REACTION, THRESHOLD, POST_BREACH = "4h", 75, "1h"
WARNING_AHEAD, BREACH_AHEAD = timedelta(hours=3), timedelta(hours=4)  # reported this long before the level
WARNED = clock.level_bit(clock.REACTION, clock.WARNING)
SCAN_DONE = re.compile(rb"escalation_scan\[[0-9a-f-]+\] succeeded in ([0-9.e-]+)s: \{'escalated': (\d+)\}")
SWEEP_DONE = re.compile(rb"outbox_deliver\[[0-9a-f-]+\] succeeded in ([0-9.e-]+)s: \{'sent': (\d+)")
SCAN_AT = re.compile(rb"(ForkPoolWorker-\d+)\] escalation scan at ([0-9T:.+-]+): \d+ levels fired")
SCAN_END = re.compile(rb"(ForkPoolWorker-\d+)\] Task \S+\.escalation_scan\[\S+ succeeded in ([0-9.e-]+)s")
SETTLE = 15  # seconds of further scans and sweeps after the last mail


def policy_24_7() -> Policy:
    """Round the clock, no holidays: a level can fall due at any second of the window."""
    if (policy := Policy.objects.filter(slug="bench-24-7").first()) is not None:
        return policy
    calendar = Calendar.objects.filter(slug="bench-24-7").first() or calendar_create(
        slug="bench-24-7", name="Bench 24/7", time_zone="Europe/Berlin", hours={day: [(0, 1440)] for day in range(7)},
    )
    return policy_create(
        name="Bench 24/7", slug="bench-24-7", calendar=calendar, warning_threshold_percent=THRESHOLD,
        targets={"severe": (REACTION, ""), "minor": (REACTION, "")}, post_breach_after=POST_BREACH,
    )


def load(total: int, due: int, now: datetime) -> None:
    """Fill the table once: `total` tickets, the last `due` of them the bench's (at rest)."""
    loader, policy = Loader(now), policy_24_7()
    others, later = total - due, now + timedelta(days=30)

    def row_for(pk: int, n: int) -> str:
        if n < others:
            return loader.other_row(pk, n)
        return loader.row(
            pk, f"{PREFIX}{n - others:09d}", status="new", reported_at=now, last_activity_at=now,
            sla_policy_id=policy.pk, sla_calendar_id=policy.calendar_id, reaction_target=REACTION,
            warning_threshold_percent=THRESHOLD, post_breach_after=POST_BREACH, reaction_state="open",
            sla_state="on_track", reaction_warning_at=later, reaction_due_at=later, next_escalation_at=later,
        )

    copy_tickets(loader, total, row_for)


def bench_ids() -> list[int]:
    return list(Ticket.objects.filter(reference__startswith=PREFIX).order_by("pk").values_list("pk", flat=True))


def rest(ids: list[int], now: datetime) -> None:
    """Nothing of an earlier run left: no escalations, notifications or mails; nothing due."""
    with transaction.atomic():
        OutboxMail.objects.filter(ticket_id__in=ids).delete()
        Notification.objects.filter(ticket_id__in=ids).delete()
        Escalation.objects.filter(ticket_id__in=ids).delete()
        Ticket.objects.filter(pk__in=ids).update(next_escalation_at=now + timedelta(days=30), escalations_fired=0)
        others_keep_ahead(now)
    vacuum_analyze(Ticket, Escalation, Notification, OutboxMail)


class Armed:
    """Each ticket's level and its due instant; the SQL that arms them."""

    def __init__(self, ids: list[int], start: datetime, window: int) -> None:
        policy = policy_24_7()
        business = business_calendar_for(calendar=policy.calendar)
        self.start, self.level, self.due_at, self.columns = start, {}, {}, []
        agent = User.objects.get(username="agent").pk
        for k, pk in enumerate(ids):
            at = start + timedelta(seconds=-(-(k + 1) * window // len(ids)))
            warning = k % 2 == 0
            t = SimpleNamespace(
                reported_at=at - (WARNING_AHEAD if warning else BREACH_AHEAD), reaction_target=REACTION,
                warning_threshold_percent=THRESHOLD, resolution_paused_seconds=0, post_breach_after=POST_BREACH,
                reaction_state=clock.OPEN, resolution_state="", resolution_due_at=None, resolution_warning_at=None,
                escalations_fired=0 if warning else WARNED,
            )
            t.reaction_due_at, t.reaction_warning_at = clock.instants(t, clock.REACTION, business)
            expected = t.reaction_warning_at if warning else t.reaction_due_at
            if expected != at:
                sys.exit(f"the engine puts ticket {pk}'s level at {expected}, not {at} (calendar?)")
            pending = clock.pending_levels(t, business, ticket_open=True)
            assert pending[0] == clock.Level(clock.REACTION, clock.WARNING if warning else clock.BREACH, at), pending
            assert pending[1].at > start + timedelta(seconds=window), "a second level inside the window"
            self.level[pk], self.due_at[pk] = pending[0].level, at
            state = clock.sla_state(t, datetime.now(UTC))
            self.columns.append((pk, t.reported_at, t.reaction_warning_at, t.reaction_due_at, at,
                                 t.escalations_fired, state, agent if warning else None))

    def arm(self) -> None:
        """One transaction: the tickets' instants and state, and the earlier warnings' rows."""
        ids, reported, warn, due, cursor_at, fired, state, assignee = map(list, zip(*self.columns, strict=True))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                """UPDATE tickets_ticket AS t SET reported_at = v.reported, last_activity_at = v.reported,
                       reaction_warning_at = v.warn, reaction_due_at = v.due, next_escalation_at = v.next,
                       escalations_fired = v.fired, sla_state = v.state, assignee_id = v.assignee,
                       status = 'new', reaction_state = 'open', first_reaction_at = NULL
                   FROM unnest(%s::bigint[], %s::timestamptz[], %s::timestamptz[], %s::timestamptz[],
                               %s::timestamptz[], %s::integer[], %s::text[], %s::bigint[])
                        AS v(id, reported, warn, due, next, fired, state, assignee)
                   WHERE t.id = v.id""",
                [ids, reported, warn, due, cursor_at, fired, state, assignee],
            )
            Escalation.objects.bulk_create([  # the breach tickets' warnings fired an hour ago
                Escalation(ticket_id=pk, target=clock.REACTION, level=clock.WARNING, due_at=w, fired_at=w)
                for pk, _r, w, _d, _n, bits, _s, _a in self.columns if bits
            ], batch_size=5000)


def database_backends() -> dict[int, float]:
    """{pid: CPU seconds so far} of the other connections to this database (the workers' and beat's),
    when PostgreSQL runs on this machine."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid()")
        found = {pid: backend_cpu(pid) for (pid,) in cursor.fetchall()}
    return {pid: seconds for pid, seconds in found.items() if seconds is not None}


def scan_seconds(log: bytes) -> dict[datetime, float]:
    """{the scan's `now` (= the `fired_at` of what it recorded): its duration} of the firing scans in
    a worker's log (a pool process logs the scan's line, then its task's "succeeded")."""
    started: dict[bytes, datetime] = {}
    found = {}
    for line in log.splitlines():
        if (match := SCAN_AT.search(line)) is not None:
            started[match[1]] = datetime.fromisoformat(match[2].decode())
        elif (match := SCAN_END.search(line)) is not None and match[1] in started:
            found[started.pop(match[1])] = float(match[2])
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def spread(values: list[float], *, p: float = 0.99) -> str:
    if not values:
        return "none"
    return (f"median {statistics.median(values):.1f} s, p{round(p * 100)} {percentile(values, p):.1f} s, "
            f"max {max(values):.1f} s (n = {len(values):,})")


def bound(name: str, value: float, limit: float) -> str:
    return f"{name} {value:.1f} s ≤ {limit:.0f} s: " + ("met" if value <= limit else f"MISSED by {value - limit:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=10_000, help="levels (= tickets) falling due in the window")
    parser.add_argument("--window", type=int, default=600, help="seconds over which they fall due")
    parser.add_argument("--tail", type=int, default=180, help="seconds after the window before giving up")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13", help="a Redis database of its own (flushed)")
    parser.add_argument("--interval", type=float, default=None, help="ESCALATION_SCAN_INTERVAL (default: production)")
    parser.add_argument("--keep", action="store_true", help="keep the run's folder and rows (no reset afterwards)")
    args = parser.parse_args()
    if not 0 < args.window < 3600:
        parser.error("--window must lie between 1 and 3599 s (each ticket's next level is an hour later)")
    prepare_database()
    policy_24_7()
    ids = bench_ids()
    if len(ids) != args.due:
        Ticket.objects.filter(reference__startswith=PREFIX).delete()
        Ticket.objects.filter(reference__startswith=OTHER_PREFIX).delete()
        started = time.monotonic()
        load(args.tickets, args.due, datetime.now(UTC).replace(microsecond=0))
        print(f"load: {time.monotonic() - started:.0f} s")
        ids = bench_ids()
    print(f"{Ticket.objects.count():,} tickets, {len(ids):,} of them with a level due within {args.window} s")
    rest(ids, datetime.now(UTC))
    redis.Redis.from_url(args.redis).flushdb()
    folder = Path(tempfile.mkdtemp(prefix="bench-escalation-latency-"))
    settings = connection.settings_dict
    database_url = (f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST'] or '127.0.0.1'}:"
                    f"{settings['PORT'] or 5432}/{settings['NAME']}")
    pipeline = Pipeline(folder, database_url=database_url, broker_url=args.redis, interval=args.interval)
    loads = [os.getloadavg()]
    print(f"load average before: {' '.join(f'{x:.2f}' for x in loads[0])}; logs and mails in {folder}")
    try:
        pipeline.worker("worker-a")
        pipeline.worker("worker-b")
        pipeline.beat()
        pipeline.wait_ready()
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=5)  # arming takes 1-2 s
        armed = Armed(ids, start, args.window)
        armed.arm()
        print(f"armed at {datetime.now(UTC):%H:%M:%S} UTC: levels fall due from {start:%H:%M:%S} on, "
              f"the last at {max(armed.due_at.values()):%H:%M:%S}")
        deadline = time.monotonic() + (start - datetime.now(UTC)).total_seconds() + args.window + args.tail
        recorded = Escalation.objects.filter(ticket_id__in=ids, fired_at__gte=start)
        mails = OutboxMail.objects.filter(ticket_id__in=ids)
        backends: dict[int, float] = {}
        while time.monotonic() < deadline:
            time.sleep(10)
            loads.append(os.getloadavg())
            backends.update(database_backends())
            done, pending = recorded.count(), mails.filter(status=OutboxStatus.PENDING).count()
            print(f"{datetime.now(UTC):%H:%M:%S} recorded {done:,}/{len(ids):,}, mails {mails.count():,} "
                  f"({pending:,} pending), load {loads[-1][0]:.2f}, dead: {pipeline.dead() or 'none'}", flush=True)
            if done >= len(ids) and not pending:
                time.sleep(SETTLE)
                break
        loads.append(os.getloadavg())
        cpu = pipeline.cpu_seconds()
        backends.update(database_backends())
    finally:
        pipeline.stop()
    report(args, ids, armed, pipeline, loads, cpu, list(backends.values()))
    if args.keep:
        print(f"kept: {folder}")
    else:
        rest(ids, datetime.now(UTC))
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def report(args, ids, armed: Armed, pipeline: Pipeline, loads, cpu: dict, backends: list[float]) -> None:
    rows = list(Escalation.objects.filter(ticket_id__in=ids, fired_at__gte=armed.start)
                .values_list("pk", "ticket_id", "level", "due_at", "fired_at"))
    recorded = [(fired - due).total_seconds() for _pk, _t, _l, due, fired in rows]
    by_level = {level: [(f - d).total_seconds() for _p, _t, lv, d, f in rows if lv == level]
                for level in (clock.WARNING, clock.BREACH)}
    due_of = {pk: due for pk, _t, _l, due, _f in rows}
    outbox = list(OutboxMail.objects.filter(ticket_id__in=ids).values_list("key", "status", "sent_at"))
    mailed = [(sent - due_of[int(key.split(":")[1])]).total_seconds()
              for key, status, sent in outbox if status == OutboxStatus.SENT and int(key.split(":")[1]) in due_of]
    files = [key for key in pipeline.mail_keys() if int(key.split(":")[1]) in due_of]  # not the demo's tickets
    scans, sweeps = [], []
    for name in ("worker-a", "worker-b"):
        log = pipeline.log(name)
        scans += [(float(s), int(n)) for s, n in SCAN_DONE.findall(log)]
        sweeps += [(float(s), int(n)) for s, n in SWEEP_DONE.findall(log)]
    durations = {}
    for name in ("worker-a", "worker-b"):
        durations.update(scan_seconds(pipeline.log(name)))
    # fired_at is the scan's `now`, read when it starts; the rows commit batch by batch before it ends
    committed = [(fired - due).total_seconds() + durations.get(fired, float("nan")) for _p, _t, _l, due, fired in rows]
    firing = [s for s, n in scans if n]
    idle = [s for s, n in scans if not n]
    errors = sum(pipeline.log(name, until_stop=True).count(b"Traceback")
                 + pipeline.log(name, until_stop=True).count(b"ERROR/") for name in pipeline.processes)
    expected = {(pk, armed.level[pk]) for pk in ids}
    got = Counter((t, level) for _pk, t, level, _d, _f in rows)
    lines = [
        "", f"escalation latency: {args.tickets:,} tickets, {len(ids):,} levels due within {args.window} s "
        f"({len(by_level['warning']):,} warnings, {len(by_level['breach']):,} breaches recorded)",
        f"recorded after due: {spread(recorded)}",
        *(f"  {level}: {spread(values)}" for level, values in by_level.items()),
        f"committed after due (at most; fired_at + the scan's duration): {spread(committed)}",
        f"mailed after due:   {spread(mailed)}",
        bound("bound: recorded, median", statistics.median(recorded), 15) if recorded else "nothing recorded",
        bound("bound: recorded, p99", percentile(recorded, 0.99), 60) if recorded else "",
        f"scans: {len(scans)} ({len(firing)} fired something, {len(idle)} nothing); seconds per scan "
        f"{spread([s for s, _n in scans], p=0.95)}",
        f"  firing scans: {spread(firing, p=0.95)}; levels per firing scan: median "
        f"{statistics.median([n for _s, n in scans if n] or [0]):.0f}, max {max([n for _s, n in scans] or [0])}",
        f"  empty scans: {spread(idle, p=0.95)}",
        f"outbox runs: {len(sweeps)}, {sum(n for _s, n in sweeps):,} mails sent, seconds per run "
        f"{spread([s for s, _n in sweeps], p=0.95)}",
        "CPU seconds: " + ", ".join(f"{name} {seconds:.0f}" for name, seconds in cpu.items())
        + f"; their PostgreSQL connections at least {sum(backends):.0f} ({len(backends)} connections seen, "
        "sampled every 10 s)",
        "load average: before " + " ".join(f"{x:.2f}" for x in loads[0]) + ", during (1 min) mean "
        f"{statistics.mean(x[0] for x in loads[1:-1] or loads):.2f} max {max(x[0] for x in loads):.2f}, after "
        + " ".join(f"{x:.2f}" for x in loads[-1]),
        f"levels: {len(set(got) & expected):,}/{len(expected):,} recorded, {len(set(got) - expected)} unexpected, "
        f"{sum(1 for n in got.values() if n > 1)} twice; mails: {len(outbox):,} in the outbox, "
        f"{sum(1 for o in outbox if o[1] == OutboxStatus.SENT):,} sent, {len(files):,} in the mail files, "
        f"{len(files) - len(set(files))} twice",
        "exactly once and complete: " + ("yes" if set(got) == expected and max(got.values()) == 1
                                         and sorted(files) == sorted(o[0] for o in outbox) else "NO"),
        f"errors in the logs before the stop: {errors}; processes died: {pipeline.died or 'none'}",
    ]
    print("\n".join(line for line in lines if line))


if __name__ == "__main__":
    raise SystemExit(main())
