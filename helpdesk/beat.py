"""Beat's scheduler (`CELERY_BEAT_SCHEDULER`): django-celery-beat's database scheduler, of which
only one schedules at a time, which starts the escalation scan and the outbox sweep at once when it
starts, and which shows it is alive in a heartbeat file (the compose health check).

One at a time: with Redis as the broker, beat takes the lock `helpdesk:beat-lock:<queue>` (SET NX with a
time to live, `BEAT_LOCK_TTL`) before it touches the schedule, and renews it on every tick (at
least three times per time to live). A second beat waits for the lock and logs that it
stands by (once a minute); it takes over when the first one stops renewing. A beat that finds its
lock taken by another (it stalled longer than the lock lives) exits, and its restart policy makes
it the standby. With the filesystem broker of development there is one host and no lock.

A beat that takes over while the database is away waits for it (`with_database`) instead of
dying with its schedule unread.

A started beat does not postpone the scan: the database scheduler counts an interval from its
start, so the first tick of a (re)started beat would come one interval later; this one sends the
scan and the sweep as soon as it holds the lock (both are idempotent)."""

from __future__ import annotations

import logging
import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

logger = logging.getLogger(__name__)

STANDBY_LOG_EVERY = 60  # seconds between two "standing by" lines
# Renew only a lock that is still ours: compare and extend in one step.
RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"


class ScheduleUnread(DatabaseError):
    """The schedule was read while the database came and went: read it again."""


class LockLost(SystemExit):
    """Another beat holds the lock: exit (the restart policy makes this one the standby)."""


def lock_ttl() -> float:
    return float(getattr(settings, "BEAT_LOCK_TTL", 15))


def heartbeat_path() -> Path:
    return Path(os.environ.get("BEAT_HEARTBEAT_FILE") or Path(settings.VAR_DIR) / "beat-heartbeat")


def heartbeat() -> None:
    path = heartbeat_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()


class BeatLock:
    """The Redis lock that makes one beat the scheduler; `None` client: no lock (filesystem broker)."""

    def __init__(self, broker_url: str, ttl: float) -> None:
        self.token = f"{os.uname().nodename}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.ttl_ms = int(ttl * 1000)
        self.key = f"helpdesk:beat-lock:{settings.CELERY_TASK_DEFAULT_QUEUE}"  # beats feeding one queue
        self.client = None
        if broker_url.startswith(("redis://", "rediss://")):
            import redis

            self.client = redis.Redis.from_url(broker_url, socket_timeout=5, socket_connect_timeout=5)

    def acquire(self) -> bool:
        return self.client is None or bool(self.client.set(self.key, self.token, nx=True, px=self.ttl_ms))

    def renew(self) -> bool:
        """True while the lock is ours (taken again if it expired, e.g. after Redis restarted empty)."""
        if self.client is None:
            return True
        return bool(self.client.eval(RENEW, 1, self.key, self.token, self.ttl_ms)) or self.acquire()

    def release(self) -> None:
        if self.client is not None:
            try:
                self.client.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end",
                                 1, self.key, self.token)
            except Exception as exc:  # on the way out; the lock expires anyway
                logger.info("beat: lock not released (%s); it expires", exc)


def with_database(step, lock: BeatLock, *, sleep=time.sleep, most: float = 10.0):
    """``step()``, tried again while the database is away (1, 2, 4 … at most ``most`` seconds apart,
    one log line per attempt), holding on to the beat lock meanwhile. A beat that took over during
    a database outage used to die reading its schedule (the fault-injection test found it)."""
    delay = 1.0
    while True:
        try:
            return step()
        except DatabaseError as exc:
            logger.warning("beat: database unavailable (%s); trying again in %.0f s", type(exc).__name__, delay)
            connections.close_all()  # the next attempt opens a fresh connection
        heartbeat()
        sleep(delay)
        try:
            ours = lock.renew()
        except Exception as exc:  # Redis away too: keep waiting for the database
            logger.warning("beat: cannot renew the beat lock: %s", exc)
            ours = True
        if not ours:
            logger.error("beat: another beat took the beat lock; exiting to stand by")
            raise LockLost(1)
        delay = min(delay * 2, most)


class Scheduler(DatabaseScheduler):
    #: Entries sent as soon as this beat holds the lock (names in CELERY_BEAT_SCHEDULE).
    start_entries = ("sla-escalation-scan", "notifications-outbox-sweep")

    pause = staticmethod(time.sleep)  # between two attempts to read the schedule

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Tick (and so renew the lock) at least three times per time to live: with ticks up to
        # beat_max_loop_interval (5 s) apart, a shorter lock would lapse between two of them and
        # let a standby take over from a healthy beat.
        self.max_interval = min(self.max_interval, lock_ttl() / 3)

    def setup_schedule(self):
        self.lock = BeatLock(self.app.conf.broker_url or "", lock_ttl())
        self._wait_for_lock()
        with_database(self._read_schedule, self.lock, sleep=self.pause)
        self._send_start_entries()

    def _read_schedule(self) -> None:
        """django-celery-beat's set-up, from the start each time. A failed attempt has spent its
        one initial read, and later reads swallow database errors (they log them and keep the
        schedule they had), so a second attempt would find no schedule at all (the beat died
        with "'NoneType' object has no attribute 'update'") or one without our entries; both
        count as the database being away."""
        self._initial_read, self._schedule = True, None
        super().setup_schedule()
        missing = set(settings.CELERY_BEAT_SCHEDULE) - set(self._schedule or ())
        if missing and PeriodicTask.objects.filter(name__in=missing, enabled=False).count() < len(missing):
            raise ScheduleUnread(f"entries not in the schedule: {', '.join(sorted(missing))}")

    def _wait_for_lock(self) -> None:
        logged = 0.0
        while True:
            try:
                if self.lock.acquire():
                    logger.info("beat: holding the beat lock (%s)", self.lock.token)
                    return
                reason = "another beat holds the lock"
            except Exception as exc:  # Redis away: wait for it like the worker does
                reason = f"cannot reach Redis ({type(exc).__name__})"
            heartbeat()  # a standby is alive too
            if time.monotonic() - logged >= STANDBY_LOG_EVERY:
                logger.info("beat: standing by, %s", reason)
                logged = time.monotonic()
            time.sleep(min(5.0, self.lock.ttl_ms / 3000))

    def _send_start_entries(self) -> None:
        schedule = settings.CELERY_BEAT_SCHEDULE
        for name in self.start_entries:
            entry = schedule.get(name)
            if entry is None:
                continue
            try:
                self.app.send_task(entry["task"], **entry.get("options", {}))
            except Exception as exc:  # the broker is away; the schedule catches up
                logger.warning("beat: could not send %s at start: %s", name, exc)

    def tick(self, *args, **kwargs):
        try:
            ours = self.lock.renew()
        except Exception as exc:  # Redis away: nothing can be sent anyway; keep ticking
            logger.warning("beat: cannot renew the beat lock: %s", exc)
            ours = True
        if not ours:
            logger.error("beat: another beat took the beat lock; exiting to stand by")
            raise LockLost(1)
        heartbeat()
        return super().tick(*args, **kwargs)

    def close(self):
        super().close()
        if hasattr(self, "lock"):
            self.lock.release()
