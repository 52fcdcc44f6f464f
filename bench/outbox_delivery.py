"""Benchmark of the outbox delivery: 10,000 queued mails sent to a local SMTP sink, by one
delivery worker and by two at once.

Run on a PostgreSQL database of its own (rows are added and removed; never a real one):

    createdb helpdesk_bench_outbox
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_bench_outbox \\
        .venv/bin/python bench/outbox_delivery.py [--mails 10000] [--workers 1 2] [--repeat 3]

It migrates, seeds the demo once, files one ticket with a public reply carrying a small PDF, and
then, per run, queues `--mails` pending outbox rows: a third are the reply's mail to the customer
(text, HTML and the attached file), a third the ticket's confirmation, a third breach escalations
to the manager, each rendered in its recipient's language when it is sent. An SMTP sink (aiosmtpd,
in a process of its own, on a free port of 127.0.0.1) accepts every message and counts their
Message-IDs. Each worker is a process of its own running what `notifications.tasks.outbox_deliver`
runs (`notifications.delivery.outbox_deliver_due`, 500 mails a run) until nothing is due, through
Django's SMTP backend. The rate is the mails divided by the wall time from the workers' common
start to the last one's end. After each run the bench checks that the sink received every mail
exactly once (no Message-ID twice, none missing) and that every row is marked sent.
Target: at least 200 mails/s with one worker.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import socket
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

KEY_PREFIX = "bench-outbox:"
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


# --- the SMTP sink, in a process of its own ------------------------------------------------------

class _Counting:
    def __init__(self) -> None:
        self.ids: Counter[bytes] = Counter()

    async def handle_DATA(self, server, session, envelope):
        found = MESSAGE_ID.search(envelope.original_content or envelope.content)
        self.ids[found.group(1) if found else b"?"] += 1
        return "250 OK"


def _sink(port: int, pipe) -> None:
    from aiosmtpd.controller import Controller

    handler = _Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    pipe.send("ready")
    while True:
        command = pipe.recv()
        if command == "stop":
            break
        received = dict(handler.ids)
        handler.ids.clear()
        pipe.send(received)
    controller.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the delivery workers ------------------------------------------------------------------------

def _worker(start, results) -> None:
    import django

    django.setup()
    from django.db import connection

    from notifications.delivery import outbox_deliver_due

    connection.ensure_connection()
    sent = failed = 0
    start.wait()
    began, cpu = time.monotonic(), time.process_time()
    while True:
        result = outbox_deliver_due(limit=500)
        sent, failed = sent + result.sent, failed + result.failed + result.gave_up
        if result.sent + result.failed + result.gave_up == 0:
            break
    results.put({"pid": os.getpid(), "sent": sent, "failed": failed, "began": began, "ended": time.monotonic(),
                 "cpu": time.process_time() - cpu})


# --- the queued mails ----------------------------------------------------------------------------

def prepare():
    """The demo, and one ticket with a reply carrying a file (made once)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from accounts.models import User
    from tickets.models import Ticket
    from tickets.services import comment_add, ticket_create

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="admin").exists():
        with open(os.devnull, "w") as devnull:
            call_command("seed_demo", stdout=devnull)
    users = {u.username: u for u in User.objects.filter(username__in=["customer", "agent", "manager"])}
    ticket = Ticket.objects.filter(subject="Bench: outbox delivery").first()
    if ticket is None:
        customer = users["customer"]
        ticket = ticket_create(organisation=customer.organisation, requester=customer, actor=customer,
                               subject="Bench: outbox delivery", description="Die Anlage steht.",
                               category="fault", severity="severe").ticket
        pdf = b"%PDF-1.4\n% bench\n" + b"0" * 20_000 + b"\n%%EOF\n"
        comment_add(ticket=ticket, author=users["agent"], body="Bitte die **Anleitung** im Anhang lesen.",
                    files=[SimpleUploadedFile("Anleitung.pdf", pdf, content_type="application/pdf")])
    created = ticket.events.get(code="created")
    reply = ticket.events.get(code="reply_added")
    return users, ticket, created, reply


def queue(mails: int, run: int, users, ticket, created, reply) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from notifications.models import OutboxMail, OutboxStatus

    now = timezone.now()
    escalation = {"target": "reaction", "level": "breach", "reference": ticket.reference,
                  "due_at": now.isoformat(), "level_at": now.isoformat()}
    kinds = [
        ("ticket_agent_reply", users["customer"], {"event": reply.pk}),
        ("ticket_confirmation", users["customer"], {"event": created.pk}),
        ("sla_escalation", users["manager"], escalation),
    ]
    with transaction.atomic():
        OutboxMail.objects.filter(key__startswith=KEY_PREFIX).delete()
        # Nothing else is due: the ticket's own mails and anything left over are not the bench's.
        OutboxMail.objects.filter(status=OutboxStatus.PENDING).update(status=OutboxStatus.SKIPPED)
        rows = []
        for n in range(mails):
            kind, recipient, payload = kinds[n % 3]
            rows.append(OutboxMail(key=f"{KEY_PREFIX}{run}:{n}", recipient=recipient, kind=kind, payload=payload,
                                   ticket=ticket, status=OutboxStatus.PENDING, next_attempt_at=now, created_at=now))
        OutboxMail.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(OutboxMail._meta.db_table)}")


def run_once(mails: int, workers: int, run: int, pipe, context) -> dict:
    from notifications.models import OutboxMail, OutboxStatus

    users, ticket, created, reply = context
    queue(mails, run, users, ticket, created, reply)
    pipe.send("count")  # empties the sink's counter
    pipe.recv()
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    processes = [ctx.Process(target=_worker, args=(start, results)) for _ in range(workers)]
    for process in processes:
        process.start()
    time.sleep(3)  # each worker starts Django and connects before the common start
    load = os.getloadavg()[0]
    start.set()
    done = [results.get(timeout=600) for _ in processes]
    for process in processes:
        process.join()
    wall = max(d["ended"] for d in done) - min(d["began"] for d in done)
    pipe.send("count")
    received = pipe.recv()
    rows = OutboxMail.objects.filter(key__startswith=f"{KEY_PREFIX}{run}:")
    return {
        "workers": workers,
        "wall": wall,
        "rate": mails / wall,
        "per_worker": [d["sent"] for d in done],
        "cpu_ms": 1000 * sum(d["cpu"] for d in done) / mails,
        "failed": sum(d["failed"] for d in done),
        "received": sum(received.values()),
        "distinct": len(received),
        "twice": sum(1 for count in received.values() if count > 1),
        "sent_rows": rows.filter(status=OutboxStatus.SENT).count(),
        "load": load,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    port = free_port()
    here, there = multiprocessing.get_context("spawn").Pipe()
    sink = multiprocessing.get_context("spawn").Process(target=_sink, args=(port, there), daemon=True)
    sink.start()
    assert here.recv() == "ready"
    # The workers (spawned, so they read these at their Django start) send through the sink.
    os.environ.update({
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port), "EMAIL_USE_TLS": "0", "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": "",
        "SITE_URL": "https://helpdesk.example.com", "CELERY_TASK_ALWAYS_EAGER": "0",
        # As deployed: debug off (no query log, which would also grow by every statement).
        "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or "bench-" + "x" * 50,
    })
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("Run this on PostgreSQL (DATABASE_URL): two workers need row locks (SKIP LOCKED).", file=sys.stderr)
        return 2
    context = prepare()
    print(f"{args.mails:,} mails per run, SMTP sink on 127.0.0.1:{port}, {os.cpu_count()} cores")
    ok, results = True, {}
    for workers in args.workers:
        for repeat in range(args.repeat):
            outcome = run_once(args.mails, workers, int(time.time() * 1000) % 10**9, here, context)
            results.setdefault(workers, []).append(outcome)
            exact = (outcome["received"] == outcome["distinct"] == outcome["sent_rows"] == args.mails
                     and outcome["twice"] == 0 and outcome["failed"] == 0)
            ok &= exact
            print(f"{workers} worker(s), run {repeat + 1}: {outcome['rate']:.0f} mails/s "
                  f"({outcome['wall']:.2f} s; per worker {outcome['per_worker']}; worker CPU "
                  f"{outcome['cpu_ms']:.2f} ms/mail); sink received "
                  f"{outcome['received']:,}, distinct {outcome['distinct']:,}, twice {outcome['twice']}; "
                  f"rows sent {outcome['sent_rows']:,}; load {outcome['load']:.2f}"
                  + ("" if exact else "  <-- NOT EXACTLY ONCE"))
    for workers, outcomes in results.items():
        rates = [o["rate"] for o in outcomes]
        print(f"{workers} worker(s): median {statistics.median(rates):.0f} mails/s "
              f"(min {min(rates):.0f}, max {max(rates):.0f}, {len(rates)} runs)")
    from notifications.models import OutboxMail

    OutboxMail.objects.filter(key__startswith=KEY_PREFIX).delete()
    here.send("stop")
    sink.join(timeout=10)
    print("every mail exactly once" if ok else "DUPLICATES OR LOSSES")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
