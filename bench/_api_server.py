"""Shared parts of the API benchmarks: a benchmark PostgreSQL database, a gunicorn server on a
spare loopback port started (and stopped) by the benchmark itself, and a threaded HTTP client
with keep-alive connections. Traffic goes to 127.0.0.1 only; every loop is bounded."""

from __future__ import annotations

import atexit
import http.client
import json
import os
import runpy
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
DEFAULT_DATABASE = "helpdesk_bench_api"
SERVER = "postgres://postgres@127.0.0.1:5432"


def bench_environment(database: str, var_dir: str) -> dict[str, str]:
    """Production-like settings: debug off, no throttling (it would cap the benchmark), quiet logs."""
    return {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{database}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "HELPDESK_VAR_DIR": var_dir,
        "DATABASE_CONN_MAX_AGE": "600",
        "API_THROTTLE_USER": "",
        "API_THROTTLE_ANON": "",
        "LOG_LEVEL": "WARNING",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        # gunicorn formats its access log line as deployed; the lines are not kept.
        "GUNICORN_ACCESS_LOG": "/dev/null",
    }


def database_ensure(database: str) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{SERVER}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{database}"')
    connection.close()


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True,
                            capture_output=True, text=True)
    return result.stdout


def tokens_create(env: dict[str, str], usernames: list[str]) -> list[str]:
    """Fresh personal API tokens for demo users (created through the service); the tokens of
    earlier runs are revoked first (a person may hold 20 active tokens)."""
    code = (
        "import json; from accounts.models import User; "
        "from api.models import ApiToken; from api.services import api_token_create, api_token_revoke; "
        "users = [User.objects.get(username=u) for u in " + repr(usernames) + "]; "
        "[api_token_revoke(token=t, actor=t.user) for t in ApiToken.objects.filter("
        "user__in=users, name='bench', revoked_at__isnull=True)]; "
        "print(json.dumps([api_token_create(user=u, name='bench')[1] for u in users]))"
    )
    return json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_shape(workers: int | None, threads: int | None) -> tuple[int, int]:
    """(workers, threads) the server runs with: the deployment's helpdesk/gunicorn_conf.py unless
    the benchmark overrides them."""
    conf = runpy.run_path(str(ROOT / "helpdesk" / "gunicorn_conf.py"))
    return workers or conf["workers"], threads or conf["threads"]


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int | None = None, threads: int | None = None):
    """The web service as deployed (helpdesk/gunicorn_conf.py; the access log goes to /dev/null),
    on a spare loopback port; `workers` and `threads` override the configuration."""
    port = free_port()
    workers, threads = gunicorn_shape(workers, threads)
    command = [
        str(GUNICORN), "helpdesk.asgi:application", "--config", "python:helpdesk.gunicorn_conf",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
        "--log-level", "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/healthz/")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("gunicorn did not come up within 60 s")
        yield port, process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


class Load:
    """Threads that send requests over keep-alive connections for a bounded time and count."""

    def __init__(self, port: int, make_request, *, threads: int, seconds: float, limit: int):
        self.port, self.make_request = port, make_request
        self.threads, self.seconds, self.limit = threads, seconds, limit
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.lock = threading.Lock()
        self.sent = 0

    def _take(self) -> int | None:
        with self.lock:
            if self.sent >= self.limit:
                return None
            self.sent += 1
            return self.sent

    def _worker(self, stop_at: float) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while time.monotonic() < stop_at:
            number = self._take()
            if number is None:
                break
            method, path, body, headers = self.make_request(number)
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                status = 0
            elapsed = time.perf_counter() - started
            with self.lock:
                self.latencies.append(elapsed)
                self.statuses[status] = self.statuses.get(status, 0) + 1
        connection.close()

    def run(self) -> dict:
        stop_at = time.monotonic() + self.seconds
        workers = [threading.Thread(target=self._worker, args=(stop_at,)) for _ in range(self.threads)]
        started = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        wall = time.perf_counter() - started
        latencies = sorted(self.latencies)
        return {
            "requests": len(latencies),
            "seconds": wall,
            "per_second": len(latencies) / wall if wall else 0.0,
            "p50_ms": 1000 * statistics.median(latencies) if latencies else 0.0,
            "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0,
            "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))] if latencies else 0.0,
            "statuses": dict(sorted(self.statuses.items())),
        }


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == pgid:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def _database_backends(database: str) -> list[int]:
    import psycopg2

    connection = psycopg2.connect(f"{SERVER}/postgres")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [database])
        pids = [row[0] for row in cursor.fetchall()]
    connection.close()
    return pids


class CpuMeter:
    """CPU seconds spent by the gunicorn processes and by the PostgreSQL backends of the
    benchmark database: what one request costs, independent of other load on the machine."""

    def __init__(self, pgid: int, database: str):
        self.pgid, self.database = pgid, database

    def sample(self) -> dict[int, float]:
        pids = _group_pids(self.pgid) + _database_backends(self.database)
        return {pid: _cpu_seconds(pid) for pid in pids}

    def between(self, before: dict[int, float], after: dict[int, float]) -> tuple[float, float]:
        app = sum(after[p] - before.get(p, 0.0) for p in after if p in _group_pids(self.pgid))
        total = sum(after[p] - before.get(p, 0.0) for p in after)
        return app, total - app


def temp_var_dir() -> str:
    """A fresh folder for the server's local state (the file broker's queued messages); removed
    when the benchmark ends."""
    path = tempfile.mkdtemp(prefix="helpdesk-bench-api-")
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def machine() -> str:
    return f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
