"""The production escalation pipeline as subprocesses for a benchmark: Celery workers and one beat
on Redis and the benchmark's PostgreSQL database, mails to files. The commands are the compose
file's (`docker-compose.yml`: worker `--concurrency 2`, beat with `helpdesk.beat:Scheduler`), the
settings production's (DJANGO_DEBUG=0, the default scan interval, visibility timeout, beat lock
and connection lifetime), except the mail backend (files in the run's folder)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parents[1]
# Settings a developer's shell may carry that would make the run differ from production.
NOT_PRODUCTION = (
    "ESCALATION_SCAN_INTERVAL", "CELERY_BROKER_VISIBILITY_TIMEOUT", "BEAT_LOCK_TTL", "CELERY_TASK_DEFAULT_QUEUE",
    "DATABASE_CONN_MAX_AGE", "CELERY_TASK_ALWAYS_EAGER", "EMAIL_HOST", "IMAP_HOST",
)
OUTBOX_KEY = re.compile(rb"^X-Helpdesk-Outbox: (sla-escalation:\d+:\d+)\r?$", re.MULTILINE)


def wait_for(condition, seconds: float, message) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise SystemExit(message() if callable(message) else message)


class Pipeline:
    """Workers and beat in sessions of their own, each logging to a file in `folder`."""

    def __init__(self, folder: Path, *, database_url: str, broker_url: str, interval: float | None) -> None:
        self.folder = folder
        self.mail_dir = folder / "mail"
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self.processes: dict[str, subprocess.Popen] = {}
        self.died: list[str] = []  # the processes that had exited before `stop`
        self.logged: dict[str, int] = {}  # bytes each had logged before `stop`
        env = {key: value for key, value in os.environ.items() if key not in NOT_PRODUCTION}
        self.env = {
            **env,
            "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-escalation-latency-not-a-secret",
            "ALLOWED_HOSTS": "localhost",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "HELPDESK_VAR_DIR": str(folder / "var"),
            "BEAT_HEARTBEAT_FILE": str(folder / "var" / "beat-heartbeat"),
            "LOG_LEVEL": "INFO",
            **({"ESCALATION_SCAN_INTERVAL": str(interval)} if interval else {}),
        }

    def log(self, name: str, *, until_stop: bool = False) -> bytes:
        text = (self.folder / f"{name}.log").read_bytes()
        return text[:self.logged[name]] if until_stop and name in self.logged else text

    def _spawn(self, name: str, command: list[str]) -> None:
        with (self.folder / f"{name}.log").open("wb") as out:
            self.processes[name] = subprocess.Popen(
                command, cwd=BASE, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def worker(self, name: str, concurrency: int = 2) -> None:
        self._spawn(name, [
            sys.executable, "-m", "celery", "-A", "helpdesk", "worker", "--loglevel", "INFO",
            "--concurrency", str(concurrency), "--hostname", f"{name}@%h",
        ])

    def beat(self, name: str = "beat") -> None:
        self._spawn(name, [
            sys.executable, "-m", "celery", "-A", "helpdesk", "beat", "--loglevel", "INFO",
            "--scheduler", "helpdesk.beat:Scheduler",
        ])

    def wait_ready(self) -> None:
        for name in self.processes:
            marker = b"holding the beat lock" if name.startswith("beat") else b" ready."
            wait_for(lambda name=name, marker=marker: marker in self.log(name), 120,
                     lambda name=name: f"{name} did not start:\n{self.log(name).decode(errors='replace')}")

    def dead(self) -> list[str]:
        return [name for name, process in self.processes.items() if process.poll() is not None]

    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds (user + system) used so far by each process tree (its session)."""
        tick = os.sysconf("SC_CLK_TCK")
        used = dict.fromkeys(self.processes, 0.0)
        sessions = {process.pid: name for name, process in self.processes.items()}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            name = sessions.get(int(fields[3]))  # fields[3]: the session id
            if name:
                used[name] += (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / tick
        return used

    def stop(self) -> None:
        """SIGTERM to each main process, as `docker stop` does (warm shutdown: running tasks finish),
        SIGKILL to its whole session after 60 s. What the logs said until then: `logged`."""
        self.died = self.dead()
        self.logged = {name: len(self.log(name)) for name in self.processes}
        for process in self.processes.values():
            if process.poll() is None:
                os.kill(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)

    def mail_keys(self) -> list[str]:
        """The outbox key of every escalation mail written to the mail folder."""
        keys: list[str] = []
        for path in self.mail_dir.glob("*"):
            keys += [match.decode() for match in OUTBOX_KEY.findall(path.read_bytes())]
        return keys
