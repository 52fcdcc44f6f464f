"""Escalation with real Celery workers on Redis and PostgreSQL: a breached ticket yields exactly
one breach escalation and one e-mail, with beat ticking, with two workers and a duplicated scan,
and after a worker was killed (SIGKILL) in the middle of a scan.

To catch a worker in the middle of its scan, the test holds a lock on the escalation table from a
connection of its own: the scan locks its tickets, then waits for that lock when it inserts the
escalations, inside its open transaction. No hook in the code under test.

Runs only when DATABASE_URL is PostgreSQL and CELERY_BROKER_URL is Redis (CI's second run). The
workers are `celery -A helpdesk worker` subprocesses pointed at the test database; each test has
its own queue (CELERY_TASK_DEFAULT_QUEUE) so parallel test processes do not share messages; mails
go to files (the file-based e-mail backend) and are counted there."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
import warnings
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not (
            os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
            and os.environ.get("CELERY_BROKER_URL", "").startswith("redis://")
        ),
        reason="needs DATABASE_URL=postgres://... and CELERY_BROKER_URL=redis://... (CI's second run)",
    ),
]

BASE = Path(__file__).resolve().parents[2]
VISIBILITY_TIMEOUT = 3  # seconds before Redis hands an unacknowledged task to another worker
OUTBOX_KEY = re.compile(rb"^X-Helpdesk-Outbox: (sla-escalation:(\d+):(\d+))\r?$", re.MULTILINE)


class Workers:
    """Celery worker subprocesses sharing one queue, one test database and one mail folder."""

    def __init__(self, tmp_path: Path) -> None:
        self.queue = f"escalation-test-{uuid.uuid4().hex[:12]}"
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.tmp_path = tmp_path
        self.processes: list[tuple[subprocess.Popen, Path]] = []
        settings = connection.settings_dict
        self.database_url = (
            f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )

    def environment(self, *, broker_url: str | None = None, env: dict | None = None) -> dict[str, str]:
        """The environment of a worker or beat process: the test database, this pool's queue and
        mail folder, a short visibility timeout and scan interval unless ``env`` says otherwise."""
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
            "DATABASE_URL": self.database_url,
            "DATABASE_CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": broker_url or os.environ["CELERY_BROKER_URL"],
            "CELERY_BROKER_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "ESCALATION_SCAN_INTERVAL": "2",
            "HELPDESK_VAR_DIR": str(self.tmp_path / "var"),
            "BEAT_HEARTBEAT_FILE": str(self.tmp_path / "var" / f"beat-heartbeat-{len(self.processes)}"),
            "LOG_LEVEL": "INFO",
            **(env or {}),
        }

    def spawn(self, name: str, command: list[str], env: dict[str, str]) -> tuple[subprocess.Popen, Path]:
        """Start a process of the pool in a session of its own (killed with its children), logging to a file."""
        log = self.tmp_path / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                command, cwd=BASE, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.processes.append((process, log))
        return process, log

    def start(self, *, beat: bool = False, concurrency: int = 1, broker_url: str | None = None,
              env: dict | None = None):
        name = f"w{len(self.processes)}-{self.queue}"
        env = self.environment(broker_url=broker_url, env=env)
        command = [
            sys.executable, "-m", "celery", "-A", "helpdesk", "worker", "--loglevel", "INFO",
            "--concurrency", str(concurrency), "--hostname", f"{name}@%h", "--queues", self.queue,
            "--without-gossip", "--without-mingle", "--without-heartbeat", "--prefetch-multiplier", "1",
        ]
        if beat:
            command += ["--beat", "--schedule", str(self.tmp_path / "beat-schedule")]
        process, log = self.spawn(name, command, env)
        wait_for(lambda: b" ready." in log.read_bytes(), 30, f"worker {name} did not start:\n{log.read_text()}")
        return process, log

    def send_scan(self, times: int = 1) -> None:
        from helpdesk.celery import app

        with warnings.catch_warnings():  # the test process runs its own tasks eagerly; these go to Redis
            warnings.simplefilter("ignore")
            for _ in range(times):
                app.send_task("escalation.tasks.escalation_scan", queue=self.queue)

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the worker and its pool processes: nothing is acknowledged, nothing committed."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop_all(self) -> None:
        for process, _log in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process, _log in self.processes:
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
        import redis

        client = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
        client.delete(self.queue)

    def mails(self) -> list[tuple[int, int]]:
        """(escalation id, recipient id) of every escalation mail written so far."""
        found = []
        for path in self.mail_dir.glob("*"):
            found += [(int(m.group(2)), int(m.group(3))) for m in OUTBOX_KEY.finditer(path.read_bytes())]
        return found


def wait_for(condition, seconds: float, message: str = "timed out") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(message if isinstance(message, str) else message())


@pytest.fixture
def workers(transactional_db, tmp_path):
    pool = Workers(tmp_path)
    yield pool
    pool.stop_all()


@pytest.fixture
def breached(transactional_db):
    """A customer with a contract, one manager (the only one to tell), and a way to file faults
    whose reaction deadline passed long ago (warning and breach are both due)."""
    from accounts.models import Organisation, Role
    from tests.factories import ContactFactory, OrganisationFactory, UserFactory, VendorFactory
    from tests.sla.factories import contract, nrw_calendar, policy
    from tickets.services import ticket_create

    year = timezone.now().year
    vendor = VendorFactory()
    manager = UserFactory(username="chefin", role=Role.MANAGER, organisation=vendor, email="chefin@example.com")
    customer = OrganisationFactory(kind=Organisation.Kind.CUSTOMER)
    contact = ContactFactory(organisation=customer)
    standard = policy(nrw_calendar(years=(year - 1, year + 1)), slug="standard-worker")
    contract(customer, standard, valid_from=date(year - 1, 1, 1))

    def file(count: int = 1):
        return [
            ticket_create(
                organisation=customer, requester=contact, actor=contact, subject=f"Störung {n}",
                description="Die Anlage steht.", category="fault", severity="severe",
                reported_at=timezone.now() - timedelta(days=20),
            ).ticket
            for n in range(count)
        ]

    file.manager = manager
    return file


def breach_mails(workers: Workers, tickets) -> dict[int, int]:
    """{ticket id: number of breach mails} from the mail files."""
    from escalation.models import Escalation

    levels = dict(Escalation.objects.values_list("pk", "level"))
    tickets_of = dict(Escalation.objects.values_list("pk", "ticket_id"))
    counts = {ticket.pk: 0 for ticket in tickets}
    for escalation_id, _recipient in workers.mails():
        if levels.get(escalation_id) == "breach" and tickets_of[escalation_id] in counts:
            counts[tickets_of[escalation_id]] += 1
    return counts


def escalations(ticket) -> list[str]:
    from escalation.models import Escalation

    return sorted(Escalation.objects.filter(ticket=ticket).values_list("level", flat=True))


def test_beat_and_a_worker_escalate_a_breached_ticket_once_with_one_mail(workers, breached):
    [ticket] = breached(1)
    workers.start(beat=True)  # beat ticks every 2 s here (ESCALATION_SCAN_INTERVAL)
    wait_for(lambda: breach_mails(workers, [ticket])[ticket.pk] == 1, 30, "no breach mail arrived")
    time.sleep(5)  # more beat ticks and sweeps: still exactly once
    assert escalations(ticket) == ["breach", "warning"]
    assert breach_mails(workers, [ticket]) == {ticket.pk: 1}
    assert len(workers.mails()) == 2  # the warning and the breach, to the only manager
    assert {recipient for _e, recipient in workers.mails()} == {breached.manager.pk}
    ticket.refresh_from_db()
    assert ticket.sla_state == "breached"


def test_two_workers_and_a_duplicated_scan_escalate_each_ticket_once(workers, breached):
    tickets = breached(12)
    workers.start(concurrency=2)
    workers.start(concurrency=2)
    workers.send_scan(times=6)
    wait_for(lambda: len(workers.mails()) >= 24, 40, lambda: f"mails so far: {len(workers.mails())}")
    time.sleep(2)
    workers.send_scan(times=2)
    time.sleep(3)
    assert all(escalations(ticket) == ["breach", "warning"] for ticket in tickets)
    assert set(breach_mails(workers, tickets).values()) == {1}
    assert len(workers.mails()) == 24 == len(set(workers.mails()))


class EscalationTableLock:
    """A SHARE lock on the escalation table, held in a transaction of a connection of its own: reads
    go on, the scan's INSERT waits (with its tickets locked and its transaction open)."""

    def __init__(self) -> None:
        from escalation.models import Escalation

        self.table = Escalation._meta.db_table
        self.connection = connection.get_new_connection(connection.get_connection_params())

    def __enter__(self) -> EscalationTableLock:
        with self.connection.cursor() as cursor:  # psycopg2 opens the transaction with the first statement
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(self.table)} IN SHARE MODE")
        return self

    def waiting_backends(self) -> list[int]:
        """The database sessions waiting for the lock to insert into the escalation table."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
                "AND query ILIKE %s",
                [f"INSERT INTO {connection.ops.quote_name(self.table)}%"],
            )
            return [pid for (pid,) in cursor.fetchall()]

    def __exit__(self, *exc) -> None:
        self.connection.rollback()
        self.connection.close()


def backend_alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is not None


def test_a_worker_killed_mid_scan_leaves_the_work_to_the_next_one(workers, breached):
    [ticket] = breached(1)
    first, log = workers.start()
    with EscalationTableLock() as lock:
        workers.send_scan()
        # The scan has locked the ticket and computed its levels; it now waits to insert them.
        wait_for(lambda: lock.waiting_backends(), 20, lambda: f"the scan did not start:\n{log.read_text()}")
        [backend] = lock.waiting_backends()
        workers.kill(first)
        assert escalations(ticket) == []  # nothing was committed
    # Its database session notices the lost client once the lock is free, and rolls back.
    wait_for(lambda: not backend_alive(backend), 15, "the killed worker's database session lives on")
    assert escalations(ticket) == []
    time.sleep(VISIBILITY_TIMEOUT + 1)  # acks_late: the unacknowledged task becomes visible again
    _second, second_log = workers.start()  # the same message is redelivered to this worker
    wait_for(lambda: breach_mails(workers, [ticket])[ticket.pk] == 1, 30, "the redelivered scan did not escalate")
    time.sleep(2)
    scan_ids = re.compile(rb"escalation_scan\[([0-9a-f-]+)\] received")
    assert scan_ids.findall(second_log.read_bytes()) == scan_ids.findall(log.read_bytes())  # one message, twice
    assert escalations(ticket) == ["breach", "warning"]
    assert breach_mails(workers, [ticket]) == {ticket.pk: 1}



@pytest.fixture
def proxy():
    from tests.services.broker_proxy import BrokerProxy

    broker = BrokerProxy(os.environ["CELERY_BROKER_URL"]).up()
    yield broker
    broker.close()


class TicketTableLock(EscalationTableLock):
    """An ACCESS EXCLUSIVE lock on the ticket table: every scan waits at its first SELECT, with its
    message received and not acknowledged (acks_late), for as long as the lock is held."""

    def __enter__(self) -> TicketTableLock:
        from tickets.models import Ticket

        with self.connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(Ticket._meta.db_table)} IN ACCESS EXCLUSIVE MODE")
        return self

    def waiting_scans(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0]


def test_a_worker_survives_broker_outages_while_it_runs_a_task(workers, proxy):
    """The crash of issue 20 (celery 5.7.0, kombu 5.7.0): a worker that loses Redis while it runs an
    acks_late task and has a free pool slot (its BRPOP in flight) died with "Unrecoverable error:
    AttributeError('NoneType' object has no attribute 'hostname')" in about half of the outages;
    `helpdesk.celery_consumer` is the fix. Five outages, each with one more task in flight."""
    outages = 5
    worker, log = workers.start(
        broker_url=proxy.url, concurrency=outages + 1,
        env={"CELERY_BROKER_VISIBILITY_TIMEOUT": "600"},  # no redelivery inside the test: slots stay free
    )
    with TicketTableLock() as lock:
        for outage in range(1, outages + 1):
            workers.send_scan()
            wait_for(lambda n=outage: lock.waiting_scans() == n, 20, lambda: f"no scan waits:\n{log.read_text()}")
            proxy.down()
            wait_for(lambda n=outage: log.read_text().count("Connection to broker lost") == n, 20,
                     lambda n=outage: f"the worker did not notice outage {n}:\n{log.read_text()}")
            time.sleep(1)
            assert worker.poll() is None, f"the worker died in outage {outage}:\n{log.read_text()}"
            proxy.up()
            wait_for(lambda n=outage: log.read_text().count("Connected to redis") == n + 1, 30,
                     lambda n=outage: f"no reconnection after outage {n}:\n{log.read_text()}")
    text = log.read_text()
    assert worker.poll() is None, text
    assert "Unrecoverable error" not in text
    assert "Traceback" not in text  # one line per lost connection and per attempt, no traceback
    workers.send_scan()  # and it still works
    wait_for(lambda: log.read_text().count("succeeded in") >= outages + 1, 30, lambda: log.read_text())


def test_one_beat_schedules_a_second_stands_by_and_a_started_beat_scans_at_once(workers, breached):
    """With a scan interval of five minutes, escalations within seconds can only come from the scan
    a beat sends as soon as it holds the lock (helpdesk/beat.py): at start and at takeover."""
    env = {"ESCALATION_SCAN_INTERVAL": "300", "BEAT_LOCK_TTL": "4"}
    [first_ticket] = breached(1)
    first, _first_log = workers.start(beat=True, env=env)
    wait_for(lambda: breach_mails(workers, [first_ticket])[first_ticket.pk] == 1, 20, "the started beat did not scan")
    _second, second_log = workers.start(beat=True, env=env)
    wait_for(lambda: b"standing by, another beat holds the lock" in second_log.read_bytes(), 20,
             lambda: f"the second beat does not stand by:\n{second_log.read_text()}")
    assert b"holding the beat lock" not in second_log.read_bytes()
    workers.kill(first)  # its lock expires after BEAT_LOCK_TTL; the standby takes over and scans
    [second_ticket] = breached(1)
    wait_for(lambda: b"holding the beat lock" in second_log.read_bytes(), 20,
             lambda: f"no takeover:\n{second_log.read_text()}")
    wait_for(lambda: breach_mails(workers, [second_ticket])[second_ticket.pk] == 1, 20, "no scan at takeover")
    assert escalations(first_ticket) == escalations(second_ticket) == ["breach", "warning"]
    assert len(workers.mails()) == 4 == len(set(workers.mails()))
